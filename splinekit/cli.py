"""The ``splinekit`` command: ``splinekit validate [--quick] [--out DIR]`` and ``splinekit bench``.

Studies live in ``validation/study_*.py`` and benchmarks in ``benchmarks/bench_*.py`` of the
source tree (found next to the package, or given with ``--dir``); each is discovered by name, so
adding a study or a benchmark needs no change here.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
import time
from pathlib import Path

from . import _report

__all__ = ["main"]


def _tree_dir(name: str, given: str | None) -> Path:
    if given:
        return Path(given)
    here = Path(__file__).resolve().parent.parent / name
    if here.is_dir():
        return here
    cwd = Path.cwd() / name
    if cwd.is_dir():
        return cwd
    raise SystemExit(
        f"splinekit: cannot find the {name}/ folder (looked next to the package and in the "
        f"current directory); run from a source checkout or pass --dir"
    )


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"_splinekit_{path.stem}", path)
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.path.pop(0)
    return mod


def _select(paths, only):
    if not only:
        return paths
    return [p for p in paths if any(o in p.stem for o in only)]


def validate(args) -> int:
    vdir = _tree_dir("validation", args.dir)
    studies = _select(sorted(vdir.glob("study_*.py")), args.only)
    if not studies:
        print(f"splinekit: no validation studies found in {vdir}", file=sys.stderr)
        return 2
    report = _report.Report(Path(args.out))
    t_all = time.perf_counter()
    for i, path in enumerate(studies, 1):
        mod = _load(path)
        title = getattr(mod, "TITLE", path.stem)
        _report.progress(f"[{i}/{len(studies)}] {title} ...")
        report.start_study(path.stem.removeprefix("study_"), title)
        t0 = time.perf_counter()
        try:
            mod.run(report, quick=args.quick)
        except Exception as exc:  # a crashing study is a failed check, not a crashed command
            report.check(
                f"study ran without error ({type(exc).__name__}: {exc})", 1, 0, passed=False
            )
        _report.progress(f"[{i}/{len(studies)}] {title}: {time.perf_counter() - t0:.1f} s")
    header = (
        f"mode: {'quick' if args.quick else 'full'}; python {platform.python_version()}; "
        f"{platform.machine()}; total {time.perf_counter() - t_all:.1f} s"
    )
    path = report.write(header)
    n_fail = len(report.failed)
    print(f"{len(report.checks)} checks, {n_fail} failed; report: {path}")
    return 1 if n_fail else 0


def bench(args) -> int:
    bdir = _tree_dir("benchmarks", args.dir)
    runner = _load(bdir / "run.py")
    return runner.main(quick=args.quick, only=args.only)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="splinekit", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("validate", help="run the validation studies and write a report")
    v.add_argument("--quick", action="store_true", help="smaller sizes (a few minutes)")
    v.add_argument("--out", default="validation_report", help="report folder")
    v.add_argument("--dir", default=None, help="folder of study_*.py files")
    v.add_argument("--only", nargs="*", default=None, help="run studies whose name contains this")
    b = sub.add_parser("bench", help="run the benchmarks and print the ratio table")
    b.add_argument("--quick", action="store_true", help="smaller sizes")
    b.add_argument("--dir", default=None, help="folder of bench_*.py files")
    b.add_argument(
        "--only", nargs="*", default=None, help="run benchmarks whose name contains this"
    )
    args = p.parse_args(argv)
    return validate(args) if args.cmd == "validate" else bench(args)


if __name__ == "__main__":
    raise SystemExit(main())
