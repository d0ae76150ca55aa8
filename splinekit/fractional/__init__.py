"""Riesz fractional derivatives of B-splines and B-spline collocation for Riesz diffusion.

Conventions (used by every function here):

* ``1 < alpha < 2``; ``d^alpha u/d|x|^alpha = c_alpha (D_L^alpha u + D_R^alpha u)``,
  ``c_alpha = -1/(2 cos(pi alpha/2))``, equal to ``-(-Laplacian)^(alpha/2)``;
* ``u`` is extended by zero outside ``[a, b]`` (the Riemann-Liouville limits are ``a`` and ``b``);
* the model problem is ``-d^alpha u/d|x|^alpha = s`` on ``(a, b)``, ``u = 0`` outside: the
  operator on the left is *positive* (symbol ``+|w|^alpha``);
* degree ``p >= 2``, ``n`` uniform intervals, clamped knots; unknowns are the coefficients of
  the clamped basis without its first and last function; collocation at the Greville
  abscissae without the two end points; ``N = n + p - 2`` equations.

Public functions: :func:`riesz_derivative`, :func:`collocation_matrix` (dense or
:class:`RieszCollocationOperator`), :func:`collocation_points`, :func:`symbol`,
:func:`spectrum_report`, :func:`solve`; exact test problems in :mod:`.problems`.
"""

from . import problems
from .derivative import riesz_derivative
from .matrix import RieszCollocationOperator, collocation_matrix, collocation_points
from .solver import SolveInfo, solve
from .spectrum import SpectrumReport, spectrum_report, symbol

__all__ = [
    "RieszCollocationOperator",
    "SolveInfo",
    "SpectrumReport",
    "collocation_matrix",
    "collocation_points",
    "problems",
    "riesz_derivative",
    "solve",
    "spectrum_report",
    "symbol",
]
