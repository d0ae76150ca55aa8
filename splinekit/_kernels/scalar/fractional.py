"""Fractional (Riemann-Liouville and Riesz) derivatives of one B-spline at one point.

Plain Python, compiled twice by ``_compile`` (Numba CPU and numba-cuda).  Every routine works on
the *local* knot vector ``tl = t[j : j + p + 2]`` of one B-spline (index 0 there), copied by the
caller into scratch: a B-spline depends on its own ``p + 2`` knots only.

Math (``1 < alpha < 2``; ``N`` is zero outside ``[tl[0], tl[p+1]]``):

* jump form: with ``J_{m,r}`` the jump of ``N^{(r)}`` at the breakpoint ``tau_m``,
  ``D_L N(x) = sum_m sum_r J_{m,r} (x - tau_m)_+^{r-alpha} / Gamma(r+1-alpha)``;
* kernel form, exact when ``N`` vanishes near ``x``:
  ``D_L N(x) = 1/Gamma(-alpha) int_{-inf}^{x} (x - xi)^{-1-alpha} N(xi) dxi``;
* ``D_R N(x) = D_L M(-x)`` with ``M(xi) = N(-xi)`` (reflected knots), and the Riesz derivative
  ``d^alpha N / d|x|^alpha = c_alpha (D_L N + D_R N)``, ``c_alpha = -1 / (2 cos(pi alpha / 2))``.

The plain jump form is a ``(p+1)``-th difference of ``x^(p-alpha)`` and loses
``(d/h)^(p+1)`` ulps at distance ``d`` from the support (reference note, section 2.4).  So
``left_rl`` splits ``N`` at ``s = x - H``: the part on ``(s, inf)`` by the jump form (all
distances below ``H``, the smallest knot spacing, so nothing cancels), the part on ``(-inf, s]``
by the kernel form with Gauss-Legendre on pieces no longer than their distance to ``x`` (the
integrand is positive and analytic there).  Far from the support (``|x - centre| >= FAR`` half
widths) the kernel integral is a convergent moment series (``far_series``), one pow per point.

Scratch: ``D``, ``E``, ``W`` of ``p + 1`` values.  ``coef`` holds the alpha-dependent constants
(see ``splinekit.fractional._core.coefficients``): ``[c_alpha, 1/Gamma(-alpha), alpha,
1/Gamma(r+1-alpha) for r = 0..MAXP, (1+alpha)_m/m! for m = 0..MMOM]``.
"""

import math

MAXP = 24  # largest degree of the GPU kernels (local arrays); same bound as the bspline family
MAXP2 = MAXP + 2
MMOM = 20  # highest moment of the far-field series
FAR = 8.0  # series when |x - centre| >= FAR * half-width: error <= (1/8)^21 * 220 ~ 2e-17
HCUT = 0.25  # cut at x - HCUT * (smallest knot spacing): shorter near parts cancel less
QMAX = 40  # rows of the Gauss-Legendre table
CG = 3  # offset of 1/Gamma(r+1-alpha) in coef
CM = CG + MAXP + 1  # offset of (1+alpha)_m / m! in coef


def local_span(tl, p, x, right):
    """Span ``l`` (local) with ``tl[l] <= x < tl[l+1]`` (``right``) or ``tl[l] < x <= tl[l+1]``.

    Returns -1 when that one-sided neighbourhood of ``x`` is outside the support.
    """
    for l in range(p + 1):
        if tl[l] < tl[l + 1]:
            if right and tl[l] <= x and x < tl[l + 1]:
                return l
            if (not right) and tl[l] < x and x <= tl[l + 1]:
                return l
    return -1


def single_derivs(tl, p, l, x, rmax, D, W):
    """``D[r] = N^{(r)}(x)`` for ``r = 0..rmax`` from the polynomial piece of span ``l``.

    Cox-de Boor on the local knots: degree ``p - r`` values of ``N_{i,p-r}``, ``i = 0..r``,
    then ``r`` derivative steps ``N' = d (N_{i,d-1}/(t_{i+d}-t_i) - N_{i+1,d-1}/(...))``.
    ``l = -1`` gives zeros.  O(p^2) per order.
    """
    for r in range(rmax + 1):
        if l < 0 or r > p:
            D[r] = 0.0
            continue
        for i in range(p + 1):
            W[i] = 1.0 if i == l else 0.0
        for dd in range(1, p - r + 1):
            for i in range(p + 1 - dd):
                v = 0.0
                den1 = tl[i + dd] - tl[i]
                den2 = tl[i + dd + 1] - tl[i + 1]
                if den1 > 0.0:
                    v += (x - tl[i]) / den1 * W[i]
                if den2 > 0.0:
                    v += (tl[i + dd + 1] - x) / den2 * W[i + 1]
                W[i] = v
        for dd in range(p - r + 1, p + 1):
            for i in range(p + 1 - dd):
                v = 0.0
                den1 = tl[i + dd] - tl[i]
                den2 = tl[i + dd + 1] - tl[i + 1]
                if den1 > 0.0:
                    v += W[i] / den1
                if den2 > 0.0:
                    v -= W[i + 1] / den2
                W[i] = dd * v
        D[r] = W[0]


