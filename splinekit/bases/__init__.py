"""Bases beyond B-splines: truncated powers (TruKAN) and rational functions (PAU / KAT).

* :class:`TruncatedPowerBasis` -- ``1, x, ..., x^k, (x - t_m)_+^k``; exact changes of basis to
  and from :class:`splinekit.BSpline` (:func:`to_bspline`, :func:`from_bspline`).
* :class:`Rational`, :class:`GroupRational` -- ``P/Q`` with pole-free denominators
  (``kind="safe" | "abs" | "square" | "offset"``), analytic gradients, CPU and GPU kernels.
* :func:`fit_rational`, :func:`gain` -- least-squares fits (and the stored presets) and the
  variance gain ``E[F(x)^2]``, ``x ~ N(0, 1)``.

``convert`` is the only module here that imports :mod:`splinekit.spline` (``splinekit.spline``
must import ``convert`` lazily, inside ``BSpline.to_truncated_power``).
"""

from .convert import from_bspline, to_bspline
from .rational import KINDS, GroupRational, Rational
from .rational_fit import fit_rational, gain
from .truncated_power import TruncatedPowerBasis

__all__ = [
    "KINDS",
    "GroupRational",
    "Rational",
    "TruncatedPowerBasis",
    "fit_rational",
    "from_bspline",
    "gain",
    "to_bspline",
]
