"""Catheter positions: what a tip at one vessel means for the operator.

``position`` describes a tip: its route from the access artery through the aorta, vessel
by vessel, named as the classifier reads them (a "LHA" that feeds V–VIII is a right hepatic
artery); its level (whole liver, lobar, sectoral, segmental, subsegmental by the territory
it treats; *extrahepatic* in a phrenic, intercostal, omental or other collateral); the
segments it treats and which hold no tumor; the non-target branches downstream with their
organ at risk and how to protect them; the branch points passed and the narrowest vessel on
the way. Where a tip may sit at all is the route map's (routes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from anatomy.planning.routes import RouteMap, children
from anatomy.reference.access import access_site
from anatomy.reference.non_target import Method, protection
from anatomy.reference.route_advice import RouteAdvice
from anatomy.reference.vocabulary import kind, with_role
from anatomy.segments import LEFT, RIGHT, SEGMENT_IV, Segment, mask_of, segment_names

__all__ = [
    "Access",
    "NonTarget",
    "Position",
    "RouteStep",
    "Target",
    "access_steps",
    "level_of",
    "position",
    "short_name",
]

Access = str  # an access site id or alias of data/access.yaml ("femoral", "right-radial" …)


@dataclass(frozen=True, slots=True)
class RouteStep:
    """One vessel on the catheter's way: shown name, kind, case vessel id (None: access)."""

    name: str
    kind: str | None
    vessel: str | None
    implied: bool = False  # not in the case, assumed on the way (the aorta of a partial study)


@dataclass(frozen=True, slots=True)
class NonTarget:
    """A non-target vessel downstream of a tip: what embolizing it injures, what to do."""

    vessel: str
    kind: str
    name: str
    organ_at_risk: str | None
    advice: str | None  # advance_beyond | protect
    protection: tuple[Method, ...] = ()  # the ways to protect it, in the order to try them


@dataclass(frozen=True, slots=True)
class Position:
    """A catheter tip position and everything the operator needs to know about it."""

    vessel: str
    name: str
    kind: str | None
    level: str
    path: tuple[str, ...]  # case vessel ids, root .. vessel
    route: tuple[RouteStep, ...]  # access artery .. vessel
    segments: frozenset[Segment]
    non_tumor_segments: frozenset[Segment]
    downstream: tuple[NonTarget, ...]
    tip_non_target: NonTarget | None
    branch_points: tuple[str, ...]
    narrowest: tuple[str, float] | None
    artery: str | None
    assumed: bool
    at: int = -1  # the tip's pre-order position in the tree

    @property
    def route_text(self) -> str:
        return " > ".join(step.name for step in self.route)


@cache
def access_steps(access: Access) -> tuple[RouteStep, ...]:
    """The access part of every route, from the puncture to the aorta (exclusive)."""
    return tuple(RouteStep(step.shown, step.kind, None) for step in access_site(access).route)


@cache
def _implied_aorta() -> RouteStep:
    """The aorta, on the route of a study that does not show it (a partial study)."""
    (name,) = sorted(with_role("complete_study_root"))
    return RouteStep(kind(name).abbreviation, name, None, implied=True)


def _plain(label: str) -> str:
    return label[: -len(" artery")] if label.endswith(" artery") else label


def short_name(routes: RouteMap, node: str) -> str:
    """A vessel as a route shows it: ``rRHA``, ``LHA``, ``cystic``; an unnamed one by id."""
    name = routes.note.effective(node)
    if name is None:
        return node
    entry = kind(name)
    base = entry.abbreviations[0] if entry.abbreviations else _plain(entry.label)
    artery = routes.artery.get(node)
    if artery is not None and artery.status != "normal" and entry.status_words:
        base = ("r" if artery.status == "replaced" else "a") + base
    return base


def _non_target(routes: RouteMap, node: str) -> NonTarget | None:
    name = routes.note.tree.vessel[node].kind
    if name is None:
        return None
    entry = kind(name)
    if not entry.non_target:
        return None
    return NonTarget(
        node,
        name,
        short_name(routes, node),
        entry.organ_at_risk,
        entry.advice or "protect",
        protection(name),
    )


