"""``method="autoknots"``: NumCosmo's ``ncm_spline_set_func`` (``_SPLINE`` family), pass by pass.

Faithful to ``ncm_spline_func.c`` (see ``docs/adaptive.md`` for the mapping), with the fault
handling of splinekit instead of NumCosmo's (budget checked inside a pass, never overshooting;
an unresolvable interval is marked and skipped instead of aborting the program).

One pass tests every interval not yet passed, left to right, against the spline ``S`` of the
previous pass: ``f`` at the midpoint ``xm`` (in the sampling space) against ``S(xm)`` (point
test), and the 3-point rule on ``(x0, xm, x1)`` against the exact integral of ``S`` over the
interval (integral test).  ``xm`` always becomes a node; both halves are marked passed when both
tests passed.  ``S`` is rebuilt once per pass.  After the first pass without failures the
intervals wider than ``mean + refine_ns * sd`` of the widths (taken at the start of that pass)
are re-tested, ``refine`` times (linear space only, as in NumCosmo).
"""

from __future__ import annotations

import numpy as np

from ._result import interpolant

__all__ = ["run_autoknots", "three_point_integral"]


def three_point_integral(x0, xm, x1, y0, ym, y1, simpson):
    """Exact integral of the parabola through ``(x0,y0), (xm,ym), (x1,y1)`` over ``[x0, x1]``.

    With ``h = x1 - x0`` and ``d = (xm - (x0+x1)/2) / (h/2)``:
    ``I = h [y1 (3 - 2/(1-d)) + y0 (3 - 2/(1+d)) + 4 ym / (1 - d^2)] / 6``; Simpson's
    ``h (y0 + 4 ym + y1) / 6`` when ``simpson`` (NumCosmo's ``_SPLINE``, where d = 0).
    """
    h = x1 - x0
    if simpson:
        return h * (y0 + 4.0 * ym + y1) / 6.0
    d = (xm - 0.5 * (x0 + x1)) / (0.5 * h)
    return (
        h
        * (y1 * (3.0 - 2.0 / (1.0 - d)) + y0 * (3.0 - 2.0 / (1.0 + d)) + 4.0 * ym / (1.0 - d * d))
        / 6.0
    )


def _spread(arr, counts, idx, child_value):
    """Interval array after splitting the intervals ``idx`` in two (children get the value)."""
    out = np.repeat(arr, counts)
    first = np.cumsum(counts) - counts
    out[first[idx]] = child_value
    out[first[idx] + 1] = child_value
    return out


def run_autoknots(F, space, k, rtol, atol, n0, refine, refine_ns):
    """Run the faithful AutoKnots loop; returns a dict of the final state (see ``_api``)."""
    x = space.grid(n0)
    y = F(x)
    S = interpolant(x, y, k)
    nint = n0 - 1
    ok, unres = np.zeros(nint, bool), np.zeros(nint, bool)
    resid, ratio = np.zeros(nint), np.zeros(nint)
    refine_left = refine if space.name == "linear" else 0
    trace, truncated = [], False
    while True:
        w = np.diff(x)
        mean, sd, wmax = w.mean(), (w.std(ddof=1) if w.shape[0] > 1 else 0.0), w.max()
        idx = np.flatnonzero(~ok & ~unres)
        good = space.resolvable(x[idx], x[idx + 1], 2)
        unres[idx[~good]] = True
        idx = idx[good]
        if idx.shape[0] > F.remaining():
            idx, truncated = idx[: F.remaining()], True
        x0, x1, y0, y1 = x[idx], x[idx + 1], y[idx], y[idx + 1]
        xm = space.midpoint(x0, x1)
        ym = F(xm)
        ys = S(xm)
        anti = S.antiderivative()
        i_spline = anti(x1) - anti(x0)
        i_rule = three_point_integral(x0, xm, x1, y0, ym, y1, space.name == "linear")
        thr = rtol * np.abs(ym) + atol
        passed = (np.abs(ym - ys) <= thr) & (
            np.abs(i_rule - i_spline) <= rtol * np.abs(i_rule) + atol * (x1 - x0)
        )
        counts = np.ones(x.shape[0] - 1, np.int64)
        counts[idx] = 2
        ok = _spread(ok, counts, idx, passed)
        unres = _spread(unres, counts, idx, False)
        resid = _spread(resid, counts, idx, np.abs(ym - ys))
        ratio = _spread(ratio, counts, idx, np.abs(ym - ys) / np.where(thr > 0, thr, np.inf))
        x, y = np.insert(x, idx + 1, xm), np.insert(y, idx + 1, ym)
        S = interpolant(x, y, k)
        n_fail = int((~passed).sum())
        trace.append(
            dict(
                tested=int(idx.shape[0]),
                failed=n_fail,
                new=int(idx.shape[0]),
                knots=int(x.shape[0]),
                reopened=0,
            )
        )
        if truncated or n_fail:
            if truncated:
                break
            continue
        if refine_left < 1:
            break
        refine_left -= 1
        lim = mean + refine_ns * sd
        if wmax <= lim:
            break
        reopen = (np.diff(x) > lim) & ~unres
        if not reopen.any():
            break
        ok[reopen] = False
        trace[-1]["reopened"] = int(reopen.sum())
    return dict(
        x=x,
        y=y,
        spline=S,
        open=~ok & ~unres,
        unresolved=unres,
        truncated=truncated,
        error=resid,
        ratio=ratio,
        trace=trace,
    )