def min_spacing(tl, p):
    """Smallest positive knot spacing of the local knot vector."""
    H = tl[p + 1] - tl[0]
    for i in range(p + 1):
        g = tl[i + 1] - tl[i]
        if g > 0.0 and g < H:
            H = g
    return H


def gl_nodes(ratio, p):
    """Gauss-Legendre order for a piece at distance ``ratio`` x its length from the singularity.

    Bernstein ellipse ``rho = z + sqrt(z^2 - 1)``, ``z = 1 + 2 ratio``; ``rho^(-2Q')`` <= 1e-17
    gives ``Q'`` (12, 8, 6, 4), plus ``(p+1)//2`` for the polynomial factor of degree ``p``.
    """
    q = 4
    if ratio < 3.0:
        q = 12
    elif ratio < 10.0:
        q = 8
    elif ratio < 40.0:
        q = 6
    q += (p + 1) // 2
    if q > QMAX:
        q = QMAX
    return q


def kernel_piece(tl, p, l, u, v, x, alpha, glx, glw, D, W):
    """``int_u^v (x - xi)^(-1-alpha) N(xi) dxi`` for ``[u, v]`` inside span ``l``, ``v < x``."""
    q = gl_nodes((x - v) / (v - u), p)
    half = 0.5 * (v - u)
    mid = 0.5 * (v + u)
    s = 0.0
    for i in range(q):
        xi = mid + half * glx[q, i]
        single_derivs(tl, p, l, xi, 0, D, W)
        d = x - xi
        s += glw[q, i] * D[0] * (d ** (-alpha) / d)  # (-1 - alpha) would round
    return s * half


def kernel_left(tl, p, s, x, alpha, glx, glw, D, W):
    """``int_{-inf}^{s} (x - xi)^(-1-alpha) N(xi) dxi`` (``s < x``) over pieces with
    length <= distance to ``x`` (graded towards ``x``)."""
    total = 0.0
    for l in range(p + 1):
        a = tl[l]
        b = tl[l + 1]
        if b > s:
            b = s
        if not (a < b):
            continue
        v = b
        while v > a:
            u = v - (x - v)
            if u < a:
                u = a
            total += kernel_piece(tl, p, l, u, v, x, alpha, glx, glw, D, W)
            v = u
    return total


def one_sided(tl, p, x, rmax, D, E, W):
    """``D[r] = N^{(r)}(x+)``, ``E[r] = N^{(r)}(x-)``, ``r = 0..rmax``.

    Written with a single call of ``single_derivs``: the CPU build inlines every call, and each
    extra call site costs seconds of JIT compile time.
    """
    for k in range(2):
        single_derivs(tl, p, local_span(tl, p, x, k == 0), x, rmax, D if k == 0 else E, W)


def left_rl(tl, p, x, coef, glx, glw, D, E, W):
    """Left Riemann-Liouville derivative ``D_L^alpha N(x)``; +-inf at a breakpoint ``x`` where
    ``N`` or ``N'`` jumps.

    Near part: the jumps at the breakpoints in ``(s, x)`` (all of ``[tl[0], x)`` when the cut
    ``s = x - H`` lies left of the support) plus, with a cut, the jumps ``N^{(r)}(s+)`` of
    ``N 1_{(s, inf)}`` at ``s``; every distance is below ``H``, so nothing cancels.  Far part:
    the kernel form on ``(-inf, s]``.
    """
    alpha = coef[2]
    if not (x >= tl[0]):
        return 0.0  # left of the support (x == tl[0] goes on: N may jump there)
    H = HCUT * min_spacing(tl, p)
    s = x - H
    cut = s > tl[0]
    near = 0.0
    for m in range(p + 3):
        # m <= p + 1: breakpoint tl[m]; m == p + 2: the cut (one call site, see one_sided)
        tau = tl[m] if m < p + 2 else s
        if m < p + 2:
            use = (tau > s or not cut) and tau <= x and (m == 0 or tl[m - 1] < tau)
        else:
            use = cut
        if use:
            one_sided(tl, p, tau, p, D, E, W)
            if tau == x:
                # N or N' jumps at x: the derivative is infinite (its sign from the limit
                # x -> tau+, 1/Gamma(1-alpha) < 0 < 1/Gamma(2-alpha)); higher jumps add 0
                if D[0] != E[0]:
                    return -math.inf if D[0] > E[0] else math.inf
                if D[1] != E[1]:
                    return math.inf if D[1] > E[1] else -math.inf
                continue
            base = x - tau
            # start the powers at the first nonzero jump: base^(-alpha) may overflow where
            # base^(r0-alpha) does not (r0 - alpha is exact for r0 <= 2, Sterbenz)
            r0 = p + 1
            for r in range(p, -1, -1):
                if (D[r] - E[r] if m < p + 2 else D[r]) != 0.0:
                    r0 = r
            pw = base ** (r0 - alpha)
            for r in range(r0, p + 1):
                jump = D[r] - E[r] if m < p + 2 else D[r]
                near += jump * coef[CG + r] * pw
                pw *= base
    far = 0.0
    if cut:
        far = coef[1] * kernel_left(tl, p, s, x, alpha, glx, glw, D, W)
    return near + far


