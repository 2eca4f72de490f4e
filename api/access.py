"""Access sites (right or left femoral, left or right radial), written into a plan's routes.

The sites and their ways in are data (``data/access.yaml``: ``femoral``, ``left-femoral``,
``radial`` = the left radial artery, ``right-radial`` through the brachiocephalic trunk;
aliases ``right-femoral`` and ``left-radial``). The planner (``anatomy.plan``) knows only
femoral or radial and writes the right femoral and an unsided radial way in; this module
takes the planner's JSON document and begins every route at the chosen site instead, so
``access`` reads ``L radial > brachial > axillary > L SCA > arch > DTA > Ao > …``. Nothing
else in a plan depends on the side.

It lives in the API only while the domain library is being reorganized, whose own access
module reads the same data file; then this module gives way to that one.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from anatomy.datafiles import load_yaml, validated
from anatomy.errors import ReferenceDataError
from anatomy.positions import ACCESS, Access
from anatomy.vocabulary import kind

__all__ = ["AccessSite", "access_ids", "access_site", "sited_plan"]


@dataclass(frozen=True, slots=True)
class AccessSite:
    """A puncture site and the way from it to the abdominal aorta (vocabulary kinds)."""

    id: str
    label: str
    route: tuple[tuple[str, str], ...]  # (kind, shown)
    planner: Access  # the planner's own site: femoral or radial


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _StepIn(_Strict):
    kind: str
    shown: str


class _SiteIn(_Strict):
    id: str
    aliases: list[str]
    label: str
    route: list[_StepIn]
    sources: list[str]


class _FileIn(_Strict):
    format: Literal["hepatic-access/1"]
    sites: list[_SiteIn]


@cache
def _sites() -> dict[str, AccessSite]:
    parsed = validated(_FileIn, load_yaml("access.yaml"), "access.yaml")
    out: dict[str, AccessSite] = {}
    for item in parsed.sites:
        planner = next((p for p, kinds in ACCESS.items() if item.route[0].kind == kinds[0]), None)
        if planner is None:
            raise ReferenceDataError(
                f"access.yaml, site '{item.id}': no planner route starts there"
            )
        for step in item.route:
            try:
                kind(step.kind)
            except KeyError:
                raise ReferenceDataError(
                    f"access.yaml, site '{item.id}': '{step.kind}' is not a vocabulary kind"
                ) from None
        route = tuple((s.kind, s.shown) for s in item.route)
        site = AccessSite(
            item.id, item.label, route, "radial" if planner == "radial" else "femoral"
        )
        for name in (item.id, *item.aliases):
            if name in out:
                raise ReferenceDataError(f"access.yaml: the id '{name}' names two sites")
            out[name] = site
    return out


def access_ids() -> tuple[str, ...]:
    """Every id a caller may give (sites and aliases), in the file's order."""
    return tuple(_sites())


def access_site(name: str) -> AccessSite:
    """The site with this id or alias; ``KeyError`` when there is none."""
    return _sites()[name]


def sited_plan(plan: MutableMapping[str, Any], site: AccessSite) -> dict[str, Any]:
    """A copy of a plan document (``anatomy.plan_json.plan_dict``) whose routes begin at
    ``site``: ``access`` names the site, and every catheter position's ``route`` and
    ``route_text`` start with its way in."""
    out = copy.deepcopy(dict(plan))
    head = out.get("access")
    if not isinstance(head, MutableMapping):
        return out
    steps = [
        {"name": shown, "kind": k, "vessel": None, "implied": False} for k, shown in site.route
    ]
    planned = list(ACCESS[site.planner])
    width = len(planned)
    for position in _positions(out):
        route = position.get("route")
        if not isinstance(route, list) or len(route) < width:
            continue
        lead = route[:width]
        if [s.get("kind") for s in lead] != planned or any(s.get("vessel") for s in lead):
            continue  # a tree rooted in the access path: no way in to rename
        position["route"] = [*copy.deepcopy(steps), *route[width:]]
        position["route_text"] = " > ".join(str(s["name"]) for s in position["route"])
    out["access"] = {
        **head,
        "site": site.id,
        "label": site.label,
        "path": [k for k, _ in site.route],
        "route": [shown for _, shown in site.route],
    }
    return out


def _positions(plan: MutableMapping[str, Any]) -> Iterator[MutableMapping[str, Any]]:
    """Every catheter position of a plan document: per tumor, recommended, alternatives."""
    for tumor in plan.get("tumors") or ():
        yield from tumor.get("targets") or ()
    yield from plan.get("positions") or ()
    for alternative in plan.get("alternatives") or ():
        yield from alternative.get("positions") or ()
