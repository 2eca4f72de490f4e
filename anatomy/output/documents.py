"""The one JSON document per answer, for machines: stable keys (case-format.md), the same
bytes on every run, and the same document from the CLI (``--json``) and the API.

``classification_document`` and ``plan_document`` are the answers; ``classification_dict``
and ``plan_dict`` their main parts. Keys may be added, never removed. The part other tools
rely on (case-format.md): ``classification.michels``, ``hiatt``, ``findings[].vessel`` and
``code``; ``plan.tumors[]`` with ``id`` and ``targets[]``, each naming its ``vessel`` and
its ``path`` (vessel ids from the root).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import orjson

from anatomy.case import Case
from anatomy.classification.classify import Classification
from anatomy.classification.completeness import usual_feeders_for
from anatomy.output.wording import reasons, summary_text
from anatomy.planning.feeders import Feeder
from anatomy.planning.plan import Alternative, Cost, Plan, Target, TumorPlan
from anatomy.planning.positions import NonTarget, Position, access_steps
from anatomy.planning.warnings import PlanWarning
from anatomy.reference.access import access_site
from anatomy.reference.collaterals import Collateral
from anatomy.reference.datafiles import data_version, tool_version
from anatomy.segments import segment_names, segment_tuple

__all__ = [
    "case_head",
    "classification_dict",
    "classification_document",
    "dumps",
    "plan_dict",
    "plan_document",
    "position_dict",
    "versions",
]


def versions() -> dict[str, str]:
    """The tool and pattern-data versions every result carries."""
    return {"tool_version": tool_version(), "data_version": data_version()}


_DUMPS_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def dumps(document: Any) -> str:
    """Deterministic JSON text: keys sorted, two-space indent, UTF-8 as it is.

    orjson writes it (a plan of 100,000 vessels in a tenth of the time of the standard
    library's indenting encoder, which runs in Python)."""
    return orjson.dumps(document, option=_DUMPS_OPTIONS).decode()


@cache
def _usual_feeders(segment: str) -> tuple[dict[str, Any], ...]:
    """Where a segment's feeder usually is, as JSON objects (copied into each answer)."""
    return tuple(
        {"where": f.where, "study": f.study, "percent": f.percent, "source": f.source}
        for f in usual_feeders_for(segment)
    )


def case_head(case: Case) -> dict[str, Any]:
    """The case in brief: its id, title and how many vessels and tumors it has."""
    return {
        "id": case.id,
        "title": case.title,
        "vessels": len(case.vessels),
        "tumors": len(case.tumors),
    }


def classification_document(case: Case, result: Classification) -> dict[str, Any]:
    """The classification answer: versions, the case in brief, the classification and the
    ten-second summary people read."""
    return {
        **versions(),
        "case": case_head(case),
        "classification": classification_dict(result),
        "summary": summary_text(result),
    }


def classification_dict(result: Classification) -> dict[str, Any]:
    """The classification as the JSON object other tools rely on."""
    note = result.anatomy
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
                "kind": note.tree.vessel[a.vessel].kind,
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
        "provisional": result.provisional,
        "completeness": {
            "missing_runs": list(result.completeness.missing_runs),
            "provisional": result.provisional,
            "cannot_exclude": [
                {
                    "type": t.type,
                    "because": t.because,
                    "runs": list(t.runs),
                    "could_show": list(t.could_show),
                }
                for t in result.completeness.open_types
            ],
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
        "reasons": list(reasons(result)),
    }


# -- the plan ------------------------------------------------------------------------------


def plan_document(case: Case, result: Classification, plan: Plan) -> dict[str, Any]:
    """The plan answer: versions, the case in brief, the classification in brief, the plan."""
    return {
        **versions(),
        "case": case_head(case),
        "classification": {
            "michels": result.michels,
            "michels_subtype": result.michels_subtype,
            "hiatt": result.hiatt,
            "outcome": result.outcome,
        },
        "plan": plan_dict(plan),
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    """The plan as the JSON object other tools rely on."""
    # Each position is written once: the tumors' targets are copies of the plan's, and the
    # alternatives share the plan's tip descriptions (planning/plan.py makes each once).
    tips: dict[int, dict[str, Any]] = {}
    targets = {t.number: _target(t, tips) for t in plan.positions}
    return {
        "access": {
            "site": plan.access,
            "label": access_site(plan.access).label,
            "path": [step.kind for step in access_site(plan.access).route],
            "route": [s.name for s in access_steps(plan.access)],
        },
        "tumors": [_tumor(plan, t, targets) for t in plan.tumors],
        "positions": list(targets.values()),
        "cost": _cost(plan.cost),
        "alternatives": [_alternative(a, tips) for a in plan.alternatives],
        "warnings": [_warning(w) for w in plan.warnings],
    }


def _tumor(plan: Plan, item: TumorPlan, targets: dict[int, dict[str, Any]]) -> dict[str, Any]:
    tumor = item.tumor
    return {
        "id": tumor.id,
        "segments": segment_names(tumor.segments),
        "diameter_mm": tumor.diameter_mm,
        "label": tumor.label,
        "location": sorted(tumor.location),
        "feeders": [_feeder(plan, f) for f in item.feeders],
        "unsupplied_segments": segment_names(item.unsupplied),
        "targets": [dict(targets[n]) for n in item.targets],
        "warnings": [_warning(w) for w in item.warnings],
    }


def _feeder(plan: Plan, feeder: Feeder) -> dict[str, Any]:
    # A large tree's tumor has thousands of feeders: shared tuples, no new list per field.
    return {
        "vessel": feeder.vessel,
        "segments": segment_tuple(feeder.segments),
        "observed": feeder.observed,
        "assumed_segments": segment_tuple(feeder.assumed),
        "source": feeder.source,
        "reachable": feeder.reachable,
        "chain_top": feeder.chain_top,
        "way_in": feeder.way_in,
    }


def _target(target: Target, tips: dict[int, dict[str, Any]]) -> dict[str, Any]:
    return {
        "number": target.number,
        **_position(target.position, tips),
        "tumors": list(target.tumors),
        "feeders": list(target.feeders),
        "advice": [a.id for a in target.advice],
    }


def position_dict(tip: Position) -> dict[str, Any]:
    """One catheter position."""
    return {
        "vessel": tip.vessel,
        "name": tip.name,
        "kind": tip.kind,
        "level": tip.level,
        "path": list(tip.path),
        "route": [
            {"name": s.name, "kind": s.kind, "vessel": s.vessel, "implied": s.implied}
            for s in tip.route
        ],
        "route_text": tip.route_text,
        "segments": segment_names(tip.segments),
        "non_tumor_segments": segment_names(tip.non_tumor_segments),
        "downstream": [_non_target(b) for b in tip.downstream],
        "tip_non_target": _non_target(tip.tip_non_target) if tip.tip_non_target else None,
        "branch_points": list(tip.branch_points),
        "narrowest": (
            {"vessel": tip.narrowest[0], "diameter_mm": tip.narrowest[1]} if tip.narrowest else None
        ),
        "artery": tip.artery,
        "assumed": tip.assumed,
    }


def _non_target(branch: NonTarget) -> dict[str, Any]:
    return {
        "vessel": branch.vessel,
        "kind": branch.kind,
        "name": branch.name,
        "organ_at_risk": branch.organ_at_risk,
        "advice": branch.advice,
        "protection": [{"id": m.id, "label": m.label} for m in branch.protection],
    }


def _cost(cost: Cost) -> dict[str, int]:
    return {
        "non_target_branches": cost.non_target,
        "bilobar_injections": cost.bilobar,
        "non_tumor_segments": cost.non_tumor_segments,
        "positions": cost.positions,
    }


def _position(tip: Position, tips: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """``position_dict``, made once per position object of one plan (a copy each time)."""
    made = tips.get(id(tip))
    if made is None:
        made = tips[id(tip)] = position_dict(tip)
    return dict(made)


def _alternative(item: Alternative, tips: dict[int, dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": item.name,
        "description": item.description,
        "cost": _cost(item.cost),
        "positions": [_position(p, tips) for p in item.positions],
        "same_as": item.same_as,
    }


def _collateral(row: Collateral, seen: tuple[str, ...]) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "id": row.id,
        "name": row.name,
        "arises_from": row.arises_from,
        "study": row.study,
        "segments": segment_names(row.segments),
        "locations": sorted(row.locations),
        "evidence": row.evidence,
        "certainty": row.certainty,
        "sources": list(row.sources),
        "seen": list(seen),
        "ranked_by": None
        if row.ranked_by is None
        else {
            "site": row.ranked_by.site,
            "locations": sorted(row.ranked_by.locations),
            "segments": segment_names(row.ranked_by.segments),
            "certainty": row.ranked_by.certainty,
            "sources": list(row.ranked_by.sources),
        },
    }


def _warning(item: PlanWarning) -> dict[str, Any]:
    return {
        "code": item.code,
        "message": item.message,
        "tumor": item.tumor,
        "vessel": item.vessel,
        "segments": list(item.segments),
        "advice": item.advice,
        "run": item.run,
        "position": item.position,
        "sources": list(item.sources),
        "collaterals": [_collateral(c.collateral, c.seen) for c in item.collaterals],
        "usual_feeders": [
            {"where": u.where, "study": u.study, "percent": u.percent, "source": u.source}
            for u in item.usual_feeders
        ],
    }
