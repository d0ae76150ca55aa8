"""Argument checks and coercions shared by every public function.

Each check names the argument, says what was expected and what came, in the user's words::

    x must be finite; x[17] is nan
    knots must be non-decreasing; t[4]=0.3 > t[5]=0.2

They run once, at the door of a public function; kernels never check.
"""

from __future__ import annotations

import numbers
import operator

import numpy as np

__all__ = [
    "as_float_array",
    "check_degree",
    "check_finite",
    "check_knots",
    "check_nonneg_int",
    "first_index",
    "float_dtype",
]


def _describe(v) -> str:
    return "nan" if v != v else repr(float(v)) if np.isrealobj(v) else repr(v)


def first_index(mask, xp=np):
    """Index tuple (as text) of the first True entry of ``mask``; ``None`` if none."""
    flat = xp.nonzero(mask.ravel())[0]
    if flat.size == 0:
        return None
    idx = np.unravel_index(int(flat[0]), mask.shape)
    return ", ".join(str(int(i)) for i in idx)


def _reject_object(a, name):
    kind = getattr(getattr(a, "dtype", None), "kind", None)
    if kind == "O" or (kind is None and _holds_mpmath(a)):
        raise TypeError(
            f"{name} holds Python objects (e.g. mpmath numbers); splinekit's kernels work in "
            f"float32/float64. For high precision use splinekit.reference (mpmath)."
        )


def _holds_mpmath(a) -> bool:
    try:
        first = a[0] if isinstance(a, (list, tuple)) and a else a
        return type(first).__module__.startswith("mpmath")
    except Exception:
        return False


def float_dtype(*dtypes):
    """The floating dtype for these inputs: float32 only if every input is float32 or integer."""
    kinds = [np.dtype(d) for d in dtypes if d is not None]
    if (
        kinds
        and all(d == np.float32 or d.kind in "iub" for d in kinds)
        and any(d == np.float32 for d in kinds)
    ):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def as_float_array(a, name, xp=np, dtype=None, allow_complex=False, ndim=None):
    """``a`` as a contiguous float (or complex) array of ``xp``, with clear errors.

    Integers and booleans become float64; float32 stays float32 unless ``dtype`` says
    otherwise.  Complex input raises ``TypeError`` unless ``allow_complex``; object/mpmath input
    raises ``TypeError`` pointing to ``splinekit.reference``.
    """
    _reject_object(a, name)
    arr = xp.asarray(a)
    if arr.dtype.kind == "O":
        _reject_object(arr, name)
    if arr.dtype.kind == "c" and not allow_complex:
        raise TypeError(f"{name} must be real; got a complex array (dtype {arr.dtype})")
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"{name} must be numeric; got dtype {arr.dtype}")
    if dtype is None:
        if arr.dtype.kind == "c":
            dtype = arr.dtype if arr.dtype == np.complex64 else np.complex128
        else:
            dtype = np.float32 if arr.dtype == np.float32 else np.float64
    arr = xp.asarray(arr, dtype=dtype, order="C")  # (ascontiguousarray would make 0-d 1-d)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional; got shape {tuple(arr.shape)}")
    return arr


def check_finite(a, name, xp=np):
    """Raise ``ValueError`` naming the first non-finite entry of ``a``."""
    bad = ~xp.isfinite(a)
    if bool(bad.any()):
        where = first_index(bad, xp)
        v = a[tuple(int(i) for i in where.split(", "))]
        raise ValueError(f"{name} must be finite; {name}[{where}] is {_describe(v)}")
    return a


def check_nonneg_int(v, name, minimum=0):
    """``v`` as a Python int ``>= minimum``; bools and non-integral values are rejected."""
    if isinstance(v, bool) or not isinstance(v, (numbers.Integral, np.integer)):
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            raise TypeError(f"{name} must be an integer; got the float {v!r} (write {int(v)})")
        raise TypeError(f"{name} must be an integer; got {v!r}")
    v = operator.index(v)
    if v < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {v}")
    return v


def check_degree(k):
    """The spline degree as an int >= 0."""
    return check_nonneg_int(k, "k (the degree)")


def check_knots(t, k, xp=np, name="t"):
    """Validate a knot vector for degree ``k``: 1-D, finite, non-decreasing, long enough.

    Requires ``len(t) >= 2k + 2`` (at least ``k + 1`` B-splines) and a base interval
    ``[t[k], t[n]]`` of positive length.
    """
    if t.ndim != 1:
        raise ValueError(f"knots {name} must be 1-dimensional; got shape {tuple(t.shape)}")
    _finite_knots(t, name, xp)
    if t.shape[0] < 2 * k + 2:
        raise ValueError(
            f"need at least 2k+2 = {2 * k + 2} knots for degree k={k}; got {t.shape[0]}"
        )
    dec = t[1:] < t[:-1]
    if bool(dec.any()):
        i = int(xp.nonzero(dec)[0][0])
        raise ValueError(
            f"knots must be non-decreasing; {name}[{i}]={float(t[i])!r} > "
            f"{name}[{i + 1}]={float(t[i + 1])!r}"
        )
    n = t.shape[0] - k - 1
    if not float(t[n]) > float(t[k]):
        raise ValueError(
            f"the base interval [{name}[k], {name}[n]] = [{float(t[k])!r}, {float(t[n])!r}] "
            f"(k={k}, n={n}) has zero length: need at least two distinct interior knots"
        )
    return t


def _finite_knots(t, name, xp):
    bad = ~xp.isfinite(t)
    if bool(bad.any()):
        i = int(xp.nonzero(bad)[0][0])
        raise ValueError(f"knots must be finite; {name}[{i}] is {_describe(t[i])}")
