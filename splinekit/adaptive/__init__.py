"""Adaptive knot allocation: splines that meet a tolerance with the fewest evaluations of ``f``.

:func:`autoknots` samples ``f`` on ``[a, b]`` and returns an :class:`AdaptiveSpline` (a
:class:`~splinekit.BSpline` with ``.info``), by NumCosmo's AutoKnots method
(``method="autoknots"``) or by splinekit's verified-rate refinement (``method="splinekit"``).
See ``docs/adaptive.md``.
"""

from ._api import autoknots
from ._result import AdaptiveInfo, AdaptiveSpline, AutoknotsWarning

__all__ = ["AdaptiveInfo", "AdaptiveSpline", "AutoknotsWarning", "autoknots"]
