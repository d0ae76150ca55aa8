"""mpmath rational functions ``F = P/Q`` of every ``kind``, and their derivatives.

Written from the definitions (``splinekit.bases.rational``), independently of the kernels:
``P`` and ``Q`` are summed term by term (no Horner), ``sign(0) = 0`` at the kinks, and the
derivatives with respect to ``x``, ``a_i`` and ``b_j`` are the closed forms below -- tests also
check them against :func:`mpmath.diff` away from the kinks.

* ``value(x, a, b, kind)``; ``derivative(x, a, b, kind)``;
* ``coefficient_gradient(x, a, b, kind)`` -> ``(dF/da_0..a_m, dF/db_...)``.
"""

from __future__ import annotations

import mpmath

__all__ = ["coefficient_gradient", "derivative", "value"]

_C0 = {"safe": "1", "abs": "1", "square": "1", "offset": "0.1"}


def _mp(v):
    return v if isinstance(v, mpmath.mpf) else mpmath.mpf(v)


def _sign(v):
    return mpmath.mpf(1) if v > 0 else (mpmath.mpf(-1) if v < 0 else mpmath.mpf(0))


def _j0(kind):
    return 0 if kind == "offset" else 1


def _parts(x, a, b, kind):
    """``(P, P', Q, Q', dQ/db)`` at ``x`` in the working precision."""
    x = _mp(x)
    a = [_mp(v) for v in a]
    b = [_mp(v) for v in b]
    P = mpmath.fsum(ai * x**i for i, ai in enumerate(a))
    dP = mpmath.fsum(i * ai * x ** (i - 1) for i, ai in enumerate(a) if i > 0)
    c0 = mpmath.mpf(_C0[kind])
    j0 = _j0(kind)
    powers = [j0 + jj for jj in range(len(b))]
    if kind == "abs":
        Q = c0 + mpmath.fsum(abs(bj) * abs(x) ** j for bj, j in zip(b, powers, strict=True))
        dQ = mpmath.fsum(
            abs(bj) * j * abs(x) ** (j - 1) * _sign(x) for bj, j in zip(b, powers, strict=True)
        )
        dQb = [_sign(bj) * abs(x) ** j for bj, j in zip(b, powers, strict=True)]
        return P, dP, Q, dQ, dQb
    A = mpmath.fsum(bj * x**j for bj, j in zip(b, powers, strict=True))
    dA = mpmath.fsum(bj * j * x ** (j - 1) for bj, j in zip(b, powers, strict=True) if j > 0)
    if kind == "square":
        return P, dP, c0 + A * A, 2 * A * dA, [2 * A * x**j for j in powers]
    s = _sign(A)
    return P, dP, c0 + abs(A), s * dA, [s * x**j for j in powers]


def value(x, a, b, kind="safe", dps=40):
    """``F(x) = P(x) / Q(x)``."""
    with mpmath.mp.workdps(dps):
        P, _, Q, _, _ = _parts(x, a, b, kind)
        return +(P / Q)


def derivative(x, a, b, kind="safe", dps=40):
    """``F'(x) = (P' Q - P Q') / Q^2`` (subgradient ``sign(0) = 0`` at the kinks)."""
    with mpmath.mp.workdps(dps):
        P, dP, Q, dQ, _ = _parts(x, a, b, kind)
        return +((dP * Q - P * dQ) / (Q * Q))


def coefficient_gradient(x, a, b, kind="safe", dps=40):
    """``[dF/da_i] + [dF/db_j]``: ``x^i / Q`` and ``-P / Q^2 * dQ/db_j``."""
    with mpmath.mp.workdps(dps):
        P, _, Q, _, dQb = _parts(x, a, b, kind)
        xx = _mp(x)
        ga = [+(xx**i / Q) for i in range(len(a))]
        gb = [+(-P / (Q * Q) * d) for d in dQb]
        return ga + gb
