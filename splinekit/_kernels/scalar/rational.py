"""Rational-function scalar routines ``F = P / Q``, written once for the CPU and the GPU.

Every routine handles one point and returns scalars (tuples), so the CPU launchers call them
inside a loop over points and the GPU kernels once per thread.  The degrees ``m`` and ``nb`` are
plain arguments; the CPU launchers pass them as compile-time constants (closures), so that LLVM
unrolls the Horner loops and vectorises the loop over points (runtime degrees measured 25x
slower: the loop then stays scalar).

Conventions (shared by every caller):

* ``a`` numerator coefficients ``a_0..a_m`` (shared by every group); ``b`` is 2-D,
  coefficient-major: ``b[idx, g]`` is the ``idx``-th denominator coefficient of the group (or
  CPU lane) ``g``.  Coefficient-major so that a CPU loop whose ``g`` is the lane reads each
  coefficient as one contiguous vector (the launchers pass ``b.T`` or a column table).
* ``kind``: ``SAFE`` ``Q = c0 + |sum_{j=1..n} b_j x^j|``; ``ABS`` ``Q = c0 + sum_j |b_j| |x|^j``;
  ``SQUARE`` ``Q = c0 + (sum_{j=1..n} b_j x^j)^2``; ``OFFSET`` ``Q = c0 + |sum_{j=0..n} b_j x^j|``
  (``b`` starts at ``b_0``).  ``c0`` is 1 except 0.1 for ``OFFSET``; it is passed in, as is
  ``one``, typed like ``x`` so that float32 stays float32 (a literal ``1.0`` is float64).
* After :func:`denominator`: ``dQ/db_j = FB * Y^j`` for ``j = j0..n`` (``j0 = 0`` for OFFSET,
  else 1), except that ABS has an extra factor ``sign(b_j)``, applied after the reduction.
* The subgradient of ``|u|`` at ``u = 0`` is ``0`` (``sign(0) = 0``), as ``torch.abs`` does.
"""

MAXM = 16  # largest numerator degree the GPU kernels support (local-array size)
MAXNB = 17  # largest number of denominator coefficients on the GPU
MAXC = MAXM + 1 + MAXNB  # coefficient-gradient accumulators per thread
SAFE = 0
ABS = 1
SQUARE = 2
OFFSET = 3


def first_power(kind):
    """``j0``: the power of ``x`` that multiplies ``b[0, g]``."""
    if kind == OFFSET:
        return 0
    return 1


def sign_of(v, one):
    """``sign(v)`` typed like ``one``, with ``sign(0) = 0`` (and NaN for NaN)."""
    if v > 0:
        return one
    if v < 0:
        return -one
    return v * (one - one)


def numerator(a, m, x, one):
    """``(P(x), P'(x))`` with ``P = sum_{i<=m} a_i x^i`` (Horner)."""
    p = a[m]
    dp = one - one
    for d in range(m - 1, -1, -1):
        dp = dp * x + p
        p = p * x + a[d]
    return p, dp


def horner_b(b, g, nb, kind, y, one):
    """``(H(y), H'(y))``, ``H(y) = sum_idx c_idx y^idx`` with ``c = b[:, g]`` (``|b|`` for ABS)."""
    h = b[nb - 1, g]
    if kind == ABS:
        h = abs(h)
    hp = one - one
    for idx in range(nb - 2, -1, -1):
        c = b[idx, g]
        if kind == ABS:
            c = abs(c)
        hp = hp * y + h
        h = h * y + c
    return h, hp


def denominator(b, g, nb, kind, x, one, c0):
    """``(Q, dQ/dx, FB, Y)`` at ``x``: ``dQ/db_j = FB * Y^j`` (times ``sign(b_j)`` for ABS)."""
    if nb == 0:
        return c0, one - one, one - one, x
    y = x
    if kind == ABS:
        y = abs(x)
    h, hp = horner_b(b, g, nb, kind, y, one)
    if kind == OFFSET:
        s = sign_of(h, one)
        return c0 + abs(h), s * hp, s, y
    A = y * h
    Ap = h + y * hp
    if kind == ABS:
        # Q = c0 + |x| H(|x|): dQ/dx = sign(x) (H + |x| H')
        return c0 + A, sign_of(x, one) * Ap, one, y
    if kind == SQUARE:
        return c0 + A * A, (A + A) * Ap, A + A, y
    s = sign_of(A, one)
    return c0 + abs(A), s * Ap, s, y


def value(a, m, b, g, nb, kind, x, nu, one, c0):
    """``F(x) = P/Q`` (``nu = 0``) or ``F'(x) = (P' - F Q') / Q`` (``nu = 1``)."""
    p, dp = numerator(a, m, x, one)
    q, qx, fb, y = denominator(b, g, nb, kind, x, one, c0)
    f = p / q
    if nu == 0:
        return f
    return (dp - f * qx) / q


def point_grad(a, m, b, g, nb, kind, x, gy, one, c0):
    """``(gx, w, z, y)``: ``gx = gy F'``, ``gy dF/da_i = w x^i``, ``gy dF/db_j = z y^j``.

    (ABS: ``gy dF/db_j = sign(b_j) z y^j``; the sign is applied after the reduction.)
    """
    p, dp = numerator(a, m, x, one)
    q, qx, fb, y = denominator(b, g, nb, kind, x, one, c0)
    f = p / q
    w = gy / q
    return w * (dp - f * qx), w, -(w * f) * fb, y


def accumulate(acc, l, m, nb, j0, x, y, w, z, one):
    """``acc[c, l] += w x^c`` (``c <= m``) and ``acc[m+1+jj, l] += z y^(j0+jj)``."""
    pw = one
    for c in range(m + 1):
        acc[c, l] += w * pw
        pw = pw * x
    pw = one
    if j0 == 1:
        pw = y
    for jj in range(nb):
        acc[m + 1 + jj, l] += z * pw
        pw = pw * y


def jacobian_row(a, m, b, g, nb, kind, x, one, c0, out, i):
    """``out[i, c] = dF/dcoef_c(x)``: ``c <= m`` numerator, then the ``nb`` of ``b[:, g]``."""
    p, dp = numerator(a, m, x, one)
    q, qx, fb, y = denominator(b, g, nb, kind, x, one, c0)
    pw = one
    for c in range(m + 1):
        out[i, c] = pw / q
        pw = pw * x
    z = -(p / q) / q * fb
    pw = one
    if first_power(kind) == 1:
        pw = y
    for jj in range(nb):
        s = one
        if kind == ABS:
            s = sign_of(b[jj, g], one)
        out[i, m + 1 + jj] = z * pw * s
        pw = pw * y
