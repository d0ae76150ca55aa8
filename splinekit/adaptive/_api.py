"""``autoknots``: validate at the door, run a method, assemble the result and the warnings."""

from __future__ import annotations

import math

import numpy as np

from .. import _checks
from ._evaluate import Evaluator
from ._faithful import run_autoknots
from ._predict import run_splinekit
from ._result import AdaptiveInfo, AdaptiveSpline, describe_runs, merge_runs, warn
from ._space import make_space

__all__ = ["autoknots"]

_EPS = float(np.finfo(np.float64).eps)
_METHODS = ("splinekit", "autoknots")
_SPACES = ("linear", "log", "asinh")


def autoknots(
    f,
    a,
    b,
    *,
    rtol=1e-8,
    atol=0.0,
    k=3,
    space="linear",
    method="splinekit",
    max_evals=10**6,
    vectorized=False,
    args=(),
    n0=None,
    refine=1,
    refine_ns=1.0,
):
    r"""Interpolating spline of ``f`` on ``[a, b]`` with nodes placed to meet a tolerance.

    Samples ``f`` adaptively and returns the interpolating spline of degree ``k`` (not-a-knot
    for odd ``k``) through **every** sample, refined until the interpolation error satisfies

    .. math:: |S(x) - f(x)| \le \mathrm{rtol}\,|f(x)| + \mathrm{atol}

    everywhere on ``[a, b]`` (as estimated by the method; verify on a dense grid when it
    matters).  Every evaluation of ``f`` becomes a node: ``info.evaluations == info.knots``.

    Parameters
    ----------
    f : callable
        ``f(x, *args) -> float``; with ``vectorized=True``, ``f(x_array, *args)`` returning an
        array of the same shape (called once per pass with all new points).
    a, b : float
        Finite interval, ``a < b`` (``0 < a`` for ``space="log"``).
    rtol, atol : float
        Relative and absolute tolerance, ``>= 0``, not both zero; ``rtol`` is 0 or at least
        ``10 eps``.  NumCosmo's ``(rel, scale)`` is ``rtol = rel``, ``atol = rel * scale``.
    k : int
        Spline degree, ``1 <= k <= 7`` (3: the cubic not-a-knot spline of NumCosmo).
    space : {"linear", "log", "asinh"}
        Sampling space: the initial grid is uniform in ``u = x``, ``ln x`` or ``asinh x``, and
        intervals are split uniformly in ``u`` (NumCosmo's ``_SPLINE``, ``_SPLINE_LNKNOT``,
        ``_SPLINE_SINHKNOT``).  The spline is a spline in ``x`` in every case.
    method : {"splinekit", "autoknots"}
        ``"splinekit"`` (default): verified-rate refinement with predicted acceptance and
        drift re-tests (see ``splinekit.adaptive._predict``).  ``"autoknots"``: NumCosmo's
        algorithm, pass by pass (see ``splinekit.adaptive._faithful``).
    max_evals : int
        Hard limit on the number of evaluations, checked inside a pass (never exceeded).
    vectorized : bool
        Call ``f`` once per pass with an array of the new points.
    args : tuple
        Extra arguments for ``f``.
    n0 : int, optional
        Initial number of nodes (uniform in the space); default 6 for ``k <= 3`` (NumCosmo's
        value for the cubic not-a-knot spline), ``k + 3`` above.
    refine, refine_ns : int, float
        ``method="autoknots"`` only (linear space, as NumCosmo): how many times the widest
        intervals (width > mean + ``refine_ns`` sd) are re-tested after a clean pass.

    Returns
    -------
    AdaptiveSpline
        A :class:`~splinekit.BSpline` with ``.info`` (:class:`AdaptiveInfo`).

    Raises
    ------
    ValueError
        Bad arguments (message names the argument); ``f`` returning NaN or inf (message names
        the ``x``).  Exceptions raised by ``f`` propagate with the ``x`` added to the message.
        Every exception from ``f`` carries all evaluations made so far as ``exc.partial``.

    Warns
    -----
    AutoknotsWarning
        ``max_evals`` reached (``info.converged = False``; the warning lists where the
        tolerance is not met), intervals too narrow to resolve in floating point, or zero
        crossings of ``f`` with ``atol = 0``.

    References
    ----------
    .. [1] M. Penna-Lima, S. D. P. Vitenti et al., "AutoKnots", arXiv:2412.13423 (NumCosmo,
       ``ncm_spline_func.c``).
    .. [2] C. de Boor, *A Practical Guide to Splines*, ch. XII (error equidistribution).

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit.adaptive import autoknots
    >>> s = autoknots(np.exp, 0.0, 2.0, rtol=1e-10, vectorized=True)
    >>> xx = np.linspace(0.0, 2.0, 10001)
    >>> bool(np.max(np.abs(s(xx) / np.exp(xx) - 1.0)) < 1e-10), s.info.converged
    (True, True)
    """
    a, b, rtol, atol = _check_interval_and_tolerance(a, b, rtol, atol, space)
    k, n0, max_evals = _check_sizes(k, n0, max_evals)
    if not callable(f):
        raise TypeError(f"f must be callable; got {type(f).__name__}")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}; got {method!r}")
    refine = _checks.check_nonneg_int(refine, "refine")
    if not (math.isfinite(refine_ns) and refine_ns >= 0):
        raise ValueError(f"refine_ns must be finite and >= 0; got {refine_ns!r}")
    F = Evaluator(f, bool(vectorized), args, max_evals)
    sp = make_space(space, a, b)
    if method == "autoknots":
        out = run_autoknots(F, sp, k, rtol, atol, n0, refine, float(refine_ns))
    else:
        out = run_splinekit(F, sp, k, rtol, atol, n0)
    out["zeros"] = _sign_changes(out["x"], out["y"], atol)
    return _finish(out, F, method, space, rtol, atol, max_evals)


