"""Package promises: a quiet, light import; the command line; the knot constructors."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import splinekit as sk


def test_import_is_quiet_and_light():
    code = textwrap.dedent(
        """
        import sys
        import splinekit
        heavy = [m for m in ("cupy", "torch", "numba.cuda", "numba") if m in sys.modules]
        print("HEAVY=" + ",".join(heavy))
        """
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "HEAVY=", r.stdout
    assert r.stderr == ""


def test_public_names_sorted():
    assert sk.__all__ == sorted(sk.__all__)
    for name in sk.__all__:
        assert hasattr(sk, name)


def test_cli_validate_runs_studies_and_sets_exit_code(tmp_path):
    studies = tmp_path / "v"
    studies.mkdir()
    (studies / "study_ok.py").write_text(
        "TITLE = 'ok study'\n"
        "def run(report, quick):\n"
        "    report.check('one equals one', 0.0, 1.0)\n"
        "    report.table('t', ['a'], [[1]])\n"
    )
    out = tmp_path / "out"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "splinekit",
            "validate",
            "--quick",
            "--dir",
            str(studies),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert "[PASS] ok: one equals one" in r.stdout
    assert "1 checks, 0 failed" in (out / "report.md").read_text()
    (studies / "study_bad.py").write_text(
        "def run(report, quick):\n    raise RuntimeError('boom')\n"
    )
    r = subprocess.run(
        [sys.executable, "-m", "splinekit", "validate", "--dir", str(studies), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1
    assert "FAIL" in r.stdout and "boom" in r.stdout


def test_goals_are_reported_but_do_not_fail_the_run(tmp_path):
    studies = tmp_path / "v"
    studies.mkdir()
    (studies / "study_goal.py").write_text(
        "def run(report, quick):\n"
        "    report.check('a claim', 0.0, 1.0)\n"
        "    report.goal('an aim met', 1.0, 2.0)\n"
        "    report.goal('an aim missed', 3.0, 2.0)\n"
    )
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "splinekit", "validate", "--dir", str(studies), "--out", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "[GOAL MET] goal: an aim met" in r.stdout
    assert "[GOAL NOT MET] goal: an aim missed: measured 3, goal 2" in r.stdout
    md = (out / "report.md").read_text()
    assert "1 checks, 0 failed" in md and "2 goals, 1 not met" in md
    head = md.split("## ")[0]  # the missed goal is listed before the first study section
    assert "an aim missed" in head and "an aim met" not in head


def test_knots_constructors():
    t = sk.knots.uniform(0.0, 2.0, 4, 3)
    np.testing.assert_allclose(t, [0, 0, 0, 0, 0.5, 1, 1.5, 2, 2, 2, 2])
    tp = sk.knots.from_breakpoints([0.0, 1.0, 3.0, 4.0], 2, kind="periodic")
    np.testing.assert_allclose(tp, [-3, -1, 0, 1, 3, 4, 5, 7])
    g = sk.knots.greville(t, 3)
    assert g.shape == (7,) and g[0] == 0 and g[-1] == 2
    # Greville points reproduce linear functions: sum_j g_j B_j(x) = x
    s = sk.BSpline(t, g, 3)
    x = np.linspace(0, 2, 11)
    np.testing.assert_allclose(s(x), x, atol=1e-14)
    with pytest.raises(
        ValueError, match=r"increasing; breakpoints\[0\]=0.0 >= breakpoints\[1\]=0.0"
    ):
        sk.knots.from_breakpoints([0.0, 0.0, 1.0], 3)
    with pytest.raises(ValueError, match="need finite a < b"):
        sk.knots.uniform(1.0, 0.0, 3, 3)
    with pytest.raises(ValueError, match="kind must be 'clamped' or 'periodic'"):
        sk.knots.from_breakpoints([0.0, 1.0], 3, kind="nope")
    with pytest.raises(ValueError, match="need at least k\\+1 = 4 sites"):
        sk.knots.not_a_knot([0.0, 1.0, 2.0], 3)


def test_readme_example_runs():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    code = text.split("```python")[1].split("```")[0]
    ns = {}
    exec(compile(code, "README.md", "exec"), ns)
    assert ns["y"].shape == (1_000_000,) and ns["info"].converged
    assert ns["a"].info.converged
