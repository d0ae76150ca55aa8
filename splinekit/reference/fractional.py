"""mpmath oracles for fractional derivatives of B-splines, their Toeplitz entries and symbol.

Two independent routes to the same numbers:

* **route A** (:func:`rl_exact`): the jump (truncated-power) formula
  ``D_L N(x) = sum_m sum_r J_{m,r} (x - tau_m)_+^{r-alpha} / Gamma(r+1-alpha)`` with the jumps
  ``J_{m,r}`` taken from the exact polynomial pieces of ``N`` (Cox-de Boor on polynomials), summed
  at a precision raised by ``(p+1) log10(d/h)`` digits to absorb the cancellation far from the
  support;
* **route B** (:func:`rl_quadrature`): the Caputo form
  ``D_L N(x) = sum_{tau < x} sum_{r<2} J_{m,r} (x-tau)^{r-alpha}/Gamma(r+1-alpha)
  + 1/Gamma(2-alpha) int_{-inf}^x (x-xi)^{1-alpha} N''(xi) dxi`` by tanh-sinh quadrature split
  at the knots, with ``N''`` from the pointwise Cox-de Boor derivative recursion.  Tanh-sinh on
  the weakly singular end gives about ``dps/2`` digits, so it works at twice the digits asked.

``D_R`` uses the mirrored formulas (not the reflection), and the Riesz derivative is
``c_alpha (D_L + D_R)`` with ``c_alpha = -1/(2 cos(pi alpha/2))``.  Precision is changed only
inside ``with mp.workdps(...)``; inputs are converted exactly (``mp.mpf(float)`` is exact).

Also: :func:`toeplitz_entry` (``a_k`` from the cardinal closed form), :func:`symbol` (Hurwitz
zeta form) and :func:`t1_source` (the source of the polynomial test problem).
"""

from __future__ import annotations

import math

import mpmath as mp

__all__ = [
    "bspline_pieces",
    "rl_exact",
    "rl_quadrature",
    "symbol",
    "t1_source",
    "toeplitz_entry",
]


def _sides(side):
    if side not in ("both", "left", "right"):
        raise ValueError(f"side must be 'both', 'left' or 'right'; got {side!r}")


def _polymul_lin(c, a, b):
    """Coefficients (ascending) of ``(a + b x) * poly(c)``."""
    out = [mp.mpf(0)] * (len(c) + 1)
    for i, ci in enumerate(c):
        out[i] += a * ci
        out[i + 1] += b * ci
    return out


def bspline_pieces(tl, p):
    """Polynomial pieces of the B-spline with local knots ``tl`` (``p + 2`` mp numbers).

    Returns ``{span l: ascending coefficients}`` for every span ``tl[l] < tl[l+1]``.
    """
    pieces = {}
    for l in range(p + 1):
        if not tl[l] < tl[l + 1]:
            continue
        polys = [[mp.mpf(1) if i == l else mp.mpf(0)] for i in range(p + 1)]
        for d in range(1, p + 1):
            new = []
            for i in range(p + 1 - d):
                acc = [mp.mpf(0)] * (d + 1)
                den1 = tl[i + d] - tl[i]
                den2 = tl[i + d + 1] - tl[i + 1]
                if den1 != 0:
                    for k, v in enumerate(_polymul_lin(polys[i], -tl[i] / den1, 1 / den1)):
                        acc[k] += v
                if den2 != 0:
                    q = _polymul_lin(polys[i + 1], tl[i + d + 1] / den2, -1 / den2)
                    for k, v in enumerate(q):
                        acc[k] += v
                new.append(acc)
            polys = new
        pieces[l] = polys[0]
    return pieces


def _poly_derivs(c, x, rmax):
    """``[P(x), P'(x), ..., P^(rmax)(x)]`` for ascending coefficients ``c``."""
    out = []
    c = list(c)
    for _ in range(rmax + 1):
        out.append(mp.polyval(c[::-1], x) if c else mp.mpf(0))
        c = [k * c[k] for k in range(1, len(c))]
    return out


