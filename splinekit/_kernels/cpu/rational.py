"""CPU launchers for (grouped) rational functions: chunks of the flat array, runs of one group.

Layout: ``x`` is flat; the element ``e`` belongs to the group ``(e // lg) % G`` (``G = b.shape[0]``)
-- KAT's channel-to-group map once ``x`` is viewed as ``(rows, G, lg)``.  Work is split into
fixed chunks of :func:`chunk_size` elements; a chunk walks its runs of constant group.

The degrees ``(m, nb)`` and the ``kind`` are compile-time constants of the loops: :func:`_loops`
builds (once per triple, cached on disk by Numba, which keys closures by their values) loops
whose inlined scalar routines have constant trip counts, so LLVM unrolls Horner and vectorises
over points.  With runtime degrees the same loop ran 25x slower (see docs/bases.md).

Coefficient gradients are a deterministic two-stage reduction: each chunk gathers each group's
points into tiles of ``TILE`` and sums into ``TILE`` lane accumulators per coefficient (lane =
position in the tile, so the sums vectorise without reassociation), folded in a fixed order
into float64 ``part[chunk, group]``; then :func:`_finish` sums the chunks in order.  No atomics;
the result does not depend on the number of threads or on the path (generic or specialised):
the chunks and the order are the same.

Arrays below ``SPECIALISE_ABOVE`` points take the generic loops (runtime degrees, one
compilation per dtype); larger ones the specialised loops (compiled once per degree pair, kind
and dtype, then loaded from Numba's cache).
"""

from __future__ import annotations

import functools
import types

import numpy as np
from numba import njit, prange

from .. import _compile
from ..scalar import rational as _rational_src

S = _compile.cpu_compile(_rational_src)
value = S.value
point_grad = S.point_grad
jacobian_row = S.jacobian_row
first_power = S.first_power

TILE = 256  # points per tile: long lane loops amortise their set-up (32 was 3x slower)
CHUNK = 32768  # elements per parallel task
SERIAL_BELOW = 16384  # a parallel region costs tens of microseconds to open
SPECIALISE_ABOVE = 65536  # below, the generic loops; above, constant degrees (compiled once)
ABS = _rational_src.ABS


def chunk_size(n_groups):
    """Elements per chunk: ``CHUNK``, or more so that every group fills a few tiles a chunk."""
    return max(CHUNK, 4 * n_groups * TILE)


# The loop bodies, plain Python with the degrees and kind as leading arguments.  Compiled twice:
# as generic functions (runtime degrees; one compilation per dtype) and inlined into the
# specialised closures of _loops (constant degrees; one compilation per (m, nb, kind, dtype)).


def _values_body(M, NB, KIND, x, a, b, lg, nu, one, c0, out, start, stop):
    G = b.shape[0]
    e = start
    while e < stop:
        seg = e // lg
        g = seg % G
        run_end = min(stop, (seg + 1) * lg)
        xs, os = x[e:run_end], out[e:run_end]  # slices: indices provably >= 0 (see below)
        if nu == 0:
            for i in range(run_end - e):
                os[i] = value(a, M, b, g, NB, KIND, xs[i], 0, one, c0)
        else:
            for i in range(run_end - e):
                os[i] = value(a, M, b, g, NB, KIND, xs[i], 1, one, c0)
        e = run_end


def _tile_body(M, NB, KIND, a, b, g, one, c0, n, X, GY, WZ, PW, acc):
    # Loops over contiguous tiles with a single store stream (WZ holds w and z): LLVM then
    # needs few runtime alias checks and vectorises every loop (a fused loop storing into the
    # accumulators directly stayed scalar, 8x slower).
    J0 = first_power(KIND)
    for l in range(n):
        gxi, w, z, y = point_grad(a, M, b, g, NB, KIND, X[l], GY[l], one, c0)
        WZ[l] = w
        WZ[TILE + l] = z
    for l in range(n):
        PW[l] = one
    for c in range(M + 1):
        for l in range(n):
            acc[c * TILE + l] += WZ[l] * PW[l]
            PW[l] = PW[l] * X[l]
    for l in range(n):
        PW[l] = one if J0 == 0 else (abs(X[l]) if KIND == ABS else X[l])
    for jj in range(NB):
        for l in range(n):
            acc[(M + 1 + jj) * TILE + l] += WZ[TILE + l] * PW[l]
            PW[l] = PW[l] * (abs(X[l]) if KIND == ABS else X[l])


