"""The plan as JSON for machines: stable keys, sorted, byte-identical on reruns.

The part other tools rely on (case-format.md): ``plan.tumors[]`` with ``id`` and
``targets[]``, each naming its ``vessel`` and its ``path`` (vessel ids from the root).
The other keys are the ones ``plan_dict`` below writes; new keys may be added, none removed.
"""

from __future__ import annotations

from typing import Any

from anatomy.output.documents import versions
from anatomy.planning.feeders import Feeder
from anatomy.planning.plan import Alternative, Cost, Plan, Target, TumorPlan
from anatomy.planning.positions import ACCESS, NonTarget, Position, access_steps, chain
from anatomy.planning.warnings import PlanWarning
from anatomy.reference.collaterals import Collateral
from anatomy.segments import segment_names

__all__ = ["plan_dict", "plan_document"]


def plan_document(plan: Plan, **head: Any) -> dict[str, Any]:
    """The whole JSON document: versions, any ``head`` keys (``case``, ``classification``)
    and ``plan``."""
    return {**versions(), **head, "plan": plan_dict(plan)}


def plan_dict(plan: Plan) -> dict[str, Any]:
    """The plan as the JSON object other tools rely on."""
    return {
        "access": {
            "site": plan.access,
            "path": list(ACCESS[plan.access]),
            "route": [s.name for s in access_steps(plan.access)],
        },
        "tumors": [_tumor(plan, t) for t in plan.tumors],
        "positions": [_target(t) for t in plan.positions],
        "cost": _cost(plan.cost),
        "alternatives": [_alternative(a) for a in plan.alternatives],
        "warnings": [_warning(w) for w in plan.warnings],
    }


def _tumor(plan: Plan, item: TumorPlan) -> dict[str, Any]:
    tumor = item.tumor
    by_number = {t.number: t for t in plan.positions}
    return {
        "id": tumor.id,
        "segments": segment_names(tumor.segments),
        "diameter_mm": tumor.diameter_mm,
        "label": tumor.label,
        "feeders": [_feeder(plan, f) for f in item.feeders],
        "unsupplied_segments": segment_names(item.unsupplied),
        "targets": [_target(by_number[n]) for n in item.targets],
        "warnings": [_warning(w) for w in item.warnings],
    }


def _feeder(plan: Plan, feeder: Feeder) -> dict[str, Any]:
    return {
        "vessel": feeder.vessel,
        "segments": segment_names(feeder.segments),
        "observed": feeder.observed,
        "assumed_segments": segment_names(feeder.assumed),
        "source": feeder.source,
        "reachable": feeder.reachable,
        "positions": chain(plan.routes, feeder.vessel, feeder.at) if feeder.reachable else [],
    }


def _target(target: Target) -> dict[str, Any]:
    return {
        "number": target.number,
        **position_dict(target.position),
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
    }


def _cost(cost: Cost) -> dict[str, int]:
    return {
        "non_target_branches": cost.non_target_branches,
        "non_tumor_segments": cost.non_tumor_segments,
        "positions": cost.positions,
    }


def _alternative(item: Alternative) -> dict[str, Any]:
    return {
        "name": item.name,
        "description": item.description,
        "cost": _cost(item.cost),
        "positions": [position_dict(p) for p in item.positions],
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
    }


def _warning(item: PlanWarning) -> dict[str, Any]:
    return {
        "code": item.code,
        "message": item.message,
        "tumor": item.tumor,
        "vessel": item.vessel,
        "segments": list(item.segments),
        "advice": item.advice,
        "sources": list(item.sources),
        "collaterals": [_collateral(c.collateral, c.seen) for c in item.collaterals],
        "usual_feeders": [
            {"where": u.where, "study": u.study, "percent": u.percent, "source": u.source}
            for u in item.usual_feeders
        ],
    }
