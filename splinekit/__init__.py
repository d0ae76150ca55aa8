"""splinekit: fast, validated splines for NumPy (Numba kernels) and CuPy (GPU kernels).

The facade re-exports the public names; it defines nothing and imports neither CuPy, torch nor
numba.cuda.
"""

from . import knots
from .basis import bspline_basis, design_matrix
from .spline import BSpline

__version__ = "0.1.0"

__all__ = ["BSpline", "bspline_basis", "design_matrix", "knots"]
