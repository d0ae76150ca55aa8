"""Stored rational presets (``rational.json``), made by ``validation/make_rational_presets.py``.

Each record holds the coefficients fitted with :func:`splinekit.bases.fit_rational` under
splinekit's own definition of the ``kind``, the interval, the measured max and RMS errors on a
dense grid, the gain ``E[F(x)^2]`` (two quadratures) and the provenance (generator, versions,
date, commit).
"""

from __future__ import annotations

import functools
import json
from importlib import resources

__all__ = ["ALIASES", "lookup", "records"]

ALIASES = {"swish": "silu"}


@functools.lru_cache(maxsize=1)
def records():
    """All stored records (the parsed ``rational.json``)."""
    text = resources.files(__name__).joinpath("rational.json").read_text()
    return json.loads(text)


def lookup(name, m, n, kind):
    """The record of preset ``name`` for degrees ``(m, n)`` and ``kind``; clear error if absent."""
    data = records()
    key_name = ALIASES.get(name, name)
    for rec in data["presets"]:
        if (rec["name"], rec["m"], rec["n"], rec["kind"]) == (key_name, m, n, kind):
            return rec
    have = sorted({(r["name"], r["m"], r["n"], r["kind"]) for r in data["presets"]})
    names = sorted({h[0] for h in have} | set(ALIASES))
    combos = sorted({(h[1], h[2], h[3]) for h in have})
    raise ValueError(
        f"no rational preset {name!r} with m={m}, n={n}, kind={kind!r}; names: {names}; "
        f"(m, n, kind) stored: {combos} (fit others with splinekit.bases.fit_rational)"
    )
