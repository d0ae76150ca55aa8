r"""Symbol of the collocation Toeplitz family, and spectral reports of the collocation matrices."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy import special

from . import _args

__all__ = ["SpectrumReport", "spectrum_report", "symbol"]


def _hurwitz_g(x, s, p):
    if p % 2:
        return (2 * np.pi) ** (-s) * special.zeta(s, x / (2 * np.pi))
    return (4 * np.pi) ** (-s) * (
        special.zeta(s, x / (4 * np.pi)) - special.zeta(s, (x + 2 * np.pi) / (4 * np.pi))
    )


def symbol(alpha, p, theta):
    r"""Symbol ``f_p^alpha(theta) = sum_k a_k e^{i k theta}`` of the collocation Toeplitz matrices.

    ``a_k = -(d^alpha phi_p/d|x|^alpha)((p+1)/2 + k)`` are the entries of ``T`` in
    ``h^alpha A = T + R`` (see :func:`collocation_matrix`).  By Poisson summation

    .. math::

        f_p^\alpha(\theta) = \sum_{l\in\mathbb Z} |\theta + 2\pi l|^\alpha
            \left(\frac{\sin(\theta/2 + \pi l)}{\theta/2 + \pi l}\right)^{p+1}
          = (2\sin(\theta/2))^{p+1} [G_p(\theta) + G_p(2\pi - \theta)],

    with ``s = p + 1 - alpha`` and the Hurwitz zeta function ``zeta(s, q)``:
    ``G_p(x) = (2 pi)^-s zeta(s, x/(2 pi))`` for odd ``p``,
    ``G_p(x) = (4 pi)^-s [zeta(s, x/(4 pi)) - zeta(s, (x + 2 pi)/(4 pi))]`` for even ``p``.

    ``f`` is even and ``2 pi``-periodic, ``f(0) = 0`` with ``f ~ |theta|^alpha`` there (a
    zero of order ``alpha``), ``f > 0`` elsewhere, and ``f(pi) ~ 4 pi^alpha (2/pi)^(p+1)``
    decays exponentially in ``p``.

    Parameters
    ----------
    alpha : float
        ``1 < alpha < 2``.
    p : int
        ``p >= 2``.
    theta : array_like
        Angles (any real values; reduced to ``[0, pi]`` by symmetry and periodicity).

    Returns
    -------
    ndarray, float64, shape of ``theta``

    Examples
    --------
    >>> from splinekit.fractional import symbol
    >>> round(float(symbol(1.5, 3, 3.141592653589793)), 12)
    2.020130867413
    """
    alpha, p = _args.check_alpha(alpha), _args.check_p(p)
    th = np.abs(np.asarray(theta, dtype=np.float64))
    th = np.abs(np.remainder(th + np.pi, 2 * np.pi) - np.pi)
    s = p + 1 - alpha
    with np.errstate(divide="ignore", invalid="ignore"):
        g = _hurwitz_g(th, s, p) + _hurwitz_g(2 * np.pi - th, s, p)
        f = (2 * np.sin(th / 2)) ** (p + 1) * g
    return np.where(th == 0, 0.0, f)


@dataclasses.dataclass
class SpectrumReport:
    """Eigenvalues of ``h^alpha A`` against symbol samples, outliers and conditioning.

    Attributes
    ----------
    alpha, p, n, N : parameters
    eigenvalues : ndarray (N,)
        Eigenvalues of ``h^alpha A``, sorted by real part.
    max_imag : float
        Largest ``|imag|`` of the eigenvalues (``A`` is not symmetric; the spectrum is real
        in every case measured).
    symbol_samples : ndarray (N,)
        ``f(j pi/(N+1))``, ``j = 1..N``, sorted.
    symbol_max : float
        ``max f`` on ``[0, pi]``.
    outliers : ndarray
        Eigenvalues above ``symbol_max`` (by more than ``1e-8`` relative): from the boundary
        rows and columns.
    bulk_gap : float
        ``max |lambda_j - f_j|`` over the sorted bulk (outliers removed from both ends).
    cond : float
        2-norm condition number of ``A``.
    lambda_min : float
        Smallest real part of the eigenvalues of ``A`` (not scaled).
    figure : matplotlib Figure or None
    """

    alpha: float
    p: int
    n: int
    N: int
    eigenvalues: np.ndarray
    max_imag: float
    symbol_samples: np.ndarray
    symbol_max: float
    outliers: np.ndarray
    bulk_gap: float
    cond: float
    lambda_min: float
    figure: object = None

    def __str__(self):
        return (
            f"spectrum of h^alpha A: alpha={self.alpha}, p={self.p}, n={self.n} (N={self.N})\n"
            f"  eigenvalues in [{self.eigenvalues.real.min():.6g}, "
            f"{self.eigenvalues.real.max():.6g}], max |imag| {self.max_imag:.2e}\n"
            f"  symbol max {self.symbol_max:.6g}; {len(self.outliers)} outliers above it: "
            f"{np.array2string(self.outliers.real, precision=5)}\n"
            f"  bulk gap to sorted symbol samples {self.bulk_gap:.3e}\n"
            f"  cond_2(A) {self.cond:.4e}, lambda_min(A) {self.lambda_min:.6g}"
        )


def spectrum_report(alpha, p, n, domain=(0.0, 1.0), plot=None):
    """Eigenvalues of the collocation matrix against the symbol (dense; keep ``N`` <~ 4000).

    Parameters
    ----------
    alpha, p, n, domain : as in :func:`collocation_matrix`.
    plot : bool or None
        Draw eigenvalues and sorted symbol samples (``None``: when matplotlib is installed).

    Returns
    -------
    SpectrumReport

    Examples
    --------
    >>> from splinekit.fractional import spectrum_report
    >>> r = spectrum_report(1.5, 3, 32, plot=False)
    >>> r.N, bool(r.max_imag < 1e-8), bool(r.bulk_gap < 0.1)
    (33, True, True)
    """
    from .matrix import collocation_matrix

    alpha, p = _args.check_alpha(alpha), _args.check_p(p)
    n = _args.check_n(n, p)
    a, b = _args.check_domain(domain)
    h = (b - a) / n
    A = collocation_matrix(alpha, p, n, (a, b))
    N = A.shape[0]
    lam = np.linalg.eigvals(A * h**alpha)
    lam = lam[np.argsort(lam.real)]
    f = np.sort(symbol(alpha, p, np.arange(1, N + 1) * np.pi / (N + 1)))
    fmax = float(symbol(alpha, p, np.linspace(0, np.pi, 4097)).max())
    out = lam[lam.real > fmax * (1 + 1e-8)]
    nb = len(out)
    bulk = lam.real[: N - nb] if nb else lam.real
    gap = float(np.max(np.abs(bulk - f[: N - nb]))) if len(bulk) else math.nan
    sv = np.linalg.svd(A, compute_uv=False)
    rep = SpectrumReport(
        alpha,
        p,
        n,
        N,
        lam,
        float(np.abs(lam.imag).max()),
        f,
        fmax,
        out,
        gap,
        float(sv[0] / sv[-1]),
        float(lam.real.min() / h**alpha),
    )
    if plot is None:
        try:
            import matplotlib  # noqa: F401

            plot = True
        except ImportError:
            plot = False
    if plot:
        rep.figure = _plot(rep)
    return rep


def _plot(rep):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    j = np.arange(1, rep.N + 1) / (rep.N + 1)
    ax.plot(j, rep.eigenvalues.real, ".", ms=3, label="eigenvalues of $h^\\alpha A$")
    ax.plot(j, rep.symbol_samples, "-", lw=1, label="sorted $f(j\\pi/(N+1))$")
    ax.axhline(rep.symbol_max, color="gray", lw=0.5, ls="--", label="max f")
    ax.set_xlabel("j / (N+1)")
    ax.set_title(f"alpha={rep.alpha}, p={rep.p}, n={rep.n}: {len(rep.outliers)} outliers")
    ax.legend(fontsize=8)
    return fig
