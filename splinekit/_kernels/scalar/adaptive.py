"""Scalar math of the adaptive method: the a posteriori error of a cubic interpolating spline.

Plain Python (compiled by ``_compile``): no allocation, scratch passed in, float literals.

On an interval ``[x_i, x_{i+1}]`` of width ``h`` (``t = (x - x_i)/h``) the cubic interpolating
spline is the cubic Hermite interpolant with its own slopes ``f' + d``, so

    f - S = h^4 f4 / 24 t^2 (1-t)^2 - h (d_i t (1-t)^2 - d_{i+1} t^2 (1-t)),

``f4`` the fourth derivative.  ``f4`` is taken from the divided differences of the 6 nodes
around the interval and the slope errors ``d`` from the slopes of the quintic through the 6
nodes around each end (both shifted inward at the ends of the data).
"""

import math


def lagrange_slope(x, y, n, i):
    """Slope at ``x[i]`` of the quintic through the 6 consecutive nodes centred on ``i``."""
    start = i - 2
    if start < 0:
        start = 0
    if start > n - 6:
        start = n - 6
    xi = x[i]
    wself = 0.0
    for l in range(start, start + 6):
        if l != i:
            wself -= 1.0 / (x[l] - xi)
    s = wself * y[i]
    for j in range(start, start + 6):
        if j != i:
            zj = x[j] - xi
            w = 1.0 / zj
            for l in range(start, start + 6):
                if l != j and l != i:
                    zl = x[l] - xi
                    w *= -zl / (zj - zl)
            s += w * y[j]
    return s


def fourth_derivative(x, y, n, i, dd):
    """``12 (f[z0..z4] + f[z1..z5])`` over the 6 nodes around interval ``i``; ``dd``: 6 scratch.

    On return ``dd[0]``, ``dd[1]`` hold the two fourth divided differences.
    """
    start = i - 2
    if start < 0:
        start = 0
    if start > n - 6:
        start = n - 6
    for j in range(6):
        dd[j] = y[start + j]
    for order in range(1, 5):
        for j in range(6 - order):
            dd[j] = (dd[j + 1] - dd[j]) / (x[start + j + order] - x[start + j])
    return 12.0 * (dd[0] + dd[1])


def interval_error(x, y, n, i, slope0, slope1, dd):
    """Estimated ``max |f - S|`` on interval ``i`` (``slope0/1``: the spline's end slopes)."""
    f4 = fourth_derivative(x, y, n, i, dd)
    d0 = slope0 - lagrange_slope(x, y, n, i)
    d1 = slope1 - lagrange_slope(x, y, n, i + 1)
    h = x[i + 1] - x[i]
    c4 = h * h * h * h * f4 / 24.0
    emax = 0.0
    for q in range(1, 10):
        t = q / 10.0
        u = 1.0 - t
        e = math.fabs(c4 * (t * u) * (t * u) - h * (d0 * t * u * u - d1 * t * t * u))
        if e > emax:
            emax = e
    return emax
