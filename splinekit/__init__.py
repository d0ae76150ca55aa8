"""splinekit: fast, validated splines for NumPy (Numba kernels) and CuPy (GPU kernels).

The facade re-exports the public names; it defines nothing and imports neither CuPy, torch nor
numba (kernels load on first use).

* B-spline core: :class:`BSpline`, :func:`bspline_basis`, :func:`design_matrix`, :mod:`knots`;
* fitting (SciPy's names): :func:`make_interp_spline`, :func:`make_lsq_spline`,
  :func:`make_smoothing_spline`, plus :func:`make_pspline` and :func:`galerkin_matrix`;
* subpackages: :mod:`splinekit.fractional` (Riesz collocation), :mod:`splinekit.adaptive`
  (AutoKnots), :mod:`splinekit.bases` (truncated powers, rational functions),
  :mod:`splinekit.reference` (mpmath oracles, imported on demand).
"""

from . import adaptive, bases, fitting, fractional, knots
from .adaptive import AdaptiveSpline, autoknots
from .basis import bspline_basis, design_matrix
from .fitting import (
    galerkin_matrix,
    make_interp_spline,
    make_lsq_spline,
    make_pspline,
    make_smoothing_spline,
)
from .spline import BSpline

__version__ = "0.1.0"

__all__ = [
    "AdaptiveSpline",
    "BSpline",
    "adaptive",
    "autoknots",
    "bases",
    "bspline_basis",
    "design_matrix",
    "fitting",
    "fractional",
    "galerkin_matrix",
    "knots",
    "make_interp_spline",
    "make_lsq_spline",
    "make_pspline",
    "make_smoothing_spline",
]
