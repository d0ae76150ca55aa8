"""Spline interpolation with boundary conditions: ``make_interp_spline``.

The interpolant ``S(x) = sum_j c_j B_{j,k}(x)`` solves the collocation system

.. math::

    S(x_i) = y_i \\ (i < m), \\qquad S^{(o)}(x_0) = v, \\ S^{(o)}(x_{m-1}) = v
    \\ \\text{(boundary conditions)},

whose matrix is banded (``k`` sub- and super-diagonals once the derivative rows are placed before
and after the data rows), so it is solved by banded LU with partial pivoting in ``O(m k^2)``.
Periodic interpolation couples the ends: the cyclic system is solved by sparse LU.
"""

from __future__ import annotations

import numpy as np

from .. import _backend, _checks, knots
from ..basis import bspline_basis, check_in_base, design_matrix, uniform_inv_h
from . import _common

__all__ = ["make_interp_spline"]

_NAMED = {"clamped": [(1, 0.0)], "natural": [(2, 0.0)], "not-a-knot": None}
_VALID = "None, 'not-a-knot', 'clamped', 'natural', 'periodic', or a pair (left, right)"


def make_interp_spline(x, y, k=3, t=None, bc_type=None, axis=0):
    """Interpolating B-spline of degree ``k`` through ``(x_i, y_i)`` with boundary conditions.

    Parameters
    ----------
    x : array_like, shape (m,)
        Sites, finite and strictly increasing.
    y : array_like, shape (..., m, ...)
        Values, ``m`` of them along ``axis``; trailing dimensions give several interpolants on
        the same knots (real or complex; float32 in gives float32 coefficients).
    k : int
        Degree, any ``k >= 0`` (SciPy allows only odd ``k`` with the default not-a-knot ends).
    t : array_like, shape (m + k + 1 + n_bc,), optional
        Knots.  Default: not-a-knot knots (:func:`splinekit.knots.not_a_knot`) without
        boundary conditions, the sites with ``k``-fold ends with them, periodic knots for
        ``"periodic"``.
    bc_type : None, str or pair
        ``None``/``"not-a-knot"``, ``"clamped"`` (``S' = 0``), ``"natural"`` (``S'' = 0``),
        ``"periodic"``, or ``(left, right)`` where each is one of those names, ``None`` or a list
        of ``(order, value)`` pairs, ``S^{(order)}(end) = value`` (value broadcast to the
        trailing shape of ``y``).  With the default knots the ends need ``k - 1`` conditions in
        total.
    axis : int
        The data axis of ``y``.

    Returns
    -------
    BSpline
        ``extrapolate="periodic"`` for periodic interpolation.

    Raises
    ------
    ValueError
        Unsorted, duplicate or non-finite ``x``; non-finite ``y``; fewer points than the degree
        needs; an unknown ``bc_type`` or one that does not fit ``k``; periodic data with
        ``y[0] != y[-1]``; a singular system (sites and knots violate Schoenberg-Whitney).

    Notes
    -----
    CuPy input is solved on the host (the banded LU is sequential) and the spline comes back
    with CuPy knots and coefficients.

    References
    ----------
    C. de Boor, *A Practical Guide to Splines*, rev. ed., Springer 2001, ch. XIII.

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit.fitting import make_interp_spline
    >>> x = np.linspace(0.0, 1.0, 7)
    >>> s = make_interp_spline(x, x**3, bc_type="natural")
    >>> bool(np.allclose(s(x), x**3))
    True
    """
    xp = _backend.array_namespace(x, y, t)
    if _backend.is_cupy_namespace(xp):  # documented host solve; the result goes back to CuPy
        s = make_interp_spline(
            *(_backend.to_numpy(a) if a is not None else None for a in (x, y, t)),
            k=k,
            bc_type=bc_type,
            axis=axis,
        )
        return type(s).construct_fast(xp.asarray(s.t), xp.asarray(s.c), s.k, s.extrapolate, s.axis)
    k = _checks.check_degree(k)
    x = _common.sites(x)
    y2, trailing, dtype, axis = _common.values(y, x.shape[0], axis)
    left, right, periodic = _parse_bc(bc_type, k)
    if t is not None:
        t = _checks.check_knots(_checks.as_float_array(t, "t", dtype=np.float64), k)
    if periodic:
        t, c2 = _periodic(x, y2, k, t)
        return _common.spline(t, c2, k, trailing, dtype, axis, np, extrapolate="periodic")
    cplx = dtype.kind == "c"
    lv, rv = _bc_values(left, y2, trailing, cplx), _bc_values(right, y2, trailing, cplx)
    t = _default_knots(x, k, t, left, right)
    c2 = _solve(x, y2, k, t, left, right, lv, rv)
    return _common.spline(t, c2, k, trailing, dtype, axis, np)