def _grad_body(M, NB, KIND, x, gy, a, b, lg, one, c0, gx, part, ic, chunk):
    """Chunk ``ic``: ``gx`` on its points and ``part[ic, g, :]``, its per-group sums.

    Each group's points of the chunk are gathered into tiles of ``TILE``; the lane sums
    (``TILE`` per coefficient, in ``x``'s dtype, each over at most ``chunk / TILE`` terms) are
    folded into float64 in a fixed order when the group is done.
    """
    G = b.shape[0]
    NC = M + 1 + NB
    start = ic * chunk
    stop = min(x.shape[0], start + chunk)
    X = np.empty(TILE, dtype=x.dtype)
    GY = np.empty(TILE, dtype=x.dtype)
    WZ = np.empty(2 * TILE, dtype=x.dtype)
    PW = np.empty(TILE, dtype=x.dtype)
    acc = np.empty(NC * TILE, dtype=x.dtype)
    e = start
    while e < stop:  # gx run by run, like the values (a scatter from the tiles was slower)
        seg = e // lg
        g = seg % G
        run_end = min(stop, (seg + 1) * lg)
        xs, gs, gxs = x[e:run_end], gy[e:run_end], gx[e:run_end]
        for i in range(run_end - e):
            gxs[i] = gs[i] * value(a, M, b, g, NB, KIND, xs[i], 1, one, c0)
        e = run_end
    s_first, s_last = start // lg, (stop - 1) // lg
    for g in range(G):
        acc[:] = 0
        n = 0
        sg = s_first + (g - s_first) % G  # first run of group g in the chunk
        pos = max(start, sg * lg)  # next point of the run to gather
        while sg <= s_last:
            e1 = min(stop, (sg + 1) * lg)
            take = min(e1 - pos, TILE - n)
            # slices, not x[pos + l]: an index Numba cannot prove >= 0 gets a wraparound
            # branch that stops LLVM vectorising the loop (measured 14x slower)
            xs, gs = x[pos : pos + take], gy[pos : pos + take]
            Xd, Gd = X[n : n + take], GY[n : n + take]
            for l in range(take):
                Xd[l] = xs[l]
            for l in range(take):
                Gd[l] = gs[l]
            n += take
            pos += take
            if pos >= e1:
                sg += G
                pos = sg * lg
            if n == TILE or (sg > s_last and n > 0):
                _tile(M, NB, KIND, a, b, g, one, c0, n, X, GY, WZ, PW, acc)
                n = 0
        for c in range(NC):
            s = 0.0
            for l in range(TILE):
                s += acc[c * TILE + l]
            part[ic, g, c] = s


_inline = dict(_compile.CPU_OPTIONS, inline="always")
_tile = njit(**_inline)(_tile_body)
_values_inl = njit(**_inline)(_values_body)
_grad_inl = njit(**_inline)(_grad_body)
_values_generic = njit(**_compile.CPU_OPTIONS)(_values_body)
_grad_generic = njit(**_compile.CPU_OPTIONS)(_grad_body)


