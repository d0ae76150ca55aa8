"""``AdaptiveSpline`` (a ``BSpline`` with ``.info``), ``AdaptiveInfo``, and the interpolant."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from ..fitting import make_interp_spline
from ..spline import BSpline

__all__ = ["AdaptiveInfo", "AdaptiveSpline", "AutoknotsWarning", "interpolant"]


class AutoknotsWarning(RuntimeWarning):
    """Emitted when the tolerance is not met somewhere (budget, resolution, zero crossings)."""


def interpolant(x, y, k):
    """The interpolating spline of degree ``k`` through ``(x, y)`` (not-a-knot ends)."""
    return make_interp_spline(x, y, k=k)


@dataclasses.dataclass
class AdaptiveInfo:
    """What :func:`~splinekit.adaptive.autoknots` did.

    Attributes
    ----------
    method, space : str
        The method (``"splinekit"`` or ``"autoknots"``) and the sampling space.
    rtol, atol : float
        The tolerance: the target is ``|S(x) - f(x)| <= rtol * |f(x)| + atol``.
    evaluations : int
        Number of calls of ``f`` (scalar calls, or points in vectorized calls).
    knots : int
        Number of interpolation nodes; every evaluation is a node, so ``knots == evaluations``.
        (The B-spline knot vector ``spline.t`` has ``knots + k + 1 - (k - 1)`` entries for the
        not-a-knot spline.)
    passes : int
        Number of refinement passes (one interpolant rebuild each).
    converged : bool
        True when every interval met the tolerance (and none is unresolved).
    error_estimate : float
        Estimated ``max |S - f|`` (absolute) over the intervals: the certified prediction of the
        ``"splinekit"`` method; for ``"autoknots"`` the largest point-test residual of the last
        test of each interval (an estimate of the error of the spline *before* that insertion).
    error_ratio : float
        The same, in units of the local tolerance ``rtol |f| + atol`` (``<= 1`` when converged).
    unresolved : list of (float, float)
        Intervals too narrow to refine in floating point (f discontinuous, or rounding-limited).
    not_converged : list of (float, float)
        Intervals still failing when ``max_evals`` was reached (merged runs of neighbours).
    zero_crossings : list of (float, float)
        With ``atol == 0``: intervals where ``f`` changes sign (a relative tolerance is
        unattainable at a zero; see the method's documentation for how it is handled).
    x, y : ndarray
        Every evaluation, sorted by ``x`` (the interpolation data).
    trace : list of dict
        One record per pass: ``pass``, ``tested``, ``failed``, ``new``, ``knots``, ``reopened``.
    """

    method: str
    space: str
    rtol: float
    atol: float
    evaluations: int
    knots: int
    passes: int
    converged: bool
    error_estimate: float
    error_ratio: float
    unresolved: list
    not_converged: list
    zero_crossings: list
    x: np.ndarray
    y: np.ndarray
    trace: list


class AdaptiveSpline(BSpline):
    """A :class:`~splinekit.BSpline` built by :func:`~splinekit.adaptive.autoknots`.

    It evaluates, differentiates and integrates exactly like a ``BSpline`` (derived splines are
    plain ``BSpline`` objects); ``info`` is an :class:`AdaptiveInfo`.
    """

    info: AdaptiveInfo

    @classmethod
    def from_spline(cls, spl, info):
        self = cls.construct_fast(spl.t, spl.c, spl.k, spl.extrapolate, spl.axis)
        self.info = info
        return self

    def __repr__(self):
        i = self.info
        return (
            f"AdaptiveSpline(k={self.k}, knots={i.knots}, evaluations={i.evaluations}, "
            f"passes={i.passes}, converged={i.converged}, method={i.method!r}, "
            f"space={i.space!r})"
        )


def merge_runs(x0, x1, limit=8):
    """Merge touching intervals ``[x0[i], x1[i]]`` into runs; at most ``limit`` runs listed."""
    runs = []
    for a, b in zip(np.asarray(x0).tolist(), np.asarray(x1).tolist(), strict=True):
        if runs and runs[-1][1] == a:
            runs[-1][1] = b
        else:
            runs.append([a, b])
    return [tuple(r) for r in runs], len(runs) > limit


def describe_runs(runs, limit=8):
    shown = ", ".join(f"[{a:.12g}, {b:.12g}]" for a, b in runs[:limit])
    more = f" and {len(runs) - limit} more" if len(runs) > limit else ""
    return shown + more


def warn(text):
    warnings.warn(text, AutoknotsWarning, stacklevel=4)