def _jumps(tl, p, pieces):
    """``[(tau, [J_0..J_p])]`` over the distinct breakpoints of the local knots."""
    out = []
    for m in range(p + 2):
        tau = tl[m]
        if m > 0 and tl[m - 1] == tau:
            continue
        right = [mp.mpf(0)] * (p + 1)
        left = [mp.mpf(0)] * (p + 1)
        for l, c in pieces.items():
            if tl[l] == tau:
                right = _poly_derivs(c, tau, p)
            if tl[l + 1] == tau:
                left = _poly_derivs(c, tau, p)
        out.append((tau, [r - lv for r, lv in zip(right, left, strict=True)]))
    return out


def _local(t, p, j):
    return [mp.mpf(float(v)) for v in t[j : j + p + 2]]


def _c_alpha(alpha):
    return -1 / (2 * mp.cos(mp.pi * alpha / 2))


def rl_exact(t, p, j, x, alpha, side="both", dps=40):
    """Route A: fractional derivative of B-spline ``j`` (knots ``t``, degree ``p``) at ``x``.

    ``side``: "both" (Riesz ``d^alpha/d|x|^alpha``), "left" (``D_L``) or "right" (``D_R``).
    Returns an ``mpf`` correct to about ``dps`` digits (relative to the terms' scale).
    """
    _sides(side)
    tl0 = [float(v) for v in t[j : j + p + 2]]
    h = min((b - a for a, b in zip(tl0, tl0[1:], strict=False) if b > a), default=1.0)
    dist = max(abs(float(x) - v) for v in tl0)
    extra = int(math.ceil((p + 1) * math.log10(max(1.0, dist / h)))) + 10
    with mp.workdps(dps + extra):
        tl = _local(t, p, j)
        xm = mp.mpf(float(x))
        a = mp.mpf(float(alpha))
        jumps = _jumps(tl, p, bspline_pieces(tl, p))
        dl = dr = mp.mpf(0)
        for tau, J in jumps:
            for r in range(p + 1):
                g = mp.rgamma(r + 1 - a)
                if xm > tau:
                    dl += J[r] * g * (xm - tau) ** (r - a)
                if xm < tau:
                    dr += (-1) ** (r + 1) * J[r] * g * (tau - xm) ** (r - a)
        res = {"left": dl, "right": dr, "both": _c_alpha(a) * (dl + dr)}[side]
    return +res


def _cox_de_boor_mp(tl, p, x, nu, right=True):
    """Pointwise ``N^(nu)(x)`` by the Cox-de Boor recursion (one-sided at knots)."""

    def n(i, d, nu):
        if nu > d:
            return mp.mpf(0)
        if d == 0:
            if right:
                return mp.mpf(1) if tl[i] <= x < tl[i + 1] else mp.mpf(0)
            return mp.mpf(1) if tl[i] < x <= tl[i + 1] else mp.mpf(0)
        out = mp.mpf(0)
        den1 = tl[i + d] - tl[i]
        den2 = tl[i + d + 1] - tl[i + 1]
        if nu == 0:
            if den1 != 0:
                out += (x - tl[i]) / den1 * n(i, d - 1, 0)
            if den2 != 0:
                out += (tl[i + d + 1] - x) / den2 * n(i + 1, d - 1, 0)
            return out
        if den1 != 0:
            out += d * n(i, d - 1, nu - 1) / den1
        if den2 != 0:
            out -= d * n(i + 1, d - 1, nu - 1) / den2
        return out

    return n(0, p, nu)


