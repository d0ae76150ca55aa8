"""Run every ``bench_*.py`` here and print one table: splinekit vs the peer, with ratios.

    python benchmarks/run.py [--quick]        (or: splinekit bench)

A benchmark module defines ``run(quick) -> list[dict]``; each dict has ``name``, ``splinekit_s``
(seconds), ``peer`` (name), ``peer_s`` (seconds or None), and optionally ``target`` (the ratio
or figure the issue asks for, as text) and ``extra`` (e.g. points per second).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path):
    spec = importlib.util.spec_from_file_location(f"_bench_{path.stem}", path)
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(HERE))
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.path.pop(0)
    return mod


def main(quick=False, only=None) -> int:
    rows = []
    for path in sorted(HERE.glob("bench_*.py")):
        if only and not any(o in path.stem for o in only):
            continue
        print(f"running {path.stem} ...", file=sys.stderr, flush=True)
        rows += _load(path).run(quick)
    head = (
        f"{'benchmark':58s} {'splinekit':>11s} {'peer':>16s} {'peer time':>11s} {'ratio':>8s}"
        "  target / note"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        ps = r.get("peer_s")
        ratio = f"{ps / r['splinekit_s']:.1f}x" if ps else "-"
        pst = f"{ps * 1e3:9.2f}ms" if ps else "-"
        note = " ".join(x for x in (r.get("target", ""), r.get("extra", "")) if x)
        print(
            f"{r['name']:58s} {r['splinekit_s'] * 1e3:9.2f}ms {r.get('peer', ''):>16s} "
            f"{pst:>11s} {ratio:>8s}  {note}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(
        main(quick="--quick" in sys.argv, only=[a for a in sys.argv[1:] if not a.startswith("-")])
    )
