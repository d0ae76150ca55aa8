"""Validation of splinekit.adaptive: NFW/Hernquist to 1e-10, hard cases, evaluation economy."""

from __future__ import annotations

import warnings

import mpmath as mp
import numpy as np
from _profiles import PROFILES, closed_mp, los_mp

from splinekit.adaptive import autoknots
from splinekit.fitting import make_interp_spline

TITLE = "Adaptive knot allocation (autoknots): NFW/Hernquist, hard cases, economy"

METHODS = ("splinekit", "autoknots")
U_A, U_B = float(np.log(1e-4)), float(np.log(1e4))


def run(report, quick):
    _profiles_check(report, quick)
    _halo_table(report, quick)
    _hard_cases(report, quick)
    _economy(report, quick)


# -- 1. the profiles themselves ------------------------------------------------------------
def _profiles_check(report, quick):
    xs = [
        1e-4,
        0.01,
        0.0499,
        0.0501,
        0.5,
        0.899,
        0.95,
        1.0,
        1.00001,
        1.0999,
        1.1001,
        2.0,
        100.0,
        1e4,
    ]
    if quick:
        xs = [1e-4, 0.0499, 0.5, 0.95, 1.0, 1.00001, 1.1001, 100.0, 1e4]
    worst_f64, worst_mp, rows = 0.0, 0.0, []
    for name, f in PROFILES.items():
        w64 = 0.0
        for X in xs:
            q = los_mp(name, X, dps=30)
            worst_mp = max(worst_mp, float(abs(closed_mp(name, X, dps=30) / q - 1)))
            w64 = max(w64, abs(float(f(np.array([X]))[0]) / float(q) - 1.0))
        worst_f64 = max(worst_f64, w64)
        rows.append([name, w64])
    report.table(
        "float64 closed forms (with series branches) vs line-of-sight quadrature "
        "(mpmath, 30 digits)",
        ["profile", "max relative error"],
        rows,
    )
    report.check(
        "closed forms (mpmath) equal the line-of-sight quadrature of the density", worst_mp, 1e-25
    )
    # a few ulps times the condition of the closed forms at the series switches (<= 1e-13)
    report.check("float64 profiles match the quadrature", worst_f64, 2e-13)
    X = np.geomspace(1e-4, 1e4, 20001)
    ident = np.max(np.abs(2 * PROFILES["hernquist_mcyl"](X) / X**2 / PROFILES["nfw_sigma"](X) - 1))
    report.check(
        "identity: mean Hernquist surface density 2 M_H / X^2 equals NFW Sigma", ident, 1e-13
    )


# -- 2. NFW and Hernquist, ln f against ln X ------------------------------------------------
def _log_of(f):
    return lambda u: np.log(f(np.exp(u)))


def _halo_table(report, quick):
    uu = np.linspace(U_A, U_B, 100001)
    rows, worst, worst_ak = [], {}, {}
    for name, f in PROFILES.items():
        g = _log_of(f)
        ref = f(np.exp(uu))
        for e in range(1, 11):
            tol = 10.0**-e
            row = [name, tol]
            for m in METHODS:
                s = autoknots(g, U_A, U_B, rtol=0.0, atol=tol, method=m, vectorized=True)
                err = float(np.max(np.abs(np.exp(s(uu)) / ref - 1.0)))
                row += [s.info.evaluations, err / tol]
                d = worst if m == "splinekit" else worst_ak
                d[name] = max(d.get(name, 0.0), err / tol)
            rows.append(row)
    report.note(
        "Each profile f(X) is splined as g(u) = ln f(e^u), u = ln X in [ln 1e-4, ln 1e4], with "
        "atol = tol on g (so the relative error of f = exp(S) is tol to first order; rtol = 0 "
        "since ln f crosses zero).  Achieved error: max |exp(S(u)) / f - 1| on 100001 points "
        "uniform in ln X, against the float64 profiles (validated above to 2e-13)."
    )
    report.table(
        "NFW / Hernquist: evaluations and achieved max relative error / tol",
        [
            "profile",
            "tol",
            "evals splinekit",
            "err/tol splinekit",
            "evals autoknots",
            "err/tol autoknots",
        ],
        [[r[0], r[1], r[2], r[3], r[4], r[5]] for r in rows],
    )
    for name in PROFILES:
        report.check(
            f"{name}: splinekit meets every tolerance 1e-1..1e-10 (max err/tol)", worst[name], 1.0
        )
    report.note(
        "AutoKnots (faithful) worst err/tol per profile: "
        + ", ".join(f"{k} {v:.3g}" for k, v in worst_ak.items())
    )
    sk = sum(r[2] for r in rows)
    ak = sum(r[4] for r in rows)
    report.check("NFW/Hernquist: total evaluations splinekit / autoknots", sk / ak, 1.0)


# -- 3. hard cases ---------------------------------------------------------------------------
def _plateau(x):
    c1, c2, w1, w2, amp = 0.3734357791520905, 0.5349354317347645, 0.00622938722, 0.098676, 0.8648
    return 1.001 + amp * (np.tanh((x - c1) / w1) - np.tanh((x - c2) / w2)) / 2