def _check_interval_and_tolerance(a, b, rtol, atol, space):
    a, b = _real(a, "a"), _real(b, "b")
    if not a < b:
        raise ValueError(f"need a < b; got a={a!r}, b={b!r}")
    if space not in _SPACES:
        raise ValueError(f"space must be one of {_SPACES}; got {space!r}")
    if space == "log" and not a > 0:
        raise ValueError(f"space='log' needs 0 < a; got a={a!r}")
    rtol, atol = _real(rtol, "rtol"), _real(atol, "atol")
    if rtol < 0 or atol < 0:
        raise ValueError(f"rtol and atol must be >= 0; got rtol={rtol!r}, atol={atol!r}")
    if rtol == 0 and atol == 0:
        raise ValueError("rtol and atol are both 0: give rtol > 0 or atol > 0")
    if 0 < rtol < 10 * _EPS:
        raise ValueError(
            f"rtol={rtol!r} is below what double precision can verify; use rtol >= 10 eps "
            f"= {10 * _EPS:.3g} (or rtol=0 with atol > 0)"
        )
    return a, b, rtol, atol


def _check_sizes(k, n0, max_evals):
    k = _checks.check_degree(k)
    if not 1 <= k <= 7:
        raise ValueError(f"k must be between 1 and 7; got k={k}")
    n0 = (6 if k <= 3 else k + 3) if n0 is None else _checks.check_nonneg_int(n0, "n0")
    if n0 < max(3, k + 1):
        raise ValueError(f"n0 must be >= max(3, k + 1) = {max(3, k + 1)} for k={k}; got {n0}")
    max_evals = _checks.check_nonneg_int(max_evals, "max_evals")
    if max_evals < n0:
        raise ValueError(f"max_evals must be >= n0 = {n0} (the initial grid); got {max_evals}")
    return k, n0, max_evals


def _real(v, name):
    try:
        v = float(v)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number; got {type(v).__name__} {v!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite; got {v!r}")
    return v


def _sign_changes(x, y, atol):
    if atol > 0:
        return []
    i = np.flatnonzero(y[:-1] * y[1:] < 0)
    return x[i], x[i + 1]


def _finish(out, F, method, space, rtol, atol, max_evals):
    x, y = out["x"], out["y"]
    open_runs, _ = merge_runs(x[:-1][out["open"]], x[1:][out["open"]])
    unres_runs, _ = merge_runs(x[:-1][out["unresolved"]], x[1:][out["unresolved"]])
    zero_runs, _ = merge_runs(*out["zeros"]) if out["zeros"] else ([], False)
    if out["truncated"]:
        warn(
            f"autoknots: max_evals={max_evals} reached after {F.count} evaluations; the "
            f"tolerance is not met in {describe_runs(open_runs)}"
        )
    if unres_runs:
        warn(
            f"autoknots: intervals too narrow to resolve in floating point (f discontinuous, "
            f"or rounding-limited at this tolerance) were left unrefined: "
            f"{describe_runs(unres_runs)}"
        )
    if zero_runs:
        how = (
            "measured relative to the local magnitude of f there"
            if method == "splinekit"
            else "AutoKnots refines there until the resolution guard stops it"
        )
        warn(
            f"autoknots: f changes sign in {describe_runs(zero_runs)}; with atol=0 a relative "
            f"tolerance is unattainable at a zero of f ({how}); pass atol > 0 to set an "
            f"absolute floor"
        )
    finite = out["ratio"][np.isfinite(out["ratio"])]
    info = AdaptiveInfo(
        method=method,
        space=space,
        rtol=rtol,
        atol=atol,
        evaluations=F.count,
        knots=int(x.shape[0]),
        passes=len(out["trace"]),
        converged=not (out["truncated"] or unres_runs or out["open"].any()),
        error_estimate=float(np.max(out["error"])) if out["error"].size else 0.0,
        error_ratio=float(finite.max()) if finite.size else 0.0,
        unresolved=unres_runs,
        not_converged=open_runs,
        zero_crossings=zero_runs,
        x=x,
        y=y,
        trace=[dict(d, **{"pass": i + 1}) for i, d in enumerate(out["trace"])],
    )
    return AdaptiveSpline.from_spline(out["spline"], info)