@njit(**_compile.CPU_OPTIONS)
def _jacobian_generic(M, NB, KIND, x, a, b, one, c0, out):
    for i in range(x.shape[0]):
        jacobian_row(a, M, b, 0, NB, KIND, x[i], one, c0, out, i)


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _values_generic_parallel(M, NB, KIND, x, a, b, lg, nu, one, c0, out, chunk):
    N = x.shape[0]
    for ic in prange((N + chunk - 1) // chunk):
        _values_generic(
            M, NB, KIND, x, a, b, lg, nu, one, c0, out, ic * chunk, min(N, (ic + 1) * chunk)
        )


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _grad_generic_parallel(M, NB, KIND, x, gy, a, b, lg, one, c0, gx, part, chunk):
    for ic in prange(part.shape[0]):
        _grad_generic(M, NB, KIND, x, gy, a, b, lg, one, c0, gx, part, ic, chunk)


@functools.cache
def _loops(M, NB, KIND):
    """Loops with the degrees ``M``, ``NB`` and ``KIND`` as compile-time constants."""

    @njit(**_compile.CPU_OPTIONS)
    def values_range(x, a, b, lg, nu, one, c0, out, start, stop):
        _values_inl(M, NB, KIND, x, a, b, lg, nu, one, c0, out, start, stop)

    @njit(**_compile.CPU_PARALLEL_OPTIONS)
    def values_parallel(x, a, b, lg, nu, one, c0, out, chunk):
        N = x.shape[0]
        for ic in prange((N + chunk - 1) // chunk):
            values_range(x, a, b, lg, nu, one, c0, out, ic * chunk, min(N, (ic + 1) * chunk))

    @njit(**_compile.CPU_OPTIONS)
    def grad_chunk(x, gy, a, b, lg, one, c0, gx, part, ic, chunk):
        _grad_inl(M, NB, KIND, x, gy, a, b, lg, one, c0, gx, part, ic, chunk)

    @njit(**_compile.CPU_PARALLEL_OPTIONS)
    def grad_parallel(x, gy, a, b, lg, one, c0, gx, part, chunk):
        for ic in prange(part.shape[0]):
            grad_chunk(x, gy, a, b, lg, one, c0, gx, part, ic, chunk)

    return types.SimpleNamespace(
        values_range=values_range,
        values_parallel=values_parallel,
        grad_chunk=grad_chunk,
        grad_parallel=grad_parallel,
    )


@njit(**_compile.CPU_OPTIONS)
def _finish(part, b, m, kind, ga, gb):
    """Second stage: chunks summed in order; ``ga`` over every group, ``gb`` per group."""
    G, nb = b.shape[0], b.shape[1]
    for c in range(m + 1):
        s = 0.0
        for ic in range(part.shape[0]):
            for g in range(G):
                s += part[ic, g, c]
        ga[c] = s
    for g in range(G):
        for jj in range(nb):
            s = 0.0
            for ic in range(part.shape[0]):
                s += part[ic, g, m + 1 + jj]
            if kind == ABS:
                bj = b[g, jj]
                s = s if bj > 0 else (-s if bj < 0 else 0.0 * s)
            gb[g, jj] = s


def specialise(n_points):
    """Whether a call on ``n_points`` elements uses the degree-specialised loops."""
    return n_points >= SPECIALISE_ABOVE


def evaluate(x, a, b, kind, lg, nu, one, c0, out):
    """``out = F(x)`` (``nu = 0``) or ``F'(x)`` (``nu = 1``) on flat ``x``.

    ``a`` (m+1,), ``b`` (G, nb), all of ``x``'s dtype; ``one``/``c0`` scalars of that dtype;
    the point ``e`` uses the denominator ``b[(e // lg) % G]``.
    """
    m, nb, N = a.shape[0] - 1, b.shape[1], x.shape[0]
    chunk = chunk_size(b.shape[0])
    if not specialise(N):
        if N < SERIAL_BELOW:
            _values_generic(m, nb, kind, x, a, b, lg, nu, one, c0, out, 0, N)
        else:
            _values_generic_parallel(m, nb, kind, x, a, b, lg, nu, one, c0, out, chunk)
    else:
        _loops(m, nb, kind).values_parallel(x, a, b, lg, nu, one, c0, out, chunk)


def gradients(x, gy, a, b, kind, lg, one, c0, gx, ga, gb):
    """``gx = gy F'(x)``, ``ga = sum gy dF/da`` (m+1,), ``gb[g] = sum_{e in g} gy dF/db_g``.

    ``ga``, ``gb`` are float64 (the two-stage sums); ``gx`` has ``x``'s dtype.  The chunks, and
    so the sums, do not depend on the path (serial, parallel, specialised) or the threads.
    """
    m, G, nb, N = a.shape[0] - 1, b.shape[0], b.shape[1], x.shape[0]
    chunk = chunk_size(G)
    nchunks = max(1, (N + chunk - 1) // chunk)
    part = np.zeros((nchunks, G, m + 1 + nb), dtype=np.float64)
    if specialise(N):
        _loops(m, nb, kind).grad_parallel(x, gy, a, b, lg, one, c0, gx, part, chunk)
    elif N < SERIAL_BELOW or nchunks == 1:
        for ic in range(nchunks):
            _grad_generic(m, nb, kind, x, gy, a, b, lg, one, c0, gx, part, ic, chunk)
    else:
        _grad_generic_parallel(m, nb, kind, x, gy, a, b, lg, one, c0, gx, part, chunk)
    _finish(part, b, m, kind, ga, gb)


def jacobian(x, a, b, kind, one, c0, out):
    """``out[i, c] = dF/dcoef_c(x_i)`` for a single group (``b`` of shape (1, nb))."""
    _jacobian_generic(a.shape[0] - 1, b.shape[1], kind, x, a, b, one, c0, out)