HARD = {
    "two plateaus (tanh steps)": (_plateau, 0.0, 1.0, 1e-6, 0.0, "linear"),
    "flat + narrow bump": (
        lambda x: 1 + np.exp(-(((x - 0.5) / 0.02) ** 2)),
        0,
        1,
        1e-8,
        0,
        "linear",
    ),
    "approaches zero: exp(-x^2), rtol only": (lambda x: np.exp(-x * x), 0, 6, 1e-8, 0, "linear"),
    "approaches zero: exp(-8x), rtol only": (lambda x: np.exp(-8 * x), 0, 5, 1e-8, 0, "linear"),
    "Lorentzian 1/(1e-4 + x^2)": (lambda x: 1 / (1e-4 + x * x), -1, 1, 1e-8, 0, "linear"),
    "odd about a grid midpoint (asinh space)": (
        lambda x: np.tanh(x / 3) + 2,
        -100,
        100,
        1e-8,
        0,
        "asinh",
    ),
}


def _hard_cases(report, quick):
    rows = []
    for name, (f, a, b, rtol, atol, space) in HARD.items():
        xx = np.linspace(a, b, 200001 if quick else 1000001)
        fx = f(xx)
        row = [name, rtol]
        for m in METHODS:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                s = autoknots(
                    f,
                    a,
                    b,
                    rtol=rtol,
                    atol=atol,
                    method=m,
                    space=space,
                    vectorized=True,
                    max_evals=200000,
                )
            r = np.abs(s(xx) - fx) / (rtol * np.abs(fx) + atol)
            row += [s.info.evaluations, float(r.max()), float(np.mean(r > 1))]
            if m == "splinekit":
                report.check(f"hard case '{name}': splinekit max err/tol", r.max(), 1.0)
        rows.append(row)
    report.table(
        "hard cases: evaluations, max err/tol and fraction of the domain above tol",
        [
            "case",
            "rtol",
            "evals sk",
            "err/tol sk",
            "frac>tol sk",
            "evals ak",
            "err/tol ak",
            "frac>tol ak",
        ],
        rows,
    )
    report.note(
        "AutoKnots at 200000 evaluations means it hit the budget (its integral test "
        "with a relative tolerance is rounding-limited where f is tiny)."
    )


# -- 4. evaluation economy -------------------------------------------------------------------
def _cos3(x):
    return np.cos(2 * np.pi * x) + 0.5 * np.cos(6.6 * np.pi * x) + 0.2 * np.cos(14.2 * np.pi * x)


def _cos3_mp(x):
    return (
        mp.cos(2 * mp.pi * x)
        + mp.mpf("0.5") * mp.cos(mp.mpf("6.6") * mp.pi * x)
        + mp.mpf("0.2") * mp.cos(mp.mpf("14.2") * mp.pi * x)
    )


SMOOTH = {
    "exp(x) on [0, 2]": (np.exp, mp.exp, 0.0, 2.0),
    "cosine sum on [0, 1]": (_cos3, _cos3_mp, 0.0, 1.0),
    "exp-sinc 0.5 e^2x + sinc^2(5x) on [1e-3, 1]": (
        lambda x: 0.5 * np.exp(2 * x) + (np.sin(5 * x) / (5 * x)) ** 2,
        lambda x: mp.exp(2 * x) / 2 + (mp.sin(5 * x) / (5 * x)) ** 2,
        1e-3,
        1.0,
    ),
    "Runge 1/(1+25x^2) on [-1, 1]": (
        lambda x: 1 / (1 + 25 * x * x),
        lambda x: 1 / (1 + 25 * x * x),
        -1.0,
        1.0,
    ),
    "ln(X) NFW Sigma vs ln X (the halo problem)": (
        lambda u: np.log(PROFILES["nfw_sigma"](np.exp(u))),
        lambda u: mp.log(closed_mp("nfw_sigma", mp.exp(u))),
        U_A,
        U_B,
    ),
}


def _n_equidistributed(fm, a, b, tol, n):
    """N ~ int (5 |f''''| / (384 tau))^(1/4) dx, tau = tol (|f| + 1) (mixed tolerance)."""
    xs = np.linspace(a, b, n)
    with mp.workdps(30):
        d4 = np.array([abs(float(mp.diff(fm, mp.mpf(float(x)), 4))) for x in xs])
        fv = np.array([abs(float(fm(mp.mpf(float(x))))) for x in xs])
    return float(np.trapezoid((5 * d4 / (384 * tol * (fv + 1))) ** 0.25, xs))


def _smallest_uniform(f, a, b, tol, xx, fx):
    """Fewest uniform nodes whose not-a-knot spline meets tol (|f| + 1) on the dense grid."""

    def ok(n):
        x = np.linspace(a, b, n)
        s = make_interp_spline(x, f(x), k=3)
        return bool(np.max(np.abs(s(xx) - fx) / (tol * (np.abs(fx) + 1))) <= 1.0)

    lo, hi = 4, 8
    while not ok(hi):
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return hi


