"""B-spline scalar routines: interval search, Cox-de Boor values/derivatives, point evaluation.

Conventions (shared by every caller):

* ``t`` knots (length ``n + k + 1``), ``k`` degree, ``n = len(t) - k - 1`` coefficients; the base
  interval is ``[t[k], t[n]]``.
* ``find_span`` returns ``l`` in ``[k, n-1]`` with ``t[l] <= x < t[l+1]`` inside the base
  interval, the last non-empty span at ``x = t[n]``, the end spans outside (extrapolation),
  and ``k`` for NaN.  The k+1 B-splines nonzero on span ``l`` are ``B_{l-k}, ..., B_l``.
* ``table`` is the bucket table of ``basis.span_table`` (O(1) search for spread-out knots,
  used by evaluation); ``find_span`` works without one.  ``inv_h > 0`` signals uniform spans
  on the base interval (``inv_h = 1/h``), where the basis is evaluated by the division-free
  cardinal formula.
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


def find_span_table(t, k, n, x, table):
    """Knot span index ``l`` of ``x`` (see the module docstring), in O(1) for spread-out knots.

    ``table`` is a bucket table: the base interval cut into ``nb = len(table) - 1`` equal
    buckets, ``table[b]`` the span of the bucket's left edge.  The answer lies in
    ``[table[b], table[b+1]]``; a branch-free binary search over that range finishes (one
    comparison for uniform knots, ``log2`` of the bucket's knot count in general), so the cost
    does not depend on the order of the queries.
    """
    nb = table.shape[0] - 1
    f = (x - t[k]) * (nb / (t[n] - t[k]))
    if not (f >= 0.0):  # left of the base interval, or NaN
        return fix_empty_span(t, k, n, k)
    if f >= nb:
        return fix_empty_span(t, k, n, n - 1)
    b = int(f)
    if b > nb - 1:
        b = nb - 1
    base = table[b]
    length = table[b + 1] - base + 1
    while length > 1:
        half = length >> 1
        # arithmetic select, not a branch: random queries would mispredict half the time
        base += half * (t[base + half] <= x)
        length -= half
    if base > n - 1:
        base = n - 1
    if t[base] == t[base + 1]:
        base = fix_empty_span(t, k, n, base)
    return base


def find_span(t, k, n, x, inv_h):
    """Knot span index ``l`` of ``x`` without a table: O(1) when ``inv_h = 1/h > 0`` (uniform
    spans), else a branch-free binary search over the whole base interval (O(log n))."""
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
        base += half * (t[base + half] <= x)
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


def basis_nonzero_uniform(t, k, l, x, nu, inv_h, N):
    """``basis_nonzero`` on a span whose ``2k`` surrounding knots are equally spaced by ``h``.

    In ``u = (x - t_l) / h`` every Cox-de Boor denominator is the integer ``j`` and every
    differentiation denominator ``j h``: no division by knot differences, and the result is
    the cardinal B-spline (up to rounding of the knots themselves).
    """
    if nu > k:
        for r in range(k + 1):
            N[r] = 0.0
        return
    u = (x - t[l]) * inv_h
    p = k - nu
    N[0] = 1.0
    for j in range(1, p + 1):
        inv_j = 1.0 / j
        saved = 0.0
        for r in range(j):
            temp = N[r] * inv_j
            N[r] = saved + (r + 1 - u) * temp
            saved = (u + (j - r - 1)) * temp
        N[j] = saved
    scale = 1.0
    for j in range(p + 1, k + 1):
        saved = 0.0
        for r in range(j):
            temp = N[r]
            N[r] = saved - temp
            saved = temp
        N[j] = saved
        scale *= inv_h
    if nu > 0:
        for r in range(k + 1):
            N[r] *= scale


def uniform_span(k, n, l, inv_h):
    """True when span ``l`` and its ``2k`` surrounding knots are equally spaced."""
    return inv_h > 0.0 and l >= 2 * k - 1 and l <= n - k


def store_dot(c, k, l, V, x, out, i):
    """``out[i, j] = sum_r V[r] c[l-k+r, j]`` (NaN for NaN ``x``: degree 0 has no ``x`` in it)."""
    for j in range(c.shape[1]):
        s = c[0, j] * 0.0
        for r in range(k + 1):
            s += V[r] * c[l - k + r, j]
        out[i, j] = s if x == x else math.nan


def map_point(t, k, n, x, mode):
    """Apply the extrapolation mode to ``x``; returns the point to evaluate (NaN if none)."""
    if mode == 2:
        return wrap_periodic(x, t[k], t[n])
    if mode == 1 and not (x >= t[k] and x <= t[n]):
        return math.nan
    return x


def eval_point(t, c, k, x, nu, mode, inv_h, table, out, i, N, U, left, right):
    """``out[i, j] = sum_r c[l-k+r, j] * B^{(nu)}_{l-k+r}(x)`` for every column ``j``."""
    n = t.shape[0] - k - 1
    xm = map_point(t, k, n, x, mode)
    l = find_span_table(t, k, n, xm, table)
    # Two whole paths, each with its own scratch (``U`` for the uniform one): sharing one
    # array between them costs the CPU path about 2x (measured on the cubic case).
    if uniform_span(k, n, l, inv_h):
        basis_nonzero_uniform(t, k, l, xm, nu, inv_h, U)
        store_dot(c, k, l, U, xm, out, i)
    else:
        basis_nonzero(t, k, l, xm, nu, N, left, right)
        store_dot(c, k, l, N, xm, out, i)


def store_row(V, k, x, out, d, i):
    """``out[d, i, :] = V`` (NaN for NaN ``x``)."""
    for r in range(k + 1):
        out[d, i, r] = V[r] if x == x else math.nan


def basis_point(t, k, x, nu0, mode, inv_h, out, first, i, N, left, right):
    """Rows of the basis at one point: ``out[d, i, r] = B^{(nu0+d)}_{first[i]+r}(x)``."""
    n = t.shape[0] - k - 1
    xm = map_point(t, k, n, x, mode)
    l = find_span(t, k, n, xm, inv_h)
    first[i] = l - k
    for d in range(out.shape[0]):
        if uniform_span(k, n, l, inv_h):
            basis_nonzero_uniform(t, k, l, xm, nu0 + d, inv_h, N)
        else:
            basis_nonzero(t, k, l, xm, nu0 + d, N, left, right)
        store_row(N, k, xm, out, d, i)