def far_series(tl, p, mom, j, x, coef):
    """``int N(xi) |x - xi|^(-1-alpha) dxi`` by the moment series about the support centre.

    ``|x - xi|^(-1-alpha) = |y|^(-1-alpha) sum_m (1+alpha)_m/m! ((xi - c)/y)^m``, ``y = x - c``;
    ``mom[j, m] = int N(xi) (xi - c)^m dxi``.
    """
    c = 0.5 * (tl[0] + tl[p + 1])
    y = x - c
    iy = 1.0 / y
    s = 0.0
    pw = 1.0
    for m in range(MMOM + 1):
        s += coef[CM + m] * mom[j, m] * pw
        pw *= iy
    # |y|^(-1-alpha) as |y|^-alpha / |y|: the rounded exponent -1-alpha costs log(|y|) ulps
    return s * (abs(y) ** (-coef[2]) / abs(y))


def reflect(tl, p, tr):
    """Knots of ``M(xi) = N(-xi)``: ``tr[i] = -tl[p+1-i]``."""
    for i in range(p + 2):
        tr[i] = -tl[p + 1 - i]


def frac_local(tl, tr, p, mom, j, x, side, coef, glx, glw, D, E, W):
    """Fractional derivative of the B-spline with local knots ``tl`` (``tr`` scratch).

    ``side``: 0 Riesz ``c_alpha (D_L + D_R)``, 1 left RL ``D_L``, 2 right RL ``D_R``.
    ``mom[j]``: moments of this B-spline (``far_series``).  NaN ``x`` gives NaN.  At a
    breakpoint where ``N'`` jumps all three are ``+-inf``; where ``N`` jumps ``D_L`` and ``D_R``
    are infinite with opposite signs and the Riesz derivative is NaN.
    """
    if x != x:
        return x
    half = 0.5 * (tl[p + 1] - tl[0])
    y = x - 0.5 * (tl[p + 1] + tl[0])
    if abs(y) >= FAR * half:
        v = far_series(tl, p, mom, j, x, coef)
        if side == 0:
            return coef[0] * coef[1] * v
        if (side == 1) == (y > 0.0):
            return coef[1] * v
        return 0.0
    # one call site of left_rl for both sides (see one_sided): D_R N(x) = D_L M(-x)
    reflect(tl, p, tr)
    dl = 0.0
    dr = 0.0
    for k in range(2):
        if (k == 0 and side != 2) or (k == 1 and side != 1):
            v = left_rl(tl if k == 0 else tr, p, x if k == 0 else -x, coef, glx, glw, D, E, W)
            if k == 0:
                dl = v
            else:
                dr = v
    if side == 1:
        return dl
    if side == 2:
        return dr
    return coef[0] * (dl + dr)


def load_local(t, j, p, tl):
    """Copy the ``p + 2`` knots of B-spline ``j`` into ``tl``."""
    for i in range(p + 2):
        tl[i] = t[j + i]


def frac_point(t, p, j, mom, x, side, coef, glx, glw, tl, tr, D, E, W):
    """Fractional derivative of B-spline ``j`` of the knot vector ``t`` at ``x``."""
    load_local(t, j, p, tl)
    return frac_local(tl, tr, p, mom, j, x, side, coef, glx, glw, D, E, W)


def moments_local(tl, p, mom, j, glx, glw, D, W):
    """``mom[j, m] = int N(xi) (xi - c)^m dxi``, ``m = 0..MMOM``, ``c`` the support centre.

    Gauss-Legendre with ``q`` nodes per span is exact for the degree ``p + MMOM`` integrand.
    """
    c = 0.5 * (tl[0] + tl[p + 1])
    q = (p + MMOM) // 2 + 1
    if q > QMAX:
        q = QMAX
    for m in range(MMOM + 1):
        mom[j, m] = 0.0
    for l in range(p + 1):
        a = tl[l]
        b = tl[l + 1]
        if not (a < b):
            continue
        half = 0.5 * (b - a)
        mid = 0.5 * (b + a)
        for i in range(q):
            xi = mid + half * glx[q, i]
            single_derivs(tl, p, l, xi, 0, D, W)
            w = glw[q, i] * half * D[0]
            d = xi - c
            pw = 1.0
            for m in range(MMOM + 1):
                mom[j, m] += w * pw
                pw *= d


def moments_point(t, p, j, mom, glx, glw, tl, D, W):
    """Moments of B-spline ``j`` of ``t`` into ``mom[j, :]``."""
    load_local(t, j, p, tl)
    moments_local(tl, p, mom, j, glx, glw, D, W)