def _parse_end(spec, k, side):
    if spec is None:
        return []
    if isinstance(spec, str):
        if spec not in _NAMED:
            raise ValueError(f"unknown bc_type {spec!r} at the {side} end; expected {_VALID}")
        return list(_NAMED[spec] or [])
    try:
        pairs = [(o, v) for o, v in spec]
    except (TypeError, ValueError):
        raise ValueError(
            f"bc_type at the {side} end must be a name, None or a list of (order, value) "
            f"pairs; got {spec!r}"
        ) from None
    orders = [
        _checks.check_nonneg_int(o, f"derivative order in bc_type ({side})") for o, _ in pairs
    ]
    for o in orders:
        if not 1 <= o <= k:
            raise ValueError(
                f"bc_type at the {side} end asks for derivative order {o}; a degree k={k} "
                f"spline takes orders 1..{k} there"
            )
    if len(set(orders)) != len(orders):
        raise ValueError(f"bc_type at the {side} end repeats a derivative order: {orders}")
    return [(o, v) for o, (_, v) in zip(orders, pairs, strict=True)]


def _parse_bc(bc_type, k):
    """(left pairs, right pairs, periodic?)."""
    if isinstance(bc_type, str) and bc_type == "periodic":
        return [], [], True
    if bc_type is None or isinstance(bc_type, str):
        end = _parse_end(bc_type, k, "left")
        return end, [(o, v) for o, v in end], False
    try:
        lspec, rspec = bc_type
    except (TypeError, ValueError):
        raise ValueError(f"unknown bc_type {bc_type!r}; expected {_VALID}") from None
    if any(isinstance(s, str) and s == "periodic" for s in (lspec, rspec)):
        raise ValueError("bc_type='periodic' applies to both ends: pass the string 'periodic'")
    return _parse_end(lspec, k, "left"), _parse_end(rspec, k, "right"), False


def _bc_values(pairs, y2, trailing, is_c):
    """Each pair's value as a row in ``y2``'s real column layout."""
    rows = []
    for order, v in pairs:
        v = np.asarray(v)
        if v.dtype.kind == "c" and not is_c:
            raise ValueError(f"a complex boundary value (order {order}) needs complex y")
        try:
            v = np.broadcast_to(v, trailing)
        except ValueError:
            raise ValueError(
                f"boundary value for derivative order {order} has shape {v.shape}; it must "
                f"broadcast to y's trailing shape {trailing}"
            ) from None
        v = np.ascontiguousarray(v, dtype=np.complex128 if is_c else np.float64).reshape(-1)
        _checks.check_finite(v, f"boundary value (order {order})")
        rows.append(v.view(np.float64) if is_c else v)
    return np.array(rows, dtype=np.float64).reshape(len(pairs), y2.shape[1])


def _default_knots(x, k, t, left, right):
    m, nl, nr = x.shape[0], len(left), len(right)
    if t is None:
        if k == 0 and (nl or nr):
            raise ValueError("degree k=0 takes no boundary conditions (bc_type must be None)")
        if nl == 0 and nr == 0:
            if m < k + 1:
                raise ValueError(
                    f"need at least k+1 = {k + 1} data points for not-a-knot interpolation of "
                    f"degree k={k}; got {m}"
                )
            if k == 0:  # nearest-site spans: every site, the last one too, is interpolated
                return np.r_[x[0], 0.5 * (x[1:] + x[:-1]), x[-1]] if m > 1 else np.r_[x, x + 1]
            return knots.not_a_knot(x, k)
        if m < 2:
            raise ValueError(f"need at least 2 data points; got {m}")
        t = np.r_[[x[0]] * k, x, [x[-1]] * k]
        if nl + nr != k - 1:
            raise ValueError(
                f"bc_type gives {nl} + {nr} = {nl + nr} boundary conditions, but a degree "
                f"k={k} interpolant on knots at the data sites needs exactly k-1 = {k - 1}"
                + (
                    " (for even k put one more condition at one end only, e.g. "
                    "bc_type=([(1, 0.0)], None) for k=2)"
                    if k % 2 == 0
                    else ""
                )
            )
        return t
    nt = t.shape[0] - k - 1
    if nt != m + nl + nr:
        raise ValueError(
            f"t of length {t.shape[0]} gives n = len(t)-k-1 = {nt} B-splines of degree {k}, "
            f"but {m} data points and {nl} + {nr} boundary conditions make {m + nl + nr} "
            f"equations"
        )
    return t


