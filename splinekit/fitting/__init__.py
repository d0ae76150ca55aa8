"""Fitting B-splines to data: interpolation, least squares, smoothing, P-splines, Galerkin.

``make_interp_spline``, ``make_lsq_spline`` and ``make_smoothing_spline`` follow SciPy's
signatures and return :class:`splinekit.BSpline`; ``make_pspline`` (Eilers-Marx) and
``galerkin_matrix`` go beyond SciPy.  See ``docs/fitting.md``.
"""

from .interp import make_interp_spline as make_interp_spline

__all__ = sorted(["make_interp_spline"])
