"""Validation report: checks (claim, measured, tolerance, verdict), tables and figures.

A validation study (``validation/study_*.py``) is a module with a ``TITLE`` string and a function
``run(report, quick)``.  It records its evidence through the :class:`Report` it is given::

    def run(report, quick):
        err = ...
        report.check("basis values match mpmath (40 digits)", measured=err, tolerance=4.0,
                     unit="ulp")
        report.table("worst error by degree", ["k", "ulp"], rows)
        report.figure(fig, "convergence.png", "observed order")   # matplotlib figure, optional
        report.goal("evaluations / estimate (geometric mean)", measured=1.4, target=1.3)

``splinekit validate`` runs every study, prints one line per check and writes ``report.md``.

A *goal* (:meth:`Report.goal`) is a target the project aims at but does not promise (an issue's
"goal", as opposed to a requirement).  It is printed and written like a check, as
``[GOAL MET]`` / ``[GOAL NOT MET]``, and the goals not met are listed again at the top of
``report.md`` and at the end of the run, but a goal not met is not a failed check (it does not
change the exit code).
"""

from __future__ import annotations

import dataclasses
import math
import sys
from pathlib import Path

__all__ = ["Check", "Goal", "Report"]


@dataclasses.dataclass
class Check:
    study: str
    claim: str
    measured: float
    tolerance: float
    passed: bool
    unit: str = ""

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"[{verdict}] {self.study}: {self.claim}: measured {_fmt(self.measured)}{unit}, "
            f"tolerance {_fmt(self.tolerance)}{unit}"
        )


@dataclasses.dataclass
class Goal:
    study: str
    claim: str
    measured: float
    target: float
    met: bool
    unit: str = ""

    def line(self) -> str:
        verdict = "GOAL MET" if self.met else "GOAL NOT MET"
        unit = f" {self.unit}" if self.unit else ""
        note = "" if self.met else " (a goal: not counted as a failed check)"
        return (
            f"[{verdict}] {self.study}: {self.claim}: measured {_fmt(self.measured)}{unit}, "
            f"goal {_fmt(self.target)}{unit}{note}"
        )


def _fmt(v) -> str:
    if isinstance(v, (bool, str)):
        return str(v)
    try:
        v = float(v)
    except (TypeError, ValueError):
        return str(v)
    if v == 0 or (1e-3 <= abs(v) < 1e5):
        return f"{v:.4g}"
    return f"{v:.3e}"


class Report:
    """Collects the checks, tables and figures of every study; writes Markdown."""

    def __init__(self, out_dir: Path, echo=True):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.checks: list[Check] = []
        self.goals: list[Goal] = []
        self._md: list[str] = []
        self._study = ""
        self._echo = echo

    def start_study(self, name: str, title: str) -> None:
        self._study = name
        self._md += [f"## {title}", ""]

    def check(self, claim, measured, tolerance, passed=None, unit=""):
        """Record a claim; by default it passes when ``measured <= tolerance`` (NaN fails)."""
        if passed is None:
            passed = bool(float(measured) <= float(tolerance)) and not math.isnan(float(measured))
        c = Check(self._study, claim, measured, tolerance, bool(passed), unit)
        self.checks.append(c)
        self._md.append(
            f"- {'PASS' if c.passed else '**FAIL**'}: {claim}: measured "
            f"{_fmt(measured)}{' ' + unit if unit else ''}, tolerance "
            f"{_fmt(tolerance)}{' ' + unit if unit else ''}"
        )
        if self._echo:
            print(c.line(), flush=True)
        return c.passed

    def goal(self, claim, measured, target, met=None, unit=""):
        """Record a goal; by default it is met when ``measured <= target`` (NaN: not met).

        Unlike :meth:`check`, a goal not met does not fail the run; it is listed at the top of
        the report and at the end of the run's output.
        """
        if met is None:
            met = bool(float(measured) <= float(target)) and not math.isnan(float(measured))
        g = Goal(self._study, claim, measured, target, bool(met), unit)
        self.goals.append(g)
        u = " " + unit if unit else ""
        verdict = "GOAL met" if g.met else "**GOAL NOT MET** (not counted as a failed check)"
        self._md.append(
            f"- {verdict}: {claim}: measured {_fmt(measured)}{u}, goal {_fmt(target)}{u}"
        )
        if self._echo:
            print(g.line(), flush=True)
        return g.met

    @property
    def goals_not_met(self) -> list[Goal]:
        return [g for g in self.goals if not g.met]

    def note(self, text: str) -> None:
        self._md += ["", text, ""]

    def table(self, title, header, rows) -> None:
        self._md += [
            "",
            f"**{title}**",
            "",
            "| " + " | ".join(map(str, header)) + " |",
            "|" + "---|" * len(header),
        ]
        self._md += ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in rows]
        self._md.append("")

    def figure(self, fig, name: str, caption: str) -> None:
        path = self.out_dir / name
        fig.savefig(path, dpi=110, bbox_inches="tight")
        self._md += ["", f"![{caption}]({name})", ""]

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def write(self, header: str) -> Path:
        n_fail = len(self.failed)
        lines = [
            "# splinekit validation report",
            "",
            header,
            "",
            f"{len(self.checks)} checks, {n_fail} failed.",
            "",
        ]
        missed = self.goals_not_met
        if self.goals:
            lines += [
                f"{len(self.goals)} goals, {len(missed)} not met (not counted as failed).",
                "",
            ]
            lines += [
                f"- **GOAL NOT MET**: {g.study}: {g.claim}: measured "
                f"{_fmt(g.measured)}, goal {_fmt(g.target)}"
                for g in missed
            ]
            lines += [""] if missed else []
        lines += self._md
        if self._echo and missed:
            print(f"{len(missed)} of {len(self.goals)} goals not met (not counted as failed):")
            for g in missed:
                print("  " + g.line(), flush=True)
        path = self.out_dir / "report.md"
        path.write_text("\n".join(lines) + "\n")
        return path


def progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
