r"""Test problems of ``-d^alpha u/d|x|^alpha = s`` on ``(a, b)`` (``u = 0`` outside), exact ``u``.

With ``L = b - a`` and ``y = (x - a)/L``:

* :func:`polynomial` (T1): ``u = y^m (1-y)^m``, smooth; ``u`` lies in the spline space of
  degree ``p`` when ``p >= 2m`` (collocation is then exact), otherwise collocation converges at
  order ``p + 2 - alpha`` (even ``p``) / ``p + 1 - alpha`` (odd ``p``).  With
  ``u = sum_{k=m}^{2m} b_k y^k``, ``b_k = (-1)^(k-m) C(m, k-m)`` and
  ``D_L y^k = Gamma(k+1)/Gamma(k+1-alpha) y^(k-alpha)``:
  ``s = L^-alpha / (2 cos(pi alpha/2)) sum_k b_k Gamma(k+1)/Gamma(k+1-alpha)
  (y^(k-alpha) + (1-y)^(k-alpha))`` (singular like ``y^(m-alpha)`` at the ends).
* :func:`constant_source` (T2): ``s = 1``, ``u = L^alpha (y(1-y))^(alpha/2) / Gamma(alpha+1)``
  (the 1-D case of ``(-Laplacian)^s (1-|x|^2)_+^s = Gamma(2s+1)``), not smooth at the ends:
  order ``alpha/2`` in the max norm.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from . import _args

__all__ = ["constant_source", "polynomial"]


def polynomial(alpha, m=4, domain=(0.0, 1.0)):
    """T1: ``(u, s)`` callables for ``u = y^m (1-y)^m``; see the module docstring.

    Examples
    --------
    >>> from splinekit.fractional import problems
    >>> u, s = problems.polynomial(1.5, m=2)
    >>> float(u(0.5))
    0.0625
    """
    alpha = _args.check_alpha(alpha)
    a, b = _args.check_domain(domain)
    L = b - a
    ks = np.arange(m, 2 * m + 1)
    bk = np.array([(-1) ** (k - m) * math.comb(m, k - m) for k in ks], dtype=np.float64)
    g = bk * special.gamma(ks + 1.0) * special.rgamma(ks + 1.0 - alpha)
    fac = L ** (-alpha) / (2.0 * math.cos(math.pi * alpha / 2.0))

    def u(x):
        y = (np.asarray(x, dtype=np.float64) - a) / L
        inside = (y >= 0) & (y <= 1)
        return np.where(inside, (np.clip(y, 0, 1) * np.clip(1 - y, 0, 1)) ** m, 0.0)

    def s(x):
        y = (np.asarray(x, dtype=np.float64) - a) / L
        yy = y[..., None]
        return fac * np.sum(g * (yy ** (ks - alpha) + (1 - yy) ** (ks - alpha)), axis=-1)

    return u, s


def constant_source(alpha, domain=(0.0, 1.0)):
    """T2: ``(u, s)`` for ``s = 1``: ``u = L^alpha (y(1-y))^(alpha/2) / Gamma(alpha+1)``.

    Examples
    --------
    >>> from splinekit.fractional import problems
    >>> u, s = problems.constant_source(1.5)
    >>> round(float(u(0.5)), 6), float(s(0.3))
    (0.265962, 1.0)
    """
    alpha = _args.check_alpha(alpha)
    a, b = _args.check_domain(domain)
    L = b - a

    def u(x):
        y = (np.asarray(x, dtype=np.float64) - a) / L
        yy = np.clip(y, 0, 1) * np.clip(1 - y, 0, 1)
        return L**alpha * yy ** (alpha / 2) / math.gamma(alpha + 1)

    def s(x):
        return np.ones_like(np.asarray(x, dtype=np.float64))

    return u, s
