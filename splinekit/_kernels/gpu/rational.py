"""GPU launchers for (grouped) rational functions: numba-cuda kernels over the scalar routines.

Same layout and contracts as ``splinekit._kernels.cpu.rational`` (element ``e`` in group
``(e // lg) % G``); the kernels read the denominators coefficient-major, ``bt = b.T`` (the scalar
routines' convention), made contiguous by the launchers.  Values: one thread per element.
Gradients: a deterministic two-stage reduction without atomics --

1. ``_grad_kernel`` on a ``(NBX, G)`` grid: block ``(bx, g)`` walks the work items of group
   ``g`` (pieces of ``THREADS`` consecutive elements of one run) with stride ``NBX``; each
   thread writes ``gx`` and sums its contributions in a local float64 array; a shared-memory
   tree reduction gives ``part[bx, g, :]``;
2. ``_finish_kernel`` sums ``part`` over blocks (and groups, for the shared numerator) in a
   fixed order.

The launch shape depends only on the array shape, so repeated calls give identical sums.
"""

from __future__ import annotations

from numba import cuda, float64

from ..._backend import simulator_enabled
from .. import _compile
from ..scalar import rational as _rational_src
from ._launch import blocks, stream

S = _compile.gpu_compile(_rational_src)
value = S.value
point_grad = S.point_grad
accumulate = S.accumulate
first_power = S.first_power
jacobian_row = S.jacobian_row
MAXC = _rational_src.MAXC
ABS = _rational_src.ABS
# Threads per block of the reduction (a power of two: tree reduction); fewer under the simulator,
# which runs every thread as a Python thread and would otherwise take seconds per test.
THREADS = 32 if simulator_enabled() else 128
MAX_BLOCKS_X = 64  # blocks per group in the first stage (work items are strided over them)


def _transposed(b):
    return _xp_of(b).ascontiguousarray(b.T)


@cuda.jit
def _values_kernel(x, a, bt, kind, lg, nu, one, c0, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        g = (i // lg) % bt.shape[1]
        out[i] = value(a, a.shape[0] - 1, bt, g, bt.shape[0], kind, x[i], nu, one, c0)


def evaluate(x, a, b, kind, lg, nu, one, c0, out):
    """Same contract as ``splinekit._kernels.cpu.rational.evaluate``."""
    _values_kernel[blocks(x.shape[0], THREADS), THREADS, stream()](
        x, a, _transposed(b), kind, lg, nu, one, c0, out
    )


@cuda.jit
def _grad_kernel(x, gy, a, bt, kind, lg, one, c0, gx, part):
    tid = cuda.threadIdx.x
    bx = cuda.blockIdx.x
    g = cuda.blockIdx.y
    G, m, nb = bt.shape[1], a.shape[0] - 1, bt.shape[0]
    nc = m + 1 + nb
    j0 = first_power(kind)
    acc = cuda.local.array((MAXC, 1), float64)
    for c in range(nc):
        acc[c, 0] = 0.0
    nsub = (lg + THREADS - 1) // THREADS
    rows = x.shape[0] // (G * lg)
    for w in range(bx, rows * nsub, cuda.gridDim.x):
        r = w // nsub
        off = (w % nsub) * THREADS + tid
        if off < lg:
            i = (r * G + g) * lg + off
            xi = x[i]
            gxi, wv, zv, yv = point_grad(a, m, bt, g, nb, kind, xi, gy[i], one, c0)
            gx[i] = gxi
            accumulate(acc, 0, m, nb, j0, xi, yv, wv, zv, one)
    sh = cuda.shared.array((MAXC, THREADS), float64)
    for c in range(nc):
        sh[c, tid] = acc[c, 0]
    cuda.syncthreads()
    s = THREADS // 2
    while s > 0:
        if tid < s:
            for c in range(nc):
                sh[c, tid] += sh[c, tid + s]
        cuda.syncthreads()
        s //= 2
    if tid < nc:
        part[bx, g, tid] = sh[tid, 0]


@cuda.jit
def _finish_kernel(part, b, m, kind, ga, gb):
    c = cuda.grid(1)
    G, nb = b.shape[0], b.shape[1]
    if c <= m:
        s = 0.0
        for bx in range(part.shape[0]):
            for g in range(G):
                s += part[bx, g, c]
        ga[c] = s
    elif c < m + 1 + G * nb:
        g = (c - m - 1) // nb
        jj = (c - m - 1) % nb
        s = 0.0
        for bx in range(part.shape[0]):
            s += part[bx, g, m + 1 + jj]
        if kind == ABS:
            bj = b[g, jj]
            if bj < 0:
                s = -s
            elif bj == 0:
                s = 0.0
        gb[g, jj] = s


def gradients(x, gy, a, b, kind, lg, one, c0, gx, ga, gb):
    """Same contract as ``splinekit._kernels.cpu.rational.gradients``."""
    import numpy as np

    G, m, nb = b.shape[0], a.shape[0] - 1, b.shape[1]
    rows = x.shape[0] // (G * lg)
    nsub = (lg + THREADS - 1) // THREADS
    nbx = max(1, min(MAX_BLOCKS_X, rows * nsub))
    xp = _xp_of(x)
    part = xp.zeros((nbx, G, m + 1 + nb), dtype=np.float64)
    st = stream()
    _grad_kernel[(nbx, G), THREADS, st](x, gy, a, _transposed(b), kind, lg, one, c0, gx, part)
    n_out = m + 1 + G * nb
    _finish_kernel[blocks(n_out, THREADS), THREADS, st](part, b, m, kind, ga, gb)


@cuda.jit
def _jacobian_kernel(x, a, bt, kind, one, c0, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        jacobian_row(a, a.shape[0] - 1, bt, 0, bt.shape[0], kind, x[i], one, c0, out, i)


def jacobian(x, a, b, kind, one, c0, out):
    """Same contract as ``splinekit._kernels.cpu.rational.jacobian``."""
    _jacobian_kernel[blocks(x.shape[0], THREADS), THREADS, stream()](
        x, a, _transposed(b), kind, one, c0, out
    )


def _xp_of(a):
    from ..._backend import array_namespace

    return array_namespace(a)
