"""Constants shared by the fractional module: alpha-dependent coefficients, Gauss-Legendre table.

Nothing here allocates per call beyond a few dozen floats; the table is built once.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import special

from .._kernels.scalar import fractional as _src

__all__ = ["c_alpha", "coefficients", "gauss_legendre_table", "riesz_constant"]


def c_alpha(alpha: float) -> float:
    """``c_alpha = -1 / (2 cos(pi alpha / 2))``, positive for ``1 < alpha < 2``."""
    return -1.0 / (2.0 * math.cos(math.pi * alpha / 2.0))


def riesz_constant(alpha: float) -> float:
    """``C_{1,alpha} = Gamma(1+alpha) sin(pi alpha/2) / pi = c_alpha / Gamma(-alpha)``."""
    return math.gamma(1.0 + alpha) * math.sin(math.pi * alpha / 2.0) / math.pi


@functools.lru_cache(maxsize=64)
def _coefficients(alpha: float) -> np.ndarray:
    coef = np.zeros(_src.CM + _src.MMOM + 1)
    coef[0] = c_alpha(alpha)
    coef[1] = special.rgamma(-alpha)
    coef[2] = alpha
    coef[_src.CG : _src.CG + _src.MAXP + 1] = special.rgamma(np.arange(_src.MAXP + 1) + 1.0 - alpha)
    m = np.arange(_src.MMOM + 1)
    # (1+alpha)_m / m! = Gamma(1+alpha+m) / (Gamma(1+alpha) m!), by a product (exact enough)
    coef[_src.CM :] = np.cumprod(np.r_[1.0, (alpha + m[1:]) / m[1:]])
    coef.setflags(write=False)
    return coef


def coefficients(alpha: float, xp=np) -> np.ndarray:
    """The ``coef`` vector of the kernels (layout in ``_kernels/scalar/fractional.py``)."""
    c = _coefficients(float(alpha))
    return c if xp is np else xp.asarray(c)


@functools.lru_cache(maxsize=1)
def _gl() -> tuple[np.ndarray, np.ndarray]:
    q = _src.QMAX + 1
    x = np.zeros((q, _src.QMAX))
    w = np.zeros((q, _src.QMAX))
    for n in range(1, q):
        x[n, :n], w[n, :n] = np.polynomial.legendre.leggauss(n)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def gauss_legendre_table(xp=np):
    """``(glx, glw)``: row ``q`` holds the ``q``-point Gauss-Legendre rule on [-1, 1]."""
    x, w = _gl()
    if xp is np:
        return x, w
    return xp.asarray(x), xp.asarray(w)
