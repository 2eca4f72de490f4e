"""Catheter positions: where a microcatheter tip may sit, and what each position means.

A feeder's candidate positions are the feeder and its ancestors up to its hepatic artery,
or on up the hepatic axis (CHA/PHA) when the artery arises from it; a collateral feeder's
are the collateral and the branches between. A visceral trunk (celiac, SMA, LGA, splenic)
or the aorta is never a position: an injection there embolizes bowel, stomach or spleen.
``route_map`` computes, in one pre-order and one post-order pass, which vessels may hold a
tip and how far each chain runs; ``position`` describes one tip: its route from the access
artery, level, segments treated, non-target branches downstream, branch points passed and
the narrowest vessel on the way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from anatomy.classification.annotate import Anatomy, Artery
from anatomy.reference.access import access_site
from anatomy.reference.route_advice import RouteAdvice
from anatomy.reference.vocabulary import groups_with, kind, with_role
from anatomy.segments import LEFT, RIGHT, SEGMENT_IV, Segment, mask_of, segment_names

__all__ = [
    "Access",
    "NonTarget",
    "Position",
    "RouteMap",
    "RouteStep",
    "Target",
    "access_steps",
    "chain",
    "position",
    "route_map",
    "short_name",
]

Access = str  # an access site id or alias of data/access.yaml ("femoral", "right-radial" …)


@dataclass(frozen=True)
class RouteMap:
    """Per vessel, by pre-order position: whether a tip may sit there, and where its
    chain of positions ends.

    ``allowed_at``: a tip may sit there; ``extends_at``: the chain continues to the parent;
    ``lobar_at``: the most proximal position of the chain below the hepatic axis;
    ``below_at``: extrahepatic, collateral and visceral vessels in the subtree, the vessel
    itself included (``non_target_below`` is the same by vessel id, made on first use).
    """

    note: Anatomy
    order: Sequence[str]
    up: Sequence[int]  # the parent's position (-1: the root)
    parent: Mapping[str, str | None]
    kids: Mapping[str, Sequence[str]]
    allowed_at: Sequence[bool]
    extends_at: Sequence[bool]
    lobar_at: Sequence[int]
    below_at: Sequence[int]
    size_at: Sequence[int]  # vessels in the subtree: positions at .. at + size - 1
    artery: Mapping[str, Artery]  # artery vessel id -> Artery

    @cached_property
    def index(self) -> Mapping[str, int]:
        """Vessel id -> pre-order position."""
        return {node: i for i, node in enumerate(self.order)}

    @cached_property
    def non_target_below(self) -> Mapping[str, int]:
        return dict(zip(self.order, self.below_at, strict=True))


def route_map(note: Anatomy) -> RouteMap:
    """Compute the RouteMap of an annotated tree. Linear, iterative."""
    # Order, parents and sorted children come from the annotation's index: one walk each.
    order, up_at = note.tree.preorder, note.tree.up
    parent = note.tree.parent
    groups = note.groups_at
    axis = set(note.axis)
    arteries = {a.vessel: a for a in note.arteries}
    artery_of, collateral = note.artery_of, note.collateral
    n = len(order)
    tip_groups = groups_with("tip")
    allowed = [group is None or group in tip_groups for group in groups]
    extends = [False] * n
    lobar = list(range(n))
    artery_at = note.artery_at
    on_axis = set(note.axis_at)
    for i in range(1, n):  # pre-order: a parent's chain is known first; the root has none
        j = up_at[i]
        if not (allowed[i] and allowed[j]):
            continue
        if (
            # the common case first: a branch inside a hepatic artery's subtree
            (artery_at[j] is not None and i not in on_axis and order[i] not in arteries)
            or _continues(order[i], order[j], axis, arteries, artery_of, collateral)
        ):
            extends[i] = True
            if j not in on_axis:
                lobar[i] = lobar[j]
    size = [1] * n
    for i in range(n - 1, 0, -1):
        size[up_at[i]] += size[i]
    return RouteMap(
        note=note,
        order=order,
        up=up_at,
        parent=parent,
        kids=note.tree.children,
        allowed_at=allowed,
        extends_at=extends,
        lobar_at=lobar,
        below_at=_non_target_below(groups, up_at),
        size_at=size,
        artery=arteries,
    )


def _non_target_below(groups: Sequence[str | None], up: Sequence[int]) -> list[int]:
    """Per position, the non-target vessels in its subtree (itself included).

    Non-target vessels are few: each adds one to itself and its ancestors. Should that
    walk pass the number of vessels (many deep ones), one post-order pass does it instead.
    """
    n = len(up)
    below = [0] * n
    budget = n
    non_target = groups_with("non_target")
    for i in [i for i, group in enumerate(groups) if group in non_target]:
        while i >= 0:
            below[i] += 1
            i = up[i]
            budget -= 1
        if budget < 0:
            below = [int(group in non_target) for group in groups]
            for i in range(n - 1, 0, -1):
                below[up[i]] += below[i]
            break
    return below


def _continues(
    node: str,
    up: str,
    axis: set[str],
    arteries: Mapping[str, Artery],
    artery_of: Mapping[str, str],
    collateral: Mapping[str, str],
) -> bool:
    """Whether a chain of positions through ``node`` may continue to its parent ``up``."""
    if node in axis:
        return up in axis  # the axis top is the last position: above it is a trunk
    artery = arteries.get(node)
    if artery is not None:
        # A normal artery continues up the axis; an aberrant one (or a trunk's own supply,
        # an "implicit" artery) stops at itself, never in the vessel it arises from.
        return up in axis and artery.normal
    if up in axis:
        return True  # the GDA or another branch hanging from the axis
    if up in artery_of:
        return True  # inside a hepatic artery's subtree
    source = collateral.get(node)
    return source is not None and (up == source or collateral.get(up) == source)


def chain(routes: RouteMap, node: str, at: int | None = None) -> list[str]:
    """The candidate positions for a feeder (at pre-order position ``at`` when the caller
    has it): itself, then up to its chain's top."""
    i = routes.index[node] if at is None else at
    out = [node]
    while routes.extends_at[i]:
        i = routes.up[i]
        out.append(routes.order[i])
    return out


