"""B-spline scalar routines: interval search, Cox-de Boor values/derivatives, point evaluation.

Conventions (shared by every caller):

* ``t`` knots (length ``n + k + 1``), ``k`` degree, ``n = len(t) - k - 1`` coefficients; the base
  interval is ``[t[k], t[n]]``.
* ``find_span`` returns ``l`` in ``[k, n-1]`` with ``t[l] <= x < t[l+1]`` inside the base
  interval, the last non-empty span at ``x = t[n]``, the end spans outside (extrapolation),
  and ``k`` for NaN.  The k+1 B-splines nonzero on span ``l`` are ``B_{l-k}, ..., B_l``.
* ``inv_h > 0`` signals uniform spans on the base interval (``inv_h = 1/h``): O(1) search.
  Otherwise a branch-free binary search (O(log n), independent of the order of the queries).
* ``mode``: 0 extrapolate with the end polynomials, 1 NaN outside the base interval,
  2 periodic (``x`` wrapped into the base interval).
"""

import math

MAXK = 24  # largest degree the GPU kernels support (local-array size); the CPU has no limit
MAXK1 = MAXK + 1


def fix_empty_span(t, k, n, l):
    """Move ``l`` off a zero-length span (only possible at the ends with extra-multiple knots)."""
    while l > k and t[l] == t[l + 1]:
        l -= 1
    while l < n - 1 and t[l] == t[l + 1]:
        l += 1
    return l


def find_span(t, k, n, x, inv_h):
    """Knot span index ``l`` of ``x`` (see the module docstring)."""
    if inv_h > 0.0:
        f = (x - t[k]) * inv_h
        if f >= 0.0 and f < n - k:
            l = k + int(f)
            if l > n - 1:
                l = n - 1
            # one step corrects the rounding of (x - t[k]) / h
            if l > k and x < t[l]:
                l -= 1
            elif l < n - 1 and x >= t[l + 1]:
                l += 1
            return l
        if f >= n - k:
            return fix_empty_span(t, k, n, n - 1)
        return k  # left of the base interval, or NaN
    if not (x >= t[k]):
        return fix_empty_span(t, k, n, k)
    base = k
    length = n - k
    while length > 1:
        half = length >> 1
        if t[base + half] <= x:
            base += half
        length -= half
    if t[base] == t[base + 1]:
        base = fix_empty_span(t, k, n, base)
    return base


def wrap_periodic(x, a, b):
    """Map ``x`` into ``[a, b)`` by the period ``b - a``."""
    if not (x - x == 0.0):  # NaN or +-inf: no position in the period
        return math.nan
    p = b - a
    y = x - p * math.floor((x - a) / p)
    if y < a:
        y = a
    if y >= b:
        y = a
    return y


def basis_nonzero(t, k, l, x, nu, N, left, right):
    """``N[r] = d^nu/dx^nu B_{l-k+r,k}(x)`` for ``r = 0..k`` (zeros when ``nu > k``).

    Degree ``k - nu`` values by the stable Cox-de Boor triangle (de Boor's BSPLVB), then ``nu``
    differentiation steps
    ``B'_{i,j} = j (B_{i,j-1}/(t_{i+j}-t_i) - B_{i+1,j-1}/(t_{i+j+1}-t_{i+1}))``.
    Every denominator spans ``[t_l, t_{l+1}]`` and so is positive.  Scratch: ``left``, ``right``.
    """
    if nu > k:
        for r in range(k + 1):
            N[r] = 0.0
        return
    p = k - nu
    N[0] = 1.0
    for j in range(1, p + 1):
        left[j] = x - t[l + 1 - j]
        right[j] = t[l + j] - x
        saved = 0.0
        for r in range(j):
            temp = N[r] / (right[r + 1] + left[j - r])
            N[r] = saved + right[r + 1] * temp
            saved = left[j - r] * temp
        N[j] = saved
    for j in range(p + 1, k + 1):
        saved = 0.0
        for r in range(j):
            temp = j * N[r] / (t[l + r + 1] - t[l + r + 1 - j])
            N[r] = saved - temp
            saved = temp
        N[j] = saved


def map_point(t, k, n, x, mode):
    """Apply the extrapolation mode to ``x``; returns the point to evaluate (NaN if none)."""
    if mode == 2:
        return wrap_periodic(x, t[k], t[n])
    if mode == 1 and not (x >= t[k] and x <= t[n]):
        return math.nan
    return x


def eval_point(t, c, k, x, nu, mode, inv_h, out, i, N, left, right):
    """``out[i, j] = sum_r c[l-k+r, j] * B^{(nu)}_{l-k+r}(x)`` for every column ``j``."""
    n = t.shape[0] - k - 1
    xm = map_point(t, k, n, x, mode)
    l = find_span(t, k, n, xm, inv_h)
    basis_nonzero(t, k, l, xm, nu, N, left, right)
    if xm != xm:  # NaN in, NaN out (degree 0 would otherwise give a clean 1.0)
        for r in range(k + 1):
            N[r] = math.nan
    for j in range(c.shape[1]):
        s = c[0, j] * 0.0
        for r in range(k + 1):
            s += N[r] * c[l - k + r, j]
        out[i, j] = s


def basis_point(t, k, x, nu0, mode, inv_h, out, first, i, N, left, right):
    """Rows of the basis at one point: ``out[d, i, r] = B^{(nu0+d)}_{first[i]+r}(x)``."""
    n = t.shape[0] - k - 1
    xm = map_point(t, k, n, x, mode)
    l = find_span(t, k, n, xm, inv_h)
    first[i] = l - k
    for d in range(out.shape[0]):
        basis_nonzero(t, k, l, xm, nu0 + d, N, left, right)
        for r in range(k + 1):
            out[d, i, r] = N[r] if xm == xm else math.nan
