"""Sampling spaces: where probes go (``linear``, ``log``, ``asinh``) and the resolution guard.

A space is a monotone map ``u = g(x)``; the initial grid is uniform in ``u`` and an interval is
subdivided uniformly in ``u``.  The spline itself is always a spline in ``x``: the space only
decides where ``f`` is sampled (as NumCosmo's ``_SPLINE``, ``_SPLINE_LNKNOT`` and
``_SPLINE_SINHKNOT`` do).
"""

from __future__ import annotations

import numpy as np

__all__ = ["GUARD_ULPS", "Space", "make_space"]

# An interval is "too narrow to resolve" when a child would be narrower than GUARD_ULPS ulps of
# the scale of the whole problem (NumCosmo's NCM_SPLINE_KNOT_DIFF_TOL is the same 100 eps, but
# relative to the midpoint alone, which never fires next to x = 0).
GUARD_ULPS = 100.0
_EPS = float(np.finfo(np.float64).eps)


class Space:
    """A sampling coordinate ``u = fwd(x)`` with inverse ``inv``."""

    def __init__(self, name, fwd, inv, a, b):
        self.name, self.fwd, self.inv = name, fwd, inv
        self.a, self.b = float(a), float(b)
        self.ua, self.ub = float(fwd(np.float64(a))), float(fwd(np.float64(b)))
        # Global resolution in u: relative to the largest |u| and to the width of [ua, ub].
        self.du_min = GUARD_ULPS * _EPS * max(abs(self.ua), abs(self.ub), self.ub - self.ua)

    def grid(self, n):
        """``n`` points uniform in ``u`` with the exact end points ``a`` and ``b``."""
        x = self.inv(np.linspace(self.ua, self.ub, n))
        x[0], x[-1] = self.a, self.b
        return x

    def subdivide(self, x0, x1, pieces):
        """Interior points splitting each ``[x0[i], x1[i]]`` into ``pieces[i]`` equal parts in u.

        Returns ``(points, owner)``: the new points in increasing order and the index ``i`` of
        the interval each belongs to.
        """
        pieces = np.asarray(pieces, dtype=np.int64)
        owner = np.repeat(np.arange(x0.shape[0]), pieces - 1)
        start = np.cumsum(pieces - 1) - (pieces - 1)
        j = np.arange(owner.shape[0]) - start[owner] + 1
        u0, u1 = self.fwd(x0), self.fwd(x1)
        frac = j / pieces[owner]
        return self.inv(u0[owner] + frac * (u1 - u0)[owner]), owner

    def midpoint(self, x0, x1):
        """``g^-1((g(x0) + g(x1)) / 2)``, rounded as NumCosmo rounds it."""
        return self.inv(0.5 * (self.fwd(x0) + self.fwd(x1)))

    def resolvable(self, x0, x1, pieces):
        """True where splitting ``[x0, x1]`` into ``pieces`` parts stays above the guard.

        Two conditions: the child width in ``u`` exceeds ``GUARD_ULPS`` ulps of the problem's
        scale (max(|u_a|, |u_b|, u_b - u_a)), and the child width in ``x`` exceeds
        ``GUARD_ULPS`` ulps of ``max(|x0|, |x1|)`` (needed in the log space, where the u-scale
        says nothing about the representability of x itself).
        """
        du = (self.fwd(x1) - self.fwd(x0)) / pieces
        dx = (x1 - x0) / pieces
        xs = GUARD_ULPS * _EPS * np.maximum(np.abs(x0), np.abs(x1))
        return (du > self.du_min) & (dx > xs)

    def sample(self, x0, x1, fracs):
        """Points at the u-fractions ``fracs`` of each interval, shape (len(x0), len(fracs))."""
        u0, u1 = self.fwd(x0), self.fwd(x1)
        return self.inv(u0[:, None] + np.asarray(fracs)[None, :] * (u1 - u0)[:, None])


def make_space(name, a, b):
    """The :class:`Space` called ``name`` on ``[a, b]`` (checked by the caller)."""
    if name == "linear":
        return Space(name, lambda x: x, lambda u: np.asarray(u, dtype=np.float64), a, b)
    if name == "log":
        return Space(name, np.log, np.exp, a, b)
    return Space(name, np.arcsinh, np.sinh, a, b)
