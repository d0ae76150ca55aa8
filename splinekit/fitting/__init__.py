"""Fitting B-splines to data: interpolation, least squares, smoothing, P-splines, Galerkin.

``make_interp_spline``, ``make_lsq_spline`` and ``make_smoothing_spline`` follow SciPy's
signatures and return :class:`splinekit.BSpline`; ``make_pspline`` (Eilers-Marx) and
``galerkin_matrix`` go beyond SciPy.  See ``docs/fitting.md``.
"""

from .galerkin import galerkin_matrix as galerkin_matrix
from .interp import make_interp_spline as make_interp_spline
from .lsq import make_lsq_spline as make_lsq_spline
from .pspline import make_pspline as make_pspline
from .smoothing import make_smoothing_spline as make_smoothing_spline

__all__ = sorted(
    [
        "galerkin_matrix",
        "make_interp_spline",
        "make_lsq_spline",
        "make_pspline",
        "make_smoothing_spline",
    ]
)
