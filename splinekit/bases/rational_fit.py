r"""Least-squares fits of rational functions, and the variance gain ``E[F(x)^2]``.

:func:`fit_rational` minimises ``sum_i w_i (F(x_i) - f(x_i))^2`` on a uniform grid of the
interval, for the canonical ``F`` of :class:`splinekit.bases.Rational` of the requested
``kind``:

1. *linearised*: ``P(x_i) - f_i (Q_lin(x_i) - c_0) ~ c_0 f_i`` with the signed denominator
   ``Q_lin = c_0 + sum_j b_j x^j``, a linear least-squares problem in ``(a, b)`` (solved on
   ``x / s``, ``s = max |interval|``, for conditioning);
2. *nonlinear*: :func:`scipy.optimize.least_squares` (trust-region reflective) on the true
   ``F`` with the analytic Jacobian of :meth:`Rational.jacobian`, from every start listed in
   :func:`fit_rational` -- among them the fit of degrees ``(m - 1, n - 1)`` padded with zeros
   (so the least-squares error never increases along ``(m - k, n - k)``), maps of the
   ``"safe"`` fit's denominator into the other families, and fixed-seed random denominators --
   the best is kept.  Deterministic: the same call gives the same coefficients (for a given
   machine and NumPy/SciPy build).

:func:`gain` computes ``E[F(x)^2]`` for ``x ~ N(0, 1)`` by adaptive quadrature split at the
kinks of ``Q`` or by Gauss-Hermite quadrature; the two agree to the accuracy reported by the
validation study.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _checks
from .rational import _C0, KINDS, GroupRational, Rational, check_kind

# random restarts (see _Fitter._random_restarts): fixed seed, count, screening budget, and the
# relative gain below which a random start does not replace a structured one (rounding ties)
_RANDOM_SEED = 20261203
_N_RANDOM = 12
_SCREEN_NFEV = 60
_RANDOM_GAIN = 1e-9

__all__ = ["fit_rational", "gain"]


def _interval(interval):
    try:
        lo, hi = (float(v) for v in interval)
    except (TypeError, ValueError):
        raise ValueError(f"interval must be a pair (a, b) of numbers; got {interval!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"interval (a, b) must be finite with a < b; got ({lo!r}, {hi!r})")
    return lo, hi


def _sample(fun, x, name):
    y = np.asarray(fun(x), dtype=np.float64)
    if y.shape != x.shape:
        y = np.broadcast_to(y, x.shape) if y.ndim == 0 else y
    if y.shape != x.shape:
        raise ValueError(
            f"{name} must return one value per point (shape {x.shape}); got shape {y.shape}"
        )
    bad = ~np.isfinite(y)
    if bad.any():
        i = int(np.nonzero(bad)[0][0])
        raise ValueError(
            f"{name} returned a non-finite value: {name}(x={float(x[i])!r}) = {float(y[i])!r}"
        )
    return y


def _linearised(x, y, sw, m, n, kind):
    """``(a, b)`` from the linear problem ``P - y * sum b_j x^j = c0 y`` (scaled variable)."""
    s = max(abs(x[0]), abs(x[-1]))
    u = x / s
    j0 = 0 if kind == "offset" else 1
    nb = n + 1 - j0
    cols = [u**i for i in range(m + 1)] + [-y * u ** (j0 + jj) for jj in range(nb)]
    A = np.stack(cols, axis=1) * sw[:, None]
    sol = np.linalg.lstsq(A, _C0[kind] * y * sw, rcond=None)[0]
    a = sol[: m + 1] / s ** np.arange(m + 1)
    b = sol[m + 1 :] / s ** (j0 + np.arange(nb))
    return a, b


def _refine(x, y, sw, a0, b0, kind, max_nfev=400):
    from scipy.optimize import least_squares

    ma = a0.shape[0]

    def resid(p):
        return sw * (Rational(p[:ma], p[ma:], kind)(x) - y)

    def jac(p):
        return sw[:, None] * Rational(p[:ma], p[ma:], kind).jacobian(x)

    p0 = np.concatenate([a0, b0])
    res = least_squares(
        resid,
        p0,
        jac=jac,
        x_scale="jac",
        method="trf",
        max_nfev=max_nfev,
        ftol=1e-15,
        xtol=1e-15,
        gtol=1e-15,
    )
    return res.x[:ma], res.x[ma:], float(np.sum(res.fun**2)), int(res.nfev)


def _numerator_for(x, y, sw, m, b, kind):
    """The least-squares numerator for the fixed denominator ``b`` (linear in ``a``)."""
    s = max(abs(x[0]), abs(x[-1]))
    rq = Rational(np.ones(1), b, kind)(x)  # 1 / Q
    A = np.stack([(x / s) ** i for i in range(m + 1)], axis=1) * (sw * rq)[:, None]
    return np.linalg.lstsq(A, sw * y, rcond=None)[0] / s ** np.arange(m + 1)


def _monomial_lstsq(x, t, powers, nonneg=False):
    """Coefficients ``c`` of ``sum c_k x^{p_k}`` fitting ``t`` on the grid; with ``nonneg``,
    of ``sum c_k |x|^{p_k}`` with ``c >= 0`` (NNLS)."""
    s = max(abs(x[0]), abs(x[-1]))
    u = np.abs(x) / s if nonneg else x / s
    A = np.stack([u**p for p in powers], axis=1)
    if nonneg:
        from scipy.optimize import nnls

        c = nnls(A, t)[0]
    else:
        c = np.linalg.lstsq(A, t, rcond=None)[0]
    return c / s ** np.asarray(powers, dtype=np.float64)


class _Fitter:
    """All fits of one target on one grid, memoised by ``(m, n, kind)``.

    A nested fit ``(m - 1, n - 1)`` or a ``"safe"`` fit used as a start is exactly what
    :func:`fit_rational` returns for those arguments (same grid, same starts), so e.g. the
    ``(5, 4)`` error is at most the ``(3, 2)`` error :func:`fit_rational` reports.
    """

    def __init__(self, x, y, sw):
        self.x, self.y, self.sw = x, y, sw
        self.memo = {}

    def fit(self, m, n, kind):
        key = (m, n, kind)
        if key not in self.memo:
            self.memo[key] = self._fit(m, n, kind)
        return self.memo[key]

    def _starts(self, m, n, kind):
        x, y, sw = self.x, self.y, self.sw
        a_lin, b_lin = _linearised(x, y, sw, m, n, kind)
        a_poly = _linearised(x, y, sw, m, -1, "safe")[0]  # least-squares polynomial
        b_zero = np.zeros(b_lin.shape[0])
        if kind == "offset":
            b_zero[0] = 1.0 - _C0[kind]  # Q = 1 at the start, as for the other kinds
        yield "linearised", a_lin, b_lin
        yield "abs(linearised)", a_lin, np.abs(b_lin)
        yield "polynomial", a_poly, b_zero
        if m >= 1 and n >= 1:
            a1, b1 = self.fit(m - 1, n - 1, kind)[:2]
            yield "nested", np.append(a1, 0.0), np.append(b1, 0.0)
        if kind != "safe" and n >= 1:
            a_s, b_s = self.fit(m, n, "safe")[:2]
            B = np.polynomial.polynomial.polyval(x, np.concatenate([[0.0], b_s]))
            D = np.abs(B)  # Q_safe - 1
            pw = list(range(1, n + 1))
            if kind == "offset":
                # exact: 1 + |B| = 10 (0.1 + |B / 10|), so the safe family lies in this one
                yield "safe fit", _C0[kind] * a_s, np.concatenate([[0.0], _C0[kind] * b_s])
            elif kind == "abs":
                yield "safe fit", a_s, b_s
                c = _monomial_lstsq(x, D, pw, nonneg=True)
                yield "safe fit (even |B|)", _numerator_for(x, y, sw, m, c, kind), c
            elif kind == "square":
                yield "safe fit", a_s, b_s
                r = np.sqrt(D)
                for label, t in (
                    ("safe fit (sign(x) sqrt|B|)", np.sign(x) * r),
                    ("safe fit (sign(B) sqrt|B|)", np.sign(B) * r),
                ):
                    c = _monomial_lstsq(x, t, pw)
                    yield label, _numerator_for(x, y, sw, m, c, kind), c

    def _fit(self, m, n, kind):
        x, y, sw = self.x, self.y, self.sw
        best = None
        for name, a0, b0 in self._starts(m, n, kind):
            a, b, sse, nfev = _refine(x, y, sw, a0, b0, kind)
            if best is None or sse < best[2]:
                best = (a, b, sse, nfev, name)
        if best[1].size:
            best = self._random_restarts(m, n, kind, best)
        return best

    def _random_restarts(self, m, n, kind, best):
        """``_N_RANDOM`` random denominators (seed fixed per ``(m, n, kind)``; ``b_j s^j`` normal
        times a log-uniform scale in ``[1/8, 4]``, numerator by linear least squares), each
        refined for ``_SCREEN_NFEV`` evaluations; the best of them is refined fully and kept if
        it lowers the error by more than ``_RANDOM_GAIN`` relative."""
        x, y, sw = self.x, self.y, self.sw
        s = max(abs(x[0]), abs(x[-1]))
        nb = best[1].size
        scale = s ** (np.arange(nb) + (0 if kind == "offset" else 1))
        rng = np.random.default_rng([_RANDOM_SEED, m, n, KINDS[kind]])
        screened = None
        for k in range(_N_RANDOM):
            b0 = rng.standard_normal(nb) * 2.0 ** rng.uniform(-3.0, 2.0) / scale
            a0 = _numerator_for(x, y, sw, m, b0, kind)
            a, b, sse, _ = _refine(x, y, sw, a0, b0, kind, max_nfev=_SCREEN_NFEV)
            if screened is None or sse < screened[2]:
                screened = (a, b, sse, k)
        a, b, sse, nfev = _refine(x, y, sw, screened[0], screened[1], kind)
        if sse < best[2] * (1.0 - _RANDOM_GAIN):  # a rounding-level tie keeps the earlier start
            best = (a, b, sse, nfev, f"random {screened[3] + 1}")
        return best


def fit_rational(
    f, m=5, n=4, interval=(-3.0, 3.0), kind="safe", weight=None, n_points=2001, return_info=False
):
    r"""Least-squares fit of ``f`` by a pole-free rational ``P/Q`` of degrees ``(m, n)``.

    Parameters
    ----------
    f : callable
        Vectorised target, ``f(x) -> array`` of ``x``'s shape, finite on ``interval``.
    m, n : int
        Numerator and denominator degrees (``m >= 0``, ``n >= 0``; ``n >= 0`` coefficients
        ``b_1..b_n``, or ``b_0..b_n`` for ``"offset"``).
    interval : (float, float)
        ``a < b``, finite.
    kind : {"safe", "abs", "square", "offset"}
        The denominator (see :class:`splinekit.bases.Rational`).
    weight : callable, optional
        ``w(x) >= 0``, finite; the loss is ``sum w(x_i) (F(x_i) - f(x_i))^2``.
    n_points : int
        Uniform grid size on the interval (``>= m + n + 2``).
    return_info : bool
        Also return a dict: ``max_error``, ``rms_error`` (on the fit grid), ``start`` (the
        start whose refinement won, below), ``nfev`` (of that refinement).

    Notes
    -----
    Each start is refined by nonlinear least squares and the lowest error wins (ties: the
    earlier start).  ``B`` is the ``"safe"`` fit's ``sum_{j>=1} b_j x^j``, so its
    ``Q = 1 + |B|``.

    * ``"linearised"``: the linear problem above; ``"abs(linearised)"``: its ``|b|``;
      ``"polynomial"``: the least-squares polynomial with ``Q = 1``.
    * ``"nested"`` (``m, n >= 1``): the result of this function at ``(m - 1, n - 1)`` (which
      nests further down), coefficients padded with zeros -- the same ``F``, so the error at
      ``(m, n)`` is never above the one at ``(m - 1, n - 1)`` (the refinement only accepts
      decreasing steps).  Not implied: monotonicity in ``m`` or ``n`` alone.
    * ``"safe fit"`` (other kinds, ``n >= 1``): the ``"safe"`` fit's coefficients as they are;
      for ``"offset"`` mapped exactly (``1 + |B| = 10 (0.1 + |B/10|)``, so the ``"offset"``
      fit is never worse than the ``"safe"`` one).
    * ``"safe fit (even |B|)"`` (``"abs"``): ``|b_j|`` from non-negative least squares of
      ``sum c_j |x|^j ~ |B(x)|`` on the grid (``Q_abs ~ Q_safe``, made even), numerator by
      linear least squares for that denominator.
    * ``"safe fit (sign(x) sqrt|B|)"``, ``"safe fit (sign(B) sqrt|B|)"`` (``"square"``):
      ``b`` from linear least squares of ``sum b_j x^j`` against ``sign(x) sqrt|B(x)|``
      (resp. ``sign(B(x)) sqrt|B(x)|``), so ``1 + (sum b_j x^j)^2 ~ 1 + |B|``; numerator by
      linear least squares.
    * ``"random k"`` (``n >= 1``): the ``k``-th of 12 random denominators (fixed seed per
      ``(m, n, kind)``, numerator by linear least squares), the best after a short refinement
      refined fully; it wins only if it lowers the error by more than ``1e-9`` relative.

    Returns
    -------
    Rational (and the info dict if ``return_info``)

    Raises
    ------
    ValueError
        ``a >= b``, non-finite target or weight values, bad degrees or ``kind``.
    TypeError
        ``f`` or ``weight`` not callable.

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit.bases import fit_rational
    >>> F = fit_rational(np.tanh, m=3, n=2, interval=(-3, 3))
    >>> bool(np.max(np.abs(F(np.linspace(-3, 3, 101)) - np.tanh(np.linspace(-3, 3, 101)))) < 0.05)
    True
    """
    if not callable(f):
        raise TypeError(f"f must be callable (the target function); got {type(f).__name__}")
    m = _checks.check_nonneg_int(m, "m")
    n = _checks.check_nonneg_int(n, "n")
    kind = check_kind(kind)
    lo, hi = _interval(interval)
    n_points = _checks.check_nonneg_int(n_points, "n_points", minimum=m + n + 2)
    x = np.linspace(lo, hi, n_points)
    y = _sample(f, x, "f")
    sw = np.ones_like(x)
    if weight is not None:
        if not callable(weight):
            raise TypeError(f"weight must be callable or None; got {type(weight).__name__}")
        w = _sample(weight, x, "weight")
        if (w < 0).any():
            i = int(np.nonzero(w < 0)[0][0])
            raise ValueError(f"weight must be >= 0; weight(x={float(x[i])!r}) = {float(w[i])!r}")
        sw = np.sqrt(w)
    best = _Fitter(x, y, sw).fit(m, n, kind)
    F = Rational(best[0], best[1], kind)
    if not return_info:
        return F
    err = F(x) - y
    info = {
        "max_error": float(np.max(np.abs(err))),
        "rms_error": float(np.sqrt(np.mean(err**2))),
        "start": best[4],
        "nfev": best[3],
        "n_points": n_points,
        "interval": (lo, hi),
    }
    return F, info


def _kinks(F, L):
    """Points in ``(-L, L)`` where ``Q`` may have a kink (zeros of ``sum b_j x^j``; 0 for abs)."""
    b = F.denominator
    if F.kind == "square" or b.size == 0:
        return []
    if F.kind == "abs":
        return [0.0]
    coeffs = b[::-1] if F.kind == "offset" else np.concatenate([b[::-1], [0.0]])
    if not np.any(coeffs):
        return []
    r = np.roots(np.trim_zeros(coeffs, "f"))
    real = r[np.abs(r.imag) <= 1e-12 * np.maximum(1.0, np.abs(r))].real
    return sorted({float(v) for v in real if -L < v < L})


def _gain_one(F, method, n_nodes):
    if method == "hermite":
        from numpy.polynomial.hermite_e import hermegauss

        xg, wg = hermegauss(n_nodes)
        return float(np.sum(wg * F(xg) ** 2) / math.sqrt(2.0 * math.pi))
    from scipy.integrate import quad

    L = 40.0  # phi(40) ~ 1e-348: the tails beyond cannot matter for polynomial growth

    def integrand(v):
        return float(F(np.array([v]))[0]) ** 2 * math.exp(-0.5 * v * v) / math.sqrt(2 * math.pi)

    pts = [-L] + _kinks(F, L) + [L]
    total = 0.0
    for lo, hi in zip(pts[:-1], pts[1:], strict=True):
        total += quad(integrand, lo, hi, limit=200, epsabs=1e-14, epsrel=1e-13)[0]
    return total


def gain(F, method="quad", n_nodes=200):
    r"""Variance gain ``E[F(x)^2]`` for ``x ~ N(0, 1)`` (KAT's variance-preserving init).

    Parameters
    ----------
    F : Rational or GroupRational
    method : {"quad", "hermite"}
        ``"quad"``: adaptive Gauss-Kronrod (:func:`scipy.integrate.quad`) of
        ``F(x)^2 phi(x)`` on ``[-40, 40]``, split at the kinks of ``Q`` (real zeros of
        ``sum b_j x^j``; ``x = 0`` for ``"abs"``).  ``"hermite"``: ``n_nodes``-point
        Gauss-Hermite (probabilists') quadrature, exact for polynomials of degree
        ``2 n_nodes - 1`` and slower to converge at kinks.
    n_nodes : int
        Nodes for ``"hermite"``.

    Returns
    -------
    float (Rational) or ndarray (G,) (GroupRational, one gain per group)

    Raises
    ------
    ValueError
        Unknown ``method``.
    TypeError
        ``F`` is not a rational.

    Examples
    --------
    >>> from splinekit.bases import Rational, gain
    >>> round(gain(Rational([0.0, 1.0], [])), 12)          # E[x^2] = 1
    1.0
    """
    if method not in ("quad", "hermite"):
        raise ValueError(f"method must be 'quad' or 'hermite'; got {method!r}")
    n_nodes = _checks.check_nonneg_int(n_nodes, "n_nodes", minimum=1)
    if isinstance(F, GroupRational):
        rows = F.denominators
        return np.array(
            [_gain_one(Rational(F.numerator, r, F.kind), method, n_nodes) for r in rows]
        )
    if not isinstance(F, Rational):
        raise TypeError(f"F must be a Rational or GroupRational; got {type(F).__name__}")
    return _gain_one(F, method, n_nodes)