def _downstream(routes: RouteMap, at: int) -> tuple[NonTarget, ...]:
    """Non-target vessels below the tip, in pre-order; subtrees without any are skipped
    (a subtree is a run of pre-order positions, so skipping one is a jump)."""
    out = []
    order, below, size = routes.order, routes.below_at, routes.size_at
    i, end = at + 1, at + size[at]
    while i < end:
        if not below[i]:
            i += size[i]
            continue
        found = _non_target(routes, order[i])
        if found is not None:
            out.append(found)
        i += 1
    return tuple(out)


def level_of(
    routes: RouteMap, node: str, segments: frozenset[Segment], at: int | None = None
) -> str:
    """The level of a tip, read from the territory it treats (an accessory LHA that feeds
    only II is segmental, whatever its name); *extrahepatic* in a non-target vessel (a
    phrenic, intercostal or omental collateral, an extrahepatic branch)."""
    name = routes.note.effective(node)
    if name is not None and kind(name).non_target:
        return "extrahepatic"
    level = _territory_level(segments)
    if level == "segmental":
        where = routes.index[node] if at is None else at
        if _part_of_segment(routes, where, segments):
            return "subsegmental"
    return level


def _territory_level(segments: frozenset[Segment]) -> str:
    if segments & RIGHT and segments & (LEFT | SEGMENT_IV):
        return "whole_liver"
    count = len(segment_names(segments))
    if count <= 1:
        return "segmental"
    return "sectoral" if count == 2 else "lobar"


def _part_of_segment(routes: RouteMap, at: int, segments: frozenset[Segment]) -> bool:
    """A one-segment tip whose parent feeds that same segment by another branch too."""
    up = routes.up[at]
    if up < 0 or not routes.extends_at[at] or len(segment_names(segments)) != 1:
        return False
    terr = routes.note.territories
    if terr.reach_bits[up] != terr.reach_bits[at]:
        return False
    wanted = mask_of(segments)
    if terr.own_bits[up] & wanted:
        return True
    return any(terr.reach_bits[c] & wanted for c in children(routes.size_at, up) if c != at)


def position(
    routes: RouteMap,
    node: str,
    access: Access,
    segments: frozenset[Segment],
    tumor_segments: frozenset[Segment],
    at: int | None = None,
    steps: dict[str, RouteStep] | None = None,
) -> Position:
    """Describe a tip at ``node`` (pre-order position ``at`` when the caller has it) that
    treats ``segments`` (territory and observed supply). ``steps`` keeps the route steps
    made, by vessel, for the next tips of the same plan (their routes share most steps)."""
    where = routes.index[node] if at is None else at
    note = routes.note
    path = note.tree.path(node)
    root = note.effective(path[0])
    root_entry = kind(root) if root is not None else None
    route: list[RouteStep] = []
    if root_entry is None or root_entry.group != "access":
        route += access_steps(access)
        if root_entry is None or not root_entry.has("complete_study_root"):
            route.append(_implied_aorta())
    made = {} if steps is None else steps
    for n in path:
        step = made.get(n)
        if step is None:
            step = made[n] = RouteStep(short_name(routes, n), note.effective(n), n)
        route.append(step)
    narrowest: tuple[str, float] | None = None
    for n in path:
        size = note.tree.vessel[n].diameter_mm
        if size is not None and (narrowest is None or size < narrowest[1]):
            narrowest = (n, size)
    artery = note.artery_of.get(node)
    return Position(
        vessel=node,
        name=route[-1].name,
        kind=route[-1].kind,
        level=level_of(routes, node, segments, where),
        path=path,
        route=tuple(route),
        segments=segments,
        non_tumor_segments=segments - tumor_segments,
        downstream=_downstream(routes, where),
        tip_non_target=_non_target(routes, node),
        branch_points=tuple(n for n in path[:-1] if len(routes.kids[n]) > 1),
        narrowest=narrowest,
        artery=artery if artery in routes.artery else None,
        assumed=note.territories.partly_at[where],
        at=where,
    )


@dataclass(frozen=True, slots=True)
class Target:
    """A numbered position of the recommended plan and what it is for."""

    number: int
    position: Position
    tumors: tuple[str, ...]
    feeders: tuple[str, ...]
    advice: tuple[RouteAdvice, ...]
