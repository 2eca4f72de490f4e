"""The access side: right or left femoral, left or right radial, written into a plan.

The planner (``anatomy.plan``) knows the access site (femoral or radial) and writes the
right femoral puncture as routes have always begun; which arm or leg is the operator's
choice. This module takes the planner's JSON document and names the side in every
route: ``L femoral > EIA > CIA > Ao > …``, and for the right radial artery the
brachiocephalic trunk that the catheter passes between the right subclavian artery and
the arch (the left subclavian arises from the arch itself). Nothing else in the plan
depends on the side.

Without a side the document is left as the planner wrote it, so existing clients see the
same answer as before.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, MutableMapping
from typing import Any, Literal

from anatomy.positions import ACCESS, Access, access_steps
from anatomy.vocabulary import kind

__all__ = ["DEFAULT_SIDE", "Side", "access_label", "access_route", "sided_plan"]

Side = Literal["right", "left"]
# The planner's own routes begin at the right femoral artery; a radial route names no side.
DEFAULT_SIDE: dict[str, Side | None] = {"femoral": "right", "radial": None}
_PUNCTURE = {"common_femoral": "femoral", "radial": "radial"}
_SIDED = frozenset({"common_femoral", "radial", "subclavian"})
_BRACHIOCEPHALIC = "brachiocephalic_trunk"


def access_label(access: Access, side: Side | None) -> str:
    """How a sentence names the access: ``left radial artery``, ``right common femoral artery``."""
    label = kind(ACCESS[access][0]).label
    return f"{side} {label}" if side else label


def access_route(access: Access, side: Side | None) -> list[dict[str, Any]]:
    """The access part of a route as the plan's ``route`` steps, from the puncture to the
    aorta, with the side named where it matters."""
    out: list[dict[str, Any]] = []
    for step in access_steps(access):
        name = step.name
        if side and step.kind in _SIDED:
            base = _PUNCTURE.get(step.kind, name)
            name = f"{side[0].upper()} {base}"
        out.append({"name": name, "kind": step.kind, "vessel": None, "implied": False})
        if side == "right" and step.kind == "subclavian":
            trunk = kind(_BRACHIOCEPHALIC)
            out.append(
                {"name": trunk.abbreviation, "kind": trunk.name, "vessel": None, "implied": False}
            )
    return out


def sided_plan(plan: MutableMapping[str, Any], side: Side | None) -> dict[str, Any]:
    """A copy of a plan document (``anatomy.plan_json.plan_dict``) whose routes name ``side``.

    ``access`` gains ``side`` and ``label``; every catheter position's ``route`` and
    ``route_text`` begin with the sided access. With ``side`` None the plan's own
    default is kept (right femoral; an unsided radial route).
    """
    head = plan.get("access")
    if not isinstance(head, MutableMapping) or head.get("site") not in ACCESS:
        return dict(plan)
    access: Access = "radial" if head["site"] == "radial" else "femoral"
    chosen = side or DEFAULT_SIDE[access]
    if side is None:  # the routes stay as planned: no copy of the positions
        return {**plan, "access": {**head, "side": chosen, "label": access_label(access, chosen)}}
    out = copy.deepcopy(dict(plan))
    steps = access_route(access, side)
    width = len(access_steps(access))
    planned = list(ACCESS[access])
    for position in _positions(out):
        route = position.get("route")
        if not isinstance(route, list) or len(route) < width:
            continue
        lead = route[:width]
        if [s.get("kind") for s in lead] != planned or any(s.get("vessel") for s in lead):
            continue  # a tree rooted in the access path: no access steps to name
        position["route"] = [*copy.deepcopy(steps), *route[width:]]
        position["route_text"] = " > ".join(str(s["name"]) for s in position["route"])
    out["access"] = {
        **head,
        "side": chosen,
        "label": access_label(access, chosen),
        "route": [s["name"] for s in steps],
        "path": [s["kind"] for s in steps],
    }
    return out


def _positions(plan: MutableMapping[str, Any]) -> Iterator[MutableMapping[str, Any]]:
    """Every catheter position of a plan document: per tumor, recommended, alternatives."""
    for tumor in plan.get("tumors") or ():
        yield from tumor.get("targets") or ()
    yield from plan.get("positions") or ()
    for alternative in plan.get("alternatives") or ():
        yield from alternative.get("positions") or ()
