"""Generate ``splinekit/bases/presets/rational.json`` from splinekit's own rational definition.

    PYTHONPATH=. python validation/make_rational_presets.py [--check]

Every preset is a least-squares fit (:func:`splinekit.bases.fit_rational`: nonlinear least
squares with the analytic Jacobian from the linearised, nested-degree, cross-kind and
fixed-seed random starts; deterministic) of a standard activation on
``[-3, 3]`` (2001 uniform points, uniform weight -- KAT fits ``linspace(-3, 3, 1000)``), under
the very ``kind`` the kernels evaluate; so, unlike KAT's ``init.json`` (fitted for one
denominator, evaluated with another), the stored coefficients reproduce their target within the
stored ``max_error``, measured here on 100001 points of the interval.  ``--check`` re-measures
the stored file instead of refitting.
"""

from __future__ import annotations

import os

# the fits' linear algebra is tiny (2001 x 10): BLAS threads only add overhead, and on a shared
# machine they made the generation ~10x slower; set before NumPy loads its BLAS
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import datetime  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy.special import erf, expit  # noqa: E402

from splinekit.bases import Rational, fit_rational, gain  # noqa: E402
from splinekit.bases.rational import _FORMULA  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "splinekit" / "bases" / "presets" / "rational.json"
INTERVAL = (-3.0, 3.0)
DEGREES = [(5, 4), (3, 2)]
KINDS = ["safe", "abs", "square", "offset"]
TARGETS = {
    "identity": (lambda x: x, "x"),
    "relu": (lambda x: np.maximum(x, 0.0), "max(x, 0)"),
    "leaky_relu": (lambda x: np.where(x >= 0, x, 0.01 * x), "x if x >= 0 else 0.01 x"),
    "gelu": (lambda x: 0.5 * x * (1.0 + erf(x / np.sqrt(2.0))), "x/2 (1 + erf(x/sqrt(2))) (exact)"),
    "silu": (lambda x: x * expit(x), "x sigmoid(x) (= swish)"),
    "tanh": (np.tanh, "tanh(x)"),
    "sigmoid": (expit, "1 / (1 + exp(-x))"),
}


def _commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=OUT.parent, check=True
        ).stdout.strip()
    except Exception:
        return "unknown"


def measure(F, f):
    """Max and RMS error on 100001 points of the interval, in float64."""
    x = np.linspace(*INTERVAL, 100001)
    err = F(x) - f(x)
    return float(np.max(np.abs(err))), float(np.sqrt(np.mean(err**2)))


def record(name, m, n, kind):
    f, text = TARGETS[name]
    F, info = fit_rational(f, m=m, n=n, interval=INTERVAL, kind=kind, return_info=True)
    max_err, rms = measure(F, f)
    return {
        "name": name,
        "m": m,
        "n": n,
        "kind": kind,
        "target": text,
        "denominator_formula": _FORMULA[kind],
        "numerator": F.numerator.tolist(),
        "denominator": F.denominator.tolist(),
        "interval": list(INTERVAL),
        "fit_points": info["n_points"],
        "weight": "uniform",
        "fit_start": info["start"],
        "max_error": max_err,
        "rms_error": rms,
        "gain_quad": gain(F, "quad"),
        "gain_hermite": gain(F, "hermite"),
    }


def main(check=False):
    if check:
        data = json.loads(OUT.read_text())
        worst = 0.0
        for r in data["presets"]:
            F = Rational(r["numerator"], r["denominator"], r["kind"])
            e, _ = measure(F, TARGETS[r["name"]][0])
            worst = max(worst, abs(e - r["max_error"]))
        print(
            f"{len(data['presets'])} presets re-measured; max |error - stored error| = {worst:.2e}"
        )
        return 0
    recs = []
    for m, n in DEGREES:
        for kind in KINDS:
            for name in TARGETS:
                t0 = time.perf_counter()
                r = record(name, m, n, kind)
                print(
                    f"{name:11s} m={m} n={n} {kind:7s} max error {r['max_error']:.3e}  "
                    f"gain {r['gain_quad']:.6f}  start {r['fit_start']!r}  "
                    f"{time.perf_counter() - t0:.1f} s",
                    flush=True,
                )
                recs.append(r)
    data = {
        "provenance": {
            "generator": "validation/make_rational_presets.py",
            "method": "splinekit.bases.fit_rational (scipy least_squares with the analytic "
            "Jacobian from: linearised LSQ, |linearised|, polynomial, the (m-1, n-1) fit padded "
            "with zeros (recursively), the safe fit mapped into the kind (offset: exact; abs: "
            "NNLS of |B_safe|; square: LSQ of +-sqrt|B_safe|), 12 fixed-seed random "
            "denominators; best kept, deterministic)",
            "definition": "F(x) = P(x)/Q(x), P = sum_{i<=m} a_i x^i, Q by kind (see "
            "denominator_formula of each record)",
            "max_error_measured_on": "100001 uniform points of the interval, float64",
            "gain": "E[F(x)^2], x ~ N(0,1): adaptive quadrature split at the kinks (gain_quad) "
            "and 200-node Gauss-Hermite (gain_hermite)",
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "commit": _commit(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
        },
        "presets": recs,
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {len(recs)} presets to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
