"""Synthetic arterial trees of any size, for benchmarks and the 200-vessel diagram.

A Michels III skeleton (celiac, CHA, PHA, LHA; replaced RHA from the SMA) with a random
tree of unnamed branches below each hepatic artery; leaves supply segments of their side.
Deterministic for a given size and seed. Depth grows with size, so deep chains exercise
the iterative walks.
"""

from __future__ import annotations

import random
from typing import Any

SKELETON: list[dict[str, Any]] = [
    {"id": "ao", "kind": "aorta"},
    {"id": "ct", "kind": "celiac trunk", "parent": "ao"},
    {"id": "lga", "kind": "LGA", "parent": "ct"},
    {"id": "spl", "kind": "splenic", "parent": "ct"},
    {"id": "cha", "kind": "CHA", "parent": "ct"},
    {"id": "gda", "kind": "GDA", "parent": "cha"},
    {"id": "pha", "kind": "PHA", "parent": "cha"},
    {"id": "rga", "kind": "right gastric", "parent": "pha"},
    {"id": "lha", "kind": "LHA", "parent": "pha"},
    {"id": "sma", "kind": "SMA", "parent": "ao"},
    {"id": "rrha", "kind": "replaced RHA", "parent": "sma"},
    {"id": "cys", "kind": "cystic", "parent": "rrha"},
]
SIDES = {"lha": ["II", "III", "IVa", "IVb"], "rrha": ["V", "VI", "VII", "VIII"]}


def synthetic_case(vessels: int, seed: int = 1, tumors: bool = False) -> dict[str, Any]:
    """A valid case with exactly ``vessels`` vessels (at least the skeleton's 12)."""
    rng = random.Random(seed)
    out = [dict(v) for v in SKELETON]
    open_ends: dict[str, list[str]] = {"lha": ["lha"], "rrha": ["rrha"]}
    n = 0
    while len(out) < vessels:
        side = "lha" if n % 3 == 0 else "rrha"
        ends = open_ends[side]
        parent = ends[rng.randrange(len(ends))] if rng.random() < 0.7 else ends[-1]
        vid = f"b{n}"
        out.append({"id": vid, "parent": parent})
        ends.append(vid)
        n += 1
    has_child = {v.get("parent") for v in out}
    for item in out[len(SKELETON) :]:
        if item["id"] not in has_child:
            side = "lha" if int(item["id"][1:]) % 3 == 0 else "rrha"
            item["supplies"] = [rng.choice(SIDES[side])]
    for side, segments in SIDES.items():  # every segment of the side reached at least once
        leaf = next(
            (v for v in reversed(out) if v.get("supplies") and v["supplies"][0] in segments), None
        )
        if leaf is not None:
            leaf["supplies"] = sorted(set(leaf["supplies"]) | set(segments))
        else:
            next(v for v in out if v["id"] == side)["supplies"] = segments
    case: dict[str, Any] = {
        "format": "hepatic-case/1",
        "id": f"synthetic-{vessels}",
        "title": f"Synthetic Michels III tree, {vessels} vessels",
        "vessels": out,
    }
    if tumors:
        case["tumors"] = [
            {"id": f"t{s.lower()}", "segments": [s], "diameter_mm": 30}
            for s in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
        ]
    return case


def star(children: int) -> dict[str, Any]:
    """aorta → celiac → CHA → PHA, then ``children`` unnamed branches of the PHA: the
    widest tree to draw (issue 16's renderer limits)."""
    vessels: list[dict[str, Any]] = [
        {"id": "ao", "kind": "aorta"},
        {"id": "ct", "kind": "celiac trunk", "parent": "ao"},
        {"id": "cha", "kind": "CHA", "parent": "ct"},
        {"id": "pha", "kind": "PHA", "parent": "cha"},
    ]
    vessels += [{"id": f"v{i}", "parent": "pha"} for i in range(children)]
    return {"format": "hepatic-case/1", "id": "star", "vessels": vessels}
