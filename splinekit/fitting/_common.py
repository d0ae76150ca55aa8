"""Argument handling shared by the fitting functions (data sites, values, weights)."""

from __future__ import annotations

import numpy as np

from .. import _backend, _checks
from ..spline import BSpline


def sites(x, name="x", xp=np, strict=True, min_points=1):
    """Data sites as a finite 1-D float64 array; ``strict``: strictly increasing."""
    x = _checks.as_float_array(x, name, xp, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"{name} must be 1-dimensional; got shape {tuple(x.shape)}")
    _checks.check_finite(x, name, xp)
    if x.shape[0] < min_points:
        raise ValueError(f"need at least {min_points} data points; got {x.shape[0]}")
    if strict and x.shape[0] > 1:
        bad = x[1:] <= x[:-1]
        if bool(bad.any()):
            i = int(xp.nonzero(bad)[0][0])
            what = "duplicate" if float(x[i]) == float(x[i + 1]) else "decreasing"
            raise ValueError(
                f"{name} must be strictly increasing; {name}[{i}]={float(x[i])!r} and "
                f"{name}[{i + 1}]={float(x[i + 1])!r} are {what}"
            )
    return x


def values(y, m, axis, xp=np, name="y"):
    """``y`` with its data axis first: ``(y2 (m, ncols) real, trailing shape, dtype, axis)``.

    Complex values are viewed as interleaved real columns (every fitting matrix is real), so
    one real solve serves both parts.
    """
    y = _checks.as_float_array(y, name, xp, allow_complex=True)
    if y.ndim == 0:
        raise ValueError(f"{name} must be at least 1-dimensional; got a scalar")
    if not -y.ndim <= axis < y.ndim:
        raise ValueError(f"axis={axis} is out of range for {name} of shape {tuple(y.shape)}")
    axis = axis % y.ndim
    y = xp.moveaxis(y, axis, 0)
    if y.shape[0] != m:
        raise ValueError(
            f"x and {name} must have the same length along axis {axis}; got {m} sites and "
            f"{y.shape[0]} values ({name} has shape {tuple(xp.moveaxis(y, 0, axis).shape)})"
        )
    _checks.check_finite(y, name, xp)
    trailing = tuple(y.shape[1:])
    cplx = y.dtype.kind == "c"
    y2 = xp.ascontiguousarray(y.reshape(m, -1), dtype=np.complex128 if cplx else np.float64)
    if cplx:
        y2 = y2.view(np.float64)
    return y2, trailing, y.dtype, axis


def require_real(dtype, func):
    if dtype.kind == "c":
        raise TypeError(f"{func} needs real y (fit the real and imaginary parts separately)")


def weights(w, m, xp=np, name="w"):
    """Non-negative finite weights of length ``m`` (``None``: ones)."""
    if w is None:
        return xp.ones(m, dtype=np.float64)
    w = _checks.as_float_array(w, name, xp, dtype=np.float64)
    if w.shape != (m,):
        raise ValueError(f"{name} must have shape ({m},) like x; got {tuple(w.shape)}")
    _checks.check_finite(w, name, xp)
    neg = w < 0
    if bool(neg.any()):
        i = int(xp.nonzero(neg)[0][0])
        raise ValueError(f"{name} must be non-negative; {name}[{i}]={float(w[i])!r}")
    return w


def spline(t, c2, k, trailing, dtype, axis, xp, extrapolate=True):
    """``BSpline`` from real solution columns ``c2`` (n, ncols) back in ``y``'s shape and dtype."""
    n = c2.shape[0]
    if dtype.kind == "c":
        c2 = xp.ascontiguousarray(c2).view(np.complex128)
    c = c2.reshape((n,) + trailing).astype(dtype, copy=False)
    return BSpline.construct_fast(t, xp.ascontiguousarray(c), k, extrapolate, axis)


def namespace(*arrays):
    return _backend.array_namespace(*arrays)
