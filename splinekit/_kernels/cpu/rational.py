"""CPU launchers for (grouped) rational functions: one fused pass, lanes of ``LANES`` points.

Layout: ``x`` is flat; the element ``e`` belongs to the group ``(e // lg) % G`` (``G`` groups,
``b`` of shape ``(G, nb)``) -- KAT's channel-to-group map once ``x`` is viewed as
``(rows, G, lg)``.  The group pattern repeats with the period ``P = G * lg``.  Two walks:

* **columns** (``G > 1``, ``P <= PERIOD_MAX``, ``P`` divides ``len(x)``; KAT's
  ``(tokens, C)``): ``x`` is viewed as ``(rows, P)``; a block of ``LANES`` columns is one
  contiguous loop over the rows of a chunk (its accumulators stay in L1).  Each
  column reads its own denominator from a *column table* ``tab[k, j, l] = b[col // lg, j]``
  (``col = k * LANES + l``), so the loop does not stop at every group boundary (runs of
  ``lg = 32`` points cost as much again in loop set-up as in arithmetic, measured).
* **runs** (any other layout: one group, or channels first with large images, where runs are
  long): the chunk is walked run by run (a run = ``lg`` consecutive points of one group) in
  pieces of ``LANES`` points.

The gradient is one fused pass per point: ``gx`` and the coefficient contributions ``w x^i``,
``z y^j`` (see ``scalar/rational.point_grad``) summed into *lane accumulators*
``acc[.., c, l]`` (lane ``l`` = position in the block of ``LANES``), in ``x``'s dtype, over at
most 256 terms each; a chunk folds its lanes into float64 ``part[chunk, group]`` in
a fixed order, and :func:`_finish` sums the chunks in order.  No atomics, no reassociation: the
result does not depend on the number of threads (the chunks and every order of summation are
fixed by the shape alone).  The lanes are what makes the loop vectorise without reassociation:
each lane's sum is its own dependency chain.  The loops let LLVM fuse multiply-adds
(``_compile.CPU_FMA_OPTIONS``), so the generic and the specialised loops agree to a rounding of
the terms, not bit for bit.

The degrees ``(m, nb)`` and the ``kind`` are compile-time constants of the loops: :func:`_loops`
builds (once per triple, cached on disk by Numba, which keys closures by their values) loops
whose inlined scalar routines have constant trip counts, so LLVM unrolls Horner and vectorises
over the lanes.  Arrays below ``SPECIALISE_ABOVE`` points take the generic loops (the same
closures with ``M = -1``: runtime degrees, scalar code, but one compilation per dtype for every
degree), serial below ``SERIAL_BELOW``.
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
accumulate = S.accumulate
jacobian_row = S.jacobian_row
first_power = S.first_power

LANES = 256  # lanes per coefficient: one block of columns (a power of two; 8 AVX2 vectors x 32)
CHUNK = 32768  # elements per parallel task (a float32 lane sum runs over <= 256 terms)
PERIOD_MAX = 16384  # columns walk up to this period (column table nb x P)
SERIAL_BELOW = 16384  # a parallel region costs tens of microseconds to open
SPECIALISE_ABOVE = 65536  # below, the generic loops; above, constant degrees (compiled once)
ABS = _rational_src.ABS


def columns_layout(n_points, n_groups, lg):
    """Whether the columns walk applies: a period that tiles ``x`` and fits the table.

    Faster than the runs walk even for long runs (gradients of 2**20 float32 points at
    ``lg = 256``: 1.0 ms against 1.4 ms, measured), so used wherever it applies -- except for
    a single group, whose one run needs no table.
    """
    period = n_groups * lg
    return n_groups > 1 and period <= PERIOD_MAX and n_points % period == 0


def row_width(n_points, n_groups, lg):
    """Columns of one row of the columns walk: the period ``P = G * lg``, repeated up to a block.

    A period shorter than a block is repeated ``LANES // P`` times (when that tiles ``x``) so
    that a lane sums over at most ``max(32, CHUNK / W)`` rows; ``W = P`` would let a lane of a
    tiny period sum ``CHUNK / P`` float32 terms.
    """
    period = n_groups * lg
    width = period * max(1, LANES // period)
    return width if n_points % width == 0 else period


def column_table(b, lg, width, dtype):
    """``tab[k, j, l] = b[((k * LANES + l) // lg) % G, j]`` for the ``width`` columns of a row."""
    G, nb = b.shape
    period = G * lg
    nblk = (width + LANES - 1) // LANES
    per_col = np.zeros((nblk * LANES, nb), dtype=dtype)
    per_col[:width] = np.tile(np.repeat(b, lg, axis=0), (width // period, 1))
    return np.ascontiguousarray(per_col.reshape(nblk, LANES, nb).transpose(0, 2, 1))


def rows_per_chunk(width):
    """Rows of one parallel task: ``CHUNK`` elements, at least 32 rows and at most 256.

    Each task folds its lanes once per column block; with 8 rows a task, the fold cost as much
    as the arithmetic at ``P = 4096`` (measured 1.9 ms against 1.1 ms for 2**20 points).  At
    most 256 rows: the bound on the terms of a float32 lane sum.
    """
    return max(32, min(256, CHUNK // width))


# Loop bodies, plain Python with the degrees and kind as leading arguments.  Compiled twice: as
# generic functions (runtime degrees; one compilation per dtype) and inlined into the specialised
# closures of _loops (constant degrees; one compilation per (m, nb, kind, dtype)).  Slices, not
# x[e + l]: an index Numba cannot prove >= 0 gets a wraparound branch that stops LLVM vectorising.


def _values_cols_body(M, NB, KIND, x2, a, tab, nu, one, c0, out2, r0, r1):
    P = x2.shape[1]
    for k in range(tab.shape[0]):
        c1 = min(P, (k + 1) * LANES)
        tk = tab[k]
        for r in range(r0, r1):
            xs, os = x2[r, k * LANES : c1], out2[r, k * LANES : c1]
            if nu == 0:
                for l in range(c1 - k * LANES):
                    os[l] = value(a, M, tk, l, NB, KIND, xs[l], 0, one, c0)
            else:
                for l in range(c1 - k * LANES):
                    os[l] = value(a, M, tk, l, NB, KIND, xs[l], 1, one, c0)


def _values_runs_body(M, NB, KIND, x, a, bt, lg, nu, one, c0, out, start, stop):
    G = bt.shape[1]
    e = start
    while e < stop:
        seg = e // lg
        g = seg % G
        run_end = min(stop, (seg + 1) * lg)
        xs, os = x[e:run_end], out[e:run_end]
        if nu == 0:
            for i in range(run_end - e):
                os[i] = value(a, M, bt, g, NB, KIND, xs[i], 0, one, c0)
        else:
            for i in range(run_end - e):
                os[i] = value(a, M, bt, g, NB, KIND, xs[i], 1, one, c0)
        e = run_end


def _grad_cols_body(M, NB, KIND, x2, gy2, a, tab, lg, one, c0, gx2, part, ic, rows):
    """Rows ``[ic * rows, ...)``: ``gx`` there and ``part[ic, g, :]``, the chunk's group sums.

    Block of columns outermost: its lane accumulators (and table block) stay in L1 whatever the
    period (rows outermost, with one accumulator block per column block, ran 1.7x slower at
    ``P = 2048``, measured).
    """
    R, P = x2.shape
    G = part.shape[1]
    J0 = first_power(KIND)
    acc = np.empty((M + 1 + NB, LANES), dtype=x2.dtype)
    r0, r1 = ic * rows, min(R, (ic + 1) * rows)
    for k in range(tab.shape[0]):
        c1 = min(P, (k + 1) * LANES)
        width = c1 - k * LANES
        for c in range(M + 1 + NB):
            acc[c, :width] = 0
        tk = tab[k]
        for r in range(r0, r1):
            xs, gs, gxs = x2[r, k * LANES : c1], gy2[r, k * LANES : c1], gx2[r, k * LANES : c1]
            for l in range(width):
                xv = xs[l]
                gxi, w, z, y = point_grad(a, M, tk, l, NB, KIND, xv, gs[l], one, c0)
                gxs[l] = gxi
                accumulate(acc, l, M, NB, J0, xv, y, w, z, one)
        for l in range(width):  # fold the lanes into their groups, in column order
            g = ((k * LANES + l) // lg) % G
            for c in range(M + 1 + NB):
                part[ic, g, c] += acc[c, l]


def _grad_runs_body(M, NB, KIND, x, gy, a, bt, lg, one, c0, gx, part, ic, chunk):
    """Elements ``[ic * chunk, ...)`` run by run; each run's lanes folded into ``part[ic, g]``."""
    G = bt.shape[1]
    J0 = first_power(KIND)
    acc = np.empty((M + 1 + NB, LANES), dtype=x.dtype)
    start = ic * chunk
    stop = min(x.shape[0], start + chunk)
    e = start
    while e < stop:
        seg = e // lg
        g = seg % G
        run_end = min(stop, (seg + 1) * lg)
        used = min(LANES, run_end - e)
        for c in range(M + 1 + NB):
            acc[c, :used] = 0
        while e < run_end:
            n = min(LANES, run_end - e)
            xs, gs, gxs = x[e : e + n], gy[e : e + n], gx[e : e + n]
            for l in range(n):
                xv = xs[l]
                gxi, w, z, y = point_grad(a, M, bt, g, NB, KIND, xv, gs[l], one, c0)
                gxs[l] = gxi
                accumulate(acc, l, M, NB, J0, xv, y, w, z, one)
            e += n
        _fold_lanes(acc, used, part, ic, g)


def _fold_lanes_body(acc, used, part, ic, g):
    """``part[ic, g, c] += sum_l acc[c, l]`` over the ``used`` lanes, in a fixed order.

    A full block is halved in place (``LANES`` is a power of two; vector adds) down to 8
    lanes, summed in float64: one dependent float64 add per lane cost 5 cycles a point on long
    runs, more than the arithmetic (measured).
    """
    for c in range(acc.shape[0]):
        ac = acc[c]
        width = used
        if used == LANES:
            while width > 8:
                width //= 2
                lo, hi = ac[:width], ac[width : 2 * width]
                for l in range(width):
                    lo[l] += hi[l]
        s = 0.0
        for l in range(width):
            s += ac[l]
        part[ic, g, c] += s


_fold_lanes = njit(**dict(_compile.CPU_FMA_OPTIONS, inline="always"))(_fold_lanes_body)


_inline = dict(_compile.CPU_FMA_OPTIONS, inline="always")
_values_cols_inl = njit(**_inline)(_values_cols_body)
_values_runs_inl = njit(**_inline)(_values_runs_body)
_grad_cols_inl = njit(**_inline)(_grad_cols_body)
_grad_runs_inl = njit(**_inline)(_grad_runs_body)


@njit(**_compile.CPU_OPTIONS)
def _jacobian_generic(M, NB, KIND, x, a, bt, one, c0, out):
    for i in range(x.shape[0]):
        jacobian_row(a, M, bt, 0, NB, KIND, x[i], one, c0, out, i)


@functools.cache
def _loops(M, NB, KIND, parallel=True):
    """The four entries over the chunks (``prange``), with the degrees and kind frozen.

    ``M >= 0``: ``(M, NB, KIND)`` are compile-time constants (the arguments ``m, nb, kind`` are
    ignored); ``M = -1``: the generic loops, degrees taken from the arguments (one compilation
    per dtype).  ``parallel=False``: a serial twin for small arrays (a parallel region costs
    tens of microseconds), same chunks and so the same sums.
    """
    frozen = M >= 0

    def jit(f):
        # Numba's on-disk cache is keyed by qualname, code and closure values, not by the
        # options: the serial twin gets its own name
        f.__qualname__ += "" if parallel else "_serial"
        return njit(**dict(_compile.CPU_FMA_OPTIONS, parallel=parallel))(f)

    @jit
    def values_cols(m, nb, kind, x2, a, tab, nu, one, c0, out2, rows):
        R = x2.shape[0]
        for ic in prange((R + rows - 1) // rows):
            r1 = min(R, (ic + 1) * rows)
            _values_cols_inl(
                M if frozen else m, NB if frozen else nb, KIND if frozen else kind,
                x2, a, tab, nu, one, c0, out2, ic * rows, r1,
            )  # fmt: skip

    @jit
    def values_runs(m, nb, kind, x, a, bt, lg, nu, one, c0, out, chunk):
        N = x.shape[0]
        for ic in prange((N + chunk - 1) // chunk):
            e1 = min(N, (ic + 1) * chunk)
            _values_runs_inl(
                M if frozen else m, NB if frozen else nb, KIND if frozen else kind,
                x, a, bt, lg, nu, one, c0, out, ic * chunk, e1,
            )  # fmt: skip

    @jit
    def grad_cols(m, nb, kind, x2, gy2, a, tab, lg, one, c0, gx2, part, rows):
        for ic in prange(part.shape[0]):
            _grad_cols_inl(
                M if frozen else m, NB if frozen else nb, KIND if frozen else kind,
                x2, gy2, a, tab, lg, one, c0, gx2, part, ic, rows,
            )  # fmt: skip

    @jit
    def grad_runs(m, nb, kind, x, gy, a, bt, lg, one, c0, gx, part, chunk):
        for ic in prange(part.shape[0]):
            _grad_runs_inl(
                M if frozen else m, NB if frozen else nb, KIND if frozen else kind,
                x, gy, a, bt, lg, one, c0, gx, part, ic, chunk,
            )  # fmt: skip

    return types.SimpleNamespace(
        values_cols=values_cols, values_runs=values_runs, grad_cols=grad_cols, grad_runs=grad_runs
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


def _entries(n_points, m, nb, kind):
    if specialise(n_points):
        return _loops(m, nb, kind)
    return _loops(-1, -1, -1, n_points >= SERIAL_BELOW)


def evaluate(x, a, b, kind, lg, nu, one, c0, out):
    """``out = F(x)`` (``nu = 0``) or ``F'(x)`` (``nu = 1``) on flat ``x``.

    ``a`` (m+1,), ``b`` (G, nb), all of ``x``'s dtype; ``one``/``c0`` scalars of that dtype;
    the point ``e`` uses the denominator ``b[(e // lg) % G]``.
    """
    (G, nb), m, N = b.shape, a.shape[0] - 1, x.shape[0]
    L = _entries(N, m, nb, kind)
    if columns_layout(N, G, lg):
        W = row_width(N, G, lg)
        tab = column_table(b, lg, W, x.dtype)
        x2, o2 = x.reshape(N // W, W), out.reshape(N // W, W)
        L.values_cols(m, nb, kind, x2, a, tab, nu, one, c0, o2, rows_per_chunk(W))
    else:
        bt = np.ascontiguousarray(b.T)
        L.values_runs(m, nb, kind, x, a, bt, lg, nu, one, c0, out, CHUNK)


def gradients(x, gy, a, b, kind, lg, one, c0, gx, ga, gb):
    """``gx = gy F'(x)``, ``ga = sum gy dF/da`` (m+1,), ``gb[g] = sum_{e in g} gy dF/db_g``.

    ``ga``, ``gb`` are float64 (the two-stage sums); ``gx`` has ``x``'s dtype.  The chunks, and
    so the sums, do not depend on the path (serial, parallel, specialised) or the threads.
    """
    (G, nb), m, N = b.shape, a.shape[0] - 1, x.shape[0]
    L = _entries(N, m, nb, kind)
    if columns_layout(N, G, lg):
        W = row_width(N, G, lg)
        rows = rows_per_chunk(W)
        part = np.zeros(((N // W + rows - 1) // rows, G, m + 1 + nb), dtype=np.float64)
        tab = column_table(b, lg, W, x.dtype)
        x2, g2, gx2 = x.reshape(N // W, W), gy.reshape(N // W, W), gx.reshape(N // W, W)
        L.grad_cols(m, nb, kind, x2, g2, a, tab, lg, one, c0, gx2, part, rows)
    else:
        part = np.zeros((max(1, (N + CHUNK - 1) // CHUNK), G, m + 1 + nb), dtype=np.float64)
        bt = np.ascontiguousarray(b.T)
        L.grad_runs(m, nb, kind, x, gy, a, bt, lg, one, c0, gx, part, CHUNK)
    _finish(part, b, m, kind, ga, gb)


def jacobian(x, a, b, kind, one, c0, out):
    """``out[i, c] = dF/dcoef_c(x_i)`` for a single group (``b`` of shape (1, nb))."""
    bt = np.ascontiguousarray(b.T)
    _jacobian_generic(a.shape[0] - 1, b.shape[1], kind, x, a, bt, one, c0, out)