# -- one position ------------------------------------------------------------------------


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
        node, name, short_name(routes, node), entry.organ_at_risk, entry.advice or "protect"
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


def _children_at(routes: RouteMap, at: int) -> list[int]:
    """The children of position ``at`` (each child's subtree is skipped whole)."""
    out = []
    i, end = at + 1, at + routes.size_at[at]
    while i < end:
        out.append(i)
        i += routes.size_at[i]
    return out


def _path(routes: RouteMap, node: str) -> tuple[str, ...]:
    out = [node]
    up = routes.parent[node]
    while up is not None:
        out.append(up)
        up = routes.parent[up]
    out.reverse()
    return tuple(out)


def level_of(
    routes: RouteMap, node: str, segments: frozenset[Segment], at: int | None = None
) -> str:
    """The level of a tip: the kind's level, else read from the territory it treats."""
    name = routes.note.effective(node)
    level = kind(name).level if name is not None else None
    if level is None:
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
    return any(terr.reach_bits[c] & wanted for c in _children_at(routes, up) if c != at)


def position(
    routes: RouteMap,
    node: str,
    access: Access,
    segments: frozenset[Segment],
    tumor_segments: frozenset[Segment],
    at: int | None = None,
) -> Position:
    """Describe a tip at ``node`` (pre-order position ``at`` when the caller has it) that
    treats ``segments`` (territory and observed supply)."""
    where = routes.index[node] if at is None else at
    note = routes.note
    path = _path(routes, node)
    root = note.effective(path[0])
    root_entry = kind(root) if root is not None else None
    steps: list[RouteStep] = []
    if root_entry is None or root_entry.group != "access":
        steps += access_steps(access)
        if root_entry is None or not root_entry.has("complete_study_root"):
            steps.append(_implied_aorta())
    steps += [RouteStep(short_name(routes, n), note.effective(n), n) for n in path]
    narrowest: tuple[str, float] | None = None
    for n in path:
        size = note.tree.vessel[n].diameter_mm
        if size is not None and (narrowest is None or size < narrowest[1]):
            narrowest = (n, size)
    artery = note.artery_of.get(node)
    return Position(
        vessel=node,
        name=short_name(routes, node),
        kind=note.effective(node),
        level=level_of(routes, node, segments, where),
        path=path,
        route=tuple(steps),
        segments=segments,
        non_tumor_segments=segments - tumor_segments,
        downstream=_downstream(routes, where),
        tip_non_target=_non_target(routes, node),
        branch_points=tuple(n for n in path[:-1] if len(routes.kids[n]) > 1),
        narrowest=narrowest,
        artery=artery if artery in routes.artery else None,
        assumed=note.territories.partly_at[where],
    )


@dataclass(frozen=True, slots=True)
class Target:
    """A numbered position of the recommended plan and what it is for."""

    number: int
    position: Position
    tumors: tuple[str, ...]
    feeders: tuple[str, ...]
    advice: tuple[RouteAdvice, ...]
