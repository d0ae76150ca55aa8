"""Truncated-power scalar routines: one design-matrix row ``1, x, .., x^k, (x - t_m)_+^k``.

Conventions (shared by every caller):

* ``tau`` the ``M`` knots (strictly increasing), ``k`` the degree; the row has ``k + 1 + M``
  entries: ``d^nu/dx^nu x^d`` for ``d = 0..k`` then ``d^nu/dx^nu (x - tau_m)_+^k``.
* ``(x - tau)_+^0 = 1`` for ``x >= tau`` (right-continuous, like the B-spline spans
  ``[t_l, t_{l+1})``), so the ``k``-th derivative of ``(x - tau)_+^k`` is ``k! [x >= tau]``.
* Derivatives of order ``nu > k`` are zero.
"""


def falling(d, nu):
    """``d! / (d - nu)!`` as a float (``0`` when ``nu > d``)."""
    if nu > d:
        return 0.0
    f = 1.0
    for r in range(nu):
        f *= d - r
    return f


def power(u, e):
    """``u**e`` for an integer ``e >= 0`` by repeated products (``0**0 = 1``)."""
    p = 1.0
    for _ in range(e):
        p *= u
    return p


def design_row(x, tau, k, nu, out, i):
    """``out[i, :]``: the ``nu``-th derivatives of the ``k + 1 + M`` basis functions at ``x``."""
    for d in range(k + 1):
        if d < nu:
            out[i, d] = 0.0
        else:
            out[i, d] = falling(d, nu) * power(x, d - nu)
    kf = falling(k, nu)
    for j in range(tau.shape[0]):
        u = x - tau[j]
        if nu > k or u < 0.0:
            out[i, k + 1 + j] = 0.0
        else:
            out[i, k + 1 + j] = kf * power(u, k - nu)
