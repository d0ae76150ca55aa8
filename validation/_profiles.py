"""NFW and Hernquist dimensionless surface density and cylinder mass (validation helper).

Conventions of NumCosmo (``docs/theory/halo_density_profile.qmd``): ``x = r / r_s``,
``X = R / r_s``, ``Sigma(X) = 2 int_0^inf rho(sqrt(X^2 + u^2)) du`` and
``M(X) = int_0^X Sigma(X') X' dX'``, with ``rho_NFW = 1 / (x (1 + x)^2)`` and
``rho_Hernquist = 1 / (x (1 + x)^3)``.  With ``F(X) = arccosh(1/X) / sqrt(1 - X^2)`` (X < 1),
``arccos(1/X) / sqrt(X^2 - 1)`` (X > 1), ``F(1) = 1`` (Wright & Brainerd 2000; Hernquist 1990):

* NFW:       Sigma = 2 (1 - F) / (X^2 - 1),           M = 2 (F + ln(X/2)),
* Hernquist: Sigma = ((2 + X^2) F - 3) / (X^2 - 1)^2,   M = X^2 (1 - F) / (X^2 - 1).

Double precision needs two series branches: near ``X = 1`` every closed form cancels (like
``(X - 1)`` for three of them, like ``(X - 1)^2`` for Hernquist Sigma), so for ``|X - 1| < 0.1``
the Taylor series at 1 is used (26 terms, coefficients computed once in mpmath at 80 digits;
truncation ``0.1^26 ~ 1e-26``; closed-form loss at the switch ``~ 10 eps / 0.1^2 ~ 2e-13``).
For ``X < 0.05`` NFW's ``M`` cancels (F ~ ln(2/X)); the series in ``q = (X/2)^2``,
``L = ln(X/2)`` to ``q^5`` is used (truncation ``q^6 / q ~ 1e-16``).

The mpmath functions ``*_mp`` (closed forms) and ``*_los`` (line-of-sight quadrature of the
density, the definition) are the oracles.
"""

from __future__ import annotations

import functools

import mpmath as mp
import numpy as np

__all__ = ["PROFILES", "closed_mp", "los_mp"]

SWITCH_ONE = 0.1  # |X - 1| below which the Taylor series at X = 1 is used
SWITCH_SMALL = 0.05  # X below which NFW's M uses its small-X series
N_TAYLOR = 26


def _F_mp(X):
    if X < 1:
        return mp.acosh(1 / X) / mp.sqrt(1 - X * X)
    if X > 1:
        return mp.acos(1 / X) / mp.sqrt(X * X - 1)
    return mp.mpf(1)


def _nfw_sigma_mp(X):
    return mp.mpf(2) / 3 if X == 1 else 2 * (1 - _F_mp(X)) / (X * X - 1)


def _nfw_mcyl_mp(X):
    return 2 * (1 - mp.log(2)) if X == 1 else 2 * (_F_mp(X) + mp.log(X / 2))


def _her_sigma_mp(X):
    return mp.mpf(4) / 15 if X == 1 else ((2 + X * X) * _F_mp(X) - 3) / (X * X - 1) ** 2


def _her_mcyl_mp(X):
    return mp.mpf(1) / 3 if X == 1 else X * X * (1 - _F_mp(X)) / (X * X - 1)


_CLOSED_MP = {
    "nfw_sigma": _nfw_sigma_mp,
    "nfw_mcyl": _nfw_mcyl_mp,
    "hernquist_sigma": _her_sigma_mp,
    "hernquist_mcyl": _her_mcyl_mp,
}
_RHO = {"nfw": lambda x: 1 / (x * (1 + x) ** 2), "hernquist": lambda x: 1 / (x * (1 + x) ** 3)}


def closed_mp(name, X, dps=None):
    """Closed form in mpmath at ``dps`` digits (default: the current precision) + 20 guard
    digits for the cancellation at X = 1."""
    with mp.workdps((mp.mp.dps if dps is None else dps) + 20):
        return +_CLOSED_MP[name](mp.mpf(X))


def los_mp(name, X, dps=30):
    """The definition: line-of-sight quadrature of the density in mpmath at ``dps`` digits.

    ``Sigma(X) = 2 int_0^inf rho(sqrt(X^2 + u^2)) du``;
    ``M(X) = 2 int_0^X t^2 rho(t) dt + 2 int_X^inf x^2 rho(x) (1 - sqrt(1 - X^2/x^2)) dx``.
    """
    prof, what = name.split("_")
    rho = _RHO[prof]
    with mp.workdps(dps + 10):
        X = mp.mpf(X)
        if what == "sigma":
            v = 2 * mp.quad(
                lambda u: rho(mp.sqrt(X * X + u * u)), [0, X, 10 * X, 1 + 10 * X, mp.inf]
            )
        else:
            inner = mp.quad(lambda t: t * t * rho(t), [0, X])
            outer = mp.quad(
                lambda x: x * x * rho(x) * (1 - mp.sqrt(1 - (X / x) ** 2)),
                [X, 2 * X, 10 * X, mp.inf],
            )
            v = 2 * (inner + outer)
        return +v


@functools.cache
def _taylor_at_one(name):
    with mp.workdps(80):
        c = mp.taylor(_CLOSED_MP[name], mp.mpf(1), N_TAYLOR - 1)
    return np.array([float(v) for v in c])


def _F(X):
    X = np.asarray(X, dtype=np.float64)
    out = np.ones_like(X)
    lo, hi = X < 1, X > 1
    out[lo] = np.arccosh(1 / X[lo]) / np.sqrt(1 - X[lo] ** 2)
    out[hi] = np.arccos(1 / X[hi]) / np.sqrt(X[hi] ** 2 - 1)
    return out


def _with_series_at_one(name, closed):
    def f(X):
        X = np.asarray(X, dtype=np.float64)
        near = np.abs(X - 1) < SWITCH_ONE
        out = np.empty_like(X)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[~near] = closed(X[~near])
        e = X[near] - 1
        out[near] = np.polynomial.polynomial.polyval(e, _taylor_at_one(name))
        return out

    f.__name__ = name
    return f


def _nfw_mcyl_closed(X):
    out = 2 * (_F(X) + np.log(X / 2))
    small = X < SWITCH_SMALL
    q, L = (X[small] / 2) ** 2, np.log(X[small] / 2)
    out[small] = (
        -2
        * q
        * (
            (1 + 2 * L)
            + q
            * (
                (3.5 + 6 * L)
                + q * ((37 / 3 + 20 * L) + q * ((533 / 12 + 70 * L) + q * (1627 / 10 + 252 * L)))
            )
        )
    )
    return out


PROFILES = {
    "nfw_sigma": _with_series_at_one("nfw_sigma", lambda X: 2 * (1 - _F(X)) / (X * X - 1)),
    "nfw_mcyl": _with_series_at_one("nfw_mcyl", _nfw_mcyl_closed),
    "hernquist_sigma": _with_series_at_one(
        "hernquist_sigma", lambda X: ((2 + X * X) * _F(X) - 3) / (X * X - 1) ** 2
    ),
    "hernquist_mcyl": _with_series_at_one(
        "hernquist_mcyl", lambda X: X * X * (1 - _F(X)) / (X * X - 1)
    ),
}
"""Vectorized float64 profiles, keyed ``"<nfw|hernquist>_<sigma|mcyl>"``."""