def _economy(report, quick):
    tols = [1e-6, 1e-8, 1e-10] if quick else [1e-6, 1e-8, 1e-10, 1e-12]
    n_mp = 400 if quick else 2000
    rows, vs_eq, vs_ak = [], {}, []
    for name, (f, fm, a, b) in SMOOTH.items():
        xx = np.linspace(a, b, 100001)
        fx = f(xx)
        for tol in tols:
            neq = _n_equidistributed(fm, a, b, tol, n_mp)
            nu = _smallest_uniform(f, a, b, tol, xx, fx)
            sk = autoknots(f, a, b, rtol=tol, atol=tol, vectorized=True)
            with warnings.catch_warnings():  # it may hit the budget (rounding-limited)
                warnings.simplefilter("ignore")
                ak = autoknots(
                    f,
                    a,
                    b,
                    rtol=tol,
                    atol=tol,
                    method="autoknots",
                    vectorized=True,
                    max_evals=200000,
                )
            err = float(np.max(np.abs(sk(xx) - fx) / (tol * (np.abs(fx) + 1))))
            e, ea = sk.info.evaluations, ak.info.evaluations
            # median over the intervals of the interval's max err/tol (31 points each)
            kn = sk.info.x
            xi = kn[:-1, None] + np.diff(kn)[:, None] * np.linspace(0, 1, 33)[1:-1]
            med = float(np.median((np.abs(sk(xi) - f(xi)) / (tol * (np.abs(f(xi)) + 1))).max(1)))
            rows.append([name, tol, round(neq, 1), nu, ea, e, e / neq, e / ea, e / nu, err, med])
            vs_eq.setdefault(tol, []).append(e / neq)
            vs_ak.append(e / ea)
            report.check(f"economy '{name}' tol {tol:g}: splinekit meets the tolerance", err, 1.0)
    report.note(
        "Mixed tolerance rtol = atol = tol (NumCosmo scale = 1).  N_eq = int (5|f''''| / "
        "(384 tol (|f| + 1)))^(1/4) dx (de Boor's equidistribution estimate with the 5/384 "
        "bound; the uniform-mesh constant is 1/384, so the asymptotic optimum is N_eq / 5^(1/4) "
        "= 0.67 N_eq).  'uniform' = fewest equispaced nodes whose not-a-knot spline meets the "
        "tolerance on 100001 points."
    )
    report.table(
        "evaluation economy on smooth functions",
        [
            "function",
            "tol",
            "N_eq",
            "uniform",
            "autoknots",
            "splinekit",
            "sk / N_eq",
            "sk / autoknots",
            "sk / uniform",
            "sk err/tol",
            "sk median interval err/tol",
        ],
        rows,
    )
    report.check(
        "splinekit uses fewer evaluations than autoknots (worst ratio over all cases)",
        max(vs_ak),
        0.999,
    )
    # The issue states 1.3 N_eq as a goal, not a requirement, so it is reported with
    # report.goal (printed, listed at the top of the report and at the end of the run, but not a
    # failed check).  Why 1e-6 and 1e-8 miss it: every evaluation is a permanent node and an
    # interval is refined by splitting it into p >= 2 equal parts, so an interval predicted just
    # above eta = 1/2 is halved and ends 16x below it; the final interval ratios have medians of
    # 0.01-0.24 (last column of the table).  At small N (20-350 nodes) that quantization
    # and the two unverified ternary passes (6 -> 16 -> 46 nodes) are a large share of the count;
    # at 1e-10 and below they are not, and the goal is met.
    for tol, r in vs_eq.items():
        gm = float(np.exp(np.mean(np.log(r))))
        report.goal(f"splinekit / N_eq at tol {tol:g} (geometric mean over functions)", gm, 1.3)
    tight = [r for tol, rr in vs_eq.items() if tol <= 1e-8 for r in rr]
    report.note(
        f"splinekit / N_eq: max {max(tight):.3g} over tol <= 1e-8; over all: "
        + ", ".join(f"tol {t:g}: max {max(r):.3g}" for t, r in vs_eq.items())
    )
    _figure(report, rows)


def _figure(report, rows):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for name in SMOOTH:
        r = [row for row in rows if row[0] == name]
        ax.loglog([x[1] for x in r], [x[6] for x in r], "o-", label=name[:28])
        ax.loglog([x[1] for x in r], [x[4] / x[2] for x in r], "x:", color="gray")
    ax.axhline(1.3, color="k", lw=0.8)
    ax.set_xlabel("tolerance")
    ax.set_ylabel("evaluations / N_eq")
    ax.set_title("splinekit (o) and AutoKnots (x, gray) vs equidistribution")
    ax.legend(fontsize=6)
    report.figure(
        fig, "adaptive_economy.png", "evaluations relative to the equidistribution estimate"
    )
    plt.close(fig)
