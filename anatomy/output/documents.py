"""JSON for machines: stable keys (case-format.md), sorted, byte-identical on reruns."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from anatomy.classification.classify import Classification, usual_feeders_for
from anatomy.reference.datafiles import data_version, tool_version
from anatomy.segments import segment_names

__all__ = ["classification_dict", "dumps", "versions"]


def versions() -> dict[str, str]:
    """The tool and pattern-data versions every result carries."""
    return {"tool_version": tool_version(), "data_version": data_version()}


def dumps(document: Any) -> str:
    """Deterministic JSON text."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@cache
def _usual_feeders(segment: str) -> tuple[dict[str, Any], ...]:
    """Where a segment's feeder usually is, as JSON objects (copied into each answer)."""
    return tuple(
        {"where": f.where, "study": f.study, "percent": f.percent, "source": f.source}
        for f in usual_feeders_for(segment)
    )


def classification_dict(result: Classification) -> dict[str, Any]:
    """The classification as the JSON object other tools rely on."""
    note = result.annotation
    sig = result.signature

    def side(state: Any) -> dict[str, Any]:
        return {
            "normal": state.normal,
            "replaced_from": sorted(state.replaced_from),
            "accessory_from": sorted(state.accessory_from),
        }

    return {
        "outcome": result.outcome,
        "michels": result.michels,
        "michels_subtype": result.michels_subtype,
        "michels_name": result.pattern.name if result.pattern else None,
        "type_viii_definition": (
            "VIIIa = replaced RHA from SMA + accessory LHA from LGA; VIIIb = replaced LHA "
            "from LGA + accessory RHA from SMA (both reported as VIII)"
            if result.michels == "VIII"
            else None
        ),
        "hiatt": result.hiatt,
        "named_variants": [{"id": p.id, "name": p.name} for p in result.named_variants],
        "nearest": [
            {"michels": d.michels, "distance": d.distance, "differences": list(d.differences)}
            for d in result.nearest
        ],
        "hepatic_trunk": {
            "vessels": list(note.axis),
            "from": sig.hepatic_trunk_from,
            "from_vessel": note.axis_origin,
        },
        "sides": {"right": side(sig.right), "left": side(sig.left)},
        "arteries": [
            {
                "vessel": a.vessel,
                "kind": note.walk.vessel[a.vessel].kind,
                "side": a.side,
                "status": a.status,
                "origin": "hepatic_axis" if a.normal else a.origin_kind,
                "origin_vessel": a.origin,
                "segments": segment_names(a.territory),
                "assumed": a.assumed,
                "implicit": a.implicit,
            }
            for a in note.arteries
        ],
        "findings": [f.as_dict() for f in result.findings],
        "warnings": [
            {"code": w.code, "vessel": w.vessel, "message": w.message} for w in result.warnings
        ],
        "completeness": {
            "cannot_exclude": [{"type": t, "because": why} for t, why in result.cannot_exclude],
            "unsupplied_segments": [
                {
                    "segment": s,
                    "usual_feeders": [dict(f) for f in _usual_feeders(s)],
                }
                for s in result.unsupplied
            ],
            "assumed_territories": [
                {"vessel": n, "segments": segment_names(note.territories.assumed[n])}
                for n in sorted(note.territories.assumed)
            ],
        },
        "reasons": list(result.reasons),
    }