def _solve(x, y2, k, t, left, right, lv, rv):
    """Banded collocation system: derivative rows, data rows, derivative rows."""
    from .._kernels.cpu import fitting as K

    nt = t.shape[0] - k - 1
    nl, nr = len(left), len(right)
    a = np.zeros((nt, 3 * k + 1))
    rhs = np.empty((nt, y2.shape[1]))
    check_in_base(x, t, k, np)
    bad = K.colloc_band(t, k, x, uniform_inv_h(t, k), nl, k, k, a)
    for pairs, xe, row0 in ((left, x[0], 0), (right, x[-1], nt - nr)):
        if pairs:
            B, f = bspline_basis(np.array([xe]), t, k, nu=max(o for o, _ in pairs))
            dv = np.stack([B[o, 0] for o, _ in pairs])
            bad = bad or K.colloc_packed(dv, np.full(len(pairs), f[0]), row0, k, k, a)
    if bad:
        _singular(x, t, k, "a data row falls outside the band")
    rhs[:nl] = lv
    rhs[nl : nt - nr] = y2
    rhs[nt - nr :] = rv
    ipiv = np.empty(nt, dtype=np.int64)
    if K.lu_factor(a, k, k, ipiv):
        _singular(x, t, k, "zero pivot")
    K.lu_solve(a, k, k, ipiv, rhs)
    if not np.isfinite(rhs).all():
        _singular(x, t, k, "non-finite solution")
    return rhs


def _singular(x, t, k, why):
    raise ValueError(
        f"the interpolation system is singular ({why}): the data sites and the knots violate "
        f"the Schoenberg-Whitney condition t[j] < x[j] < t[j+k+1] (k={k}, {x.shape[0]} sites, "
        f"{t.shape[0]} knots), or a boundary condition repeats the data"
    )


def _periodic_breakpoints(x, k):
    """SciPy's periodic breakpoints: the sites (odd k) or the mid-sites inside (even k)."""
    xc = x.copy()
    if k % 2 == 0 and x.shape[0] > 2:
        xc[1:-1] = 0.5 * (x[1:-1] + x[:-2])
    return xc


def _periodic(x, y2, k, t):
    m = x.shape[0]
    if m < k + 1 or m < 2:
        raise ValueError(
            f"need at least k+1 = {max(k + 1, 2)} data points for periodic interpolation of "
            f"degree k={k}; got {m}"
        )
    gap = np.abs(y2[0] - y2[-1]).max()
    scale = np.abs(y2).max()
    if gap > 1e-15 + 1e-12 * scale:
        raise ValueError(
            f"periodic interpolation needs y[0] == y[-1]; they differ by {gap:.3g} (largest "
            f"|y| is {scale:.3g})"
        )
    if t is None:
        t = knots.from_breakpoints(_periodic_breakpoints(x, k), k, kind="periodic")
    elif t.shape[0] != m + 2 * k:
        raise ValueError(
            f"periodic knots for {m} points of degree k={k} must have length m + 2k = "
            f"{m + 2 * k}; got {t.shape[0]}"
        )
    nf = m - 1  # free coefficients: the last k repeat the first k
    vals, first = design_matrix(x[:-1], t, k, extrapolate="raise", format="packed")
    cols = (first[:, None] + np.arange(k + 1)) % nf
    rows = np.repeat(np.arange(nf), k + 1)
    c_free = _sparse_solve(rows, cols.ravel(), vals.ravel(), nf, y2[:-1], x, t, k)
    return t, c_free[np.arange(nf + k) % nf]


def _sparse_solve(rows, cols, vals, n, rhs, x, t, k):
    import scipy.sparse as sp
    from scipy.sparse.linalg import splu

    A = sp.csc_matrix((vals, (rows, cols)), shape=(n, n))  # duplicates (wrap-around) add up
    try:
        lu = splu(A)
    except RuntimeError:
        _singular(x, t, k, "periodic system, exactly singular")
    c = lu.solve(np.ascontiguousarray(rhs))
    if not np.isfinite(c).all():
        _singular(x, t, k, "periodic system, non-finite solution")
    return c.reshape(n, -1)