def rl_quadrature(t, p, j, x, alpha, side="both", digits=20):
    """Route B: the same derivative by tanh-sinh quadrature of the Caputo form.

    Works at ``2 * digits + 2 log10(d/h)`` decimal digits (tanh-sinh gives about half of them on
    the singular end; the Caputo integrand cancels like ``(d/h)^2`` far from the support).
    Needs ``N`` in ``C^1`` between breakpoints (always true) and is exact for ``p >= 2``.
    """
    _sides(side)
    tl0 = [float(v) for v in t[j : j + p + 2]]
    h = min((b - a for a, b in zip(tl0, tl0[1:], strict=False) if b > a), default=1.0)
    dist = max(abs(float(x) - v) for v in tl0)
    extra = int(math.ceil(2 * math.log10(max(1.0, dist / h)))) + 5
    with mp.workdps(2 * digits + extra):
        tl = _local(t, p, j)
        xm = mp.mpf(float(x))
        a = mp.mpf(float(alpha))
        brk = sorted(set(tl))
        g2 = mp.rgamma(2 - a)

        def jump(tau, r):
            return _cox_de_boor_mp(tl, p, tau, r, True) - _cox_de_boor_mp(tl, p, tau, r, False)

        def integral(lo, hi, left):
            # w = distance to x, so the singular end is w = 0
            def f(w):
                xi = xm - w if left else xm + w
                return w ** (1 - a) * _cox_de_boor_mp(tl, p, xi, 2, True)

            return mp.quad(f, [lo, hi])

        dl = dr = mp.mpf(0)
        for tau in brk:
            for r in (0, 1):
                g = mp.rgamma(r + 1 - a)
                if xm > tau:
                    dl += jump(tau, r) * g * (xm - tau) ** (r - a)
                elif xm < tau:
                    dr += (-1) ** (r + 1) * jump(tau, r) * g * (tau - xm) ** (r - a)
        for lo, hi in zip(brk, brk[1:], strict=False):
            if lo < xm:
                dl += g2 * integral(xm - min(hi, xm), xm - lo, True)
            if hi > xm:
                dr += g2 * integral(max(lo, xm) - xm, hi - xm, False)
        res = {"left": dl, "right": dr, "both": _c_alpha(a) * (dl + dr)}[side]
    return +res


def toeplitz_entry(alpha, p, k, dps=40):
    """``a_k = -(d^alpha phi_p/d|x|^alpha)((p+1)/2 + k)`` from the cardinal closed form (2.1)."""
    extra = int(math.ceil((p + 1) * math.log10(max(1.0, abs(k) + p + 1)))) + 10
    with mp.workdps(dps + extra):
        a = mp.mpf(float(alpha))
        x = mp.mpf(p + 1) / 2 + k
        s = mp.mpf(0)
        for j in range(p + 2):
            for y in (x - j, p + 1 - j - x):
                if y > 0:
                    s += (-1) ** j * mp.binomial(p + 1, j) * y ** (p - a)
        res = -_c_alpha(a) * mp.rgamma(p + 1 - a) * s
    return +res


def symbol(alpha, p, theta, dps=30):
    """``f_p^alpha(theta) = sum_k a_k e^{ik theta}`` by the Hurwitz zeta form, ``0 < theta <= pi``.

    ``f = (2 sin(theta/2))^(p+1) [G(theta) + G(2 pi - theta)]``, ``s = p + 1 - alpha``;
    odd p: ``G(x) = (2 pi)^-s zeta(s, x/(2 pi))``; even p:
    ``G(x) = (4 pi)^-s [zeta(s, x/(4 pi)) - zeta(s, (x + 2 pi)/(4 pi))]``.
    """
    with mp.workdps(dps):
        a = mp.mpf(float(alpha))
        th = mp.mpf(float(theta))
        s = p + 1 - a

        def G(x):
            if p % 2:
                return (2 * mp.pi) ** (-s) * mp.zeta(s, x / (2 * mp.pi))
            return (4 * mp.pi) ** (-s) * (
                mp.zeta(s, x / (4 * mp.pi)) - mp.zeta(s, (x + 2 * mp.pi) / (4 * mp.pi))
            )

        res = (2 * mp.sin(th / 2)) ** (p + 1) * (G(th) + G(2 * mp.pi - th))
    return +res


def t1_source(alpha, m, x, dps=30):
    """Source ``s = -d^alpha u/d|x|^alpha`` of ``u = x^m (1-x)^m`` on (0, 1), in mp."""
    with mp.workdps(dps):
        a = mp.mpf(float(alpha))
        xm = mp.mpf(float(x))
        s = mp.mpf(0)
        for k in range(m, 2 * m + 1):
            b = (-1) ** (k - m) * mp.binomial(m, k - m)
            s += b * mp.gamma(k + 1) * mp.rgamma(k + 1 - a) * (xm ** (k - a) + (1 - xm) ** (k - a))
        res = -_c_alpha(a) * s
    return +res
