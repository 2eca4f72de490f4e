"""The route map: where a microcatheter tip may sit, and how far each chain of positions runs.

A feeder's candidate positions are the feeder and its ancestors up to its hepatic artery,
or on up the hepatic axis (CHA/PHA) when the artery arises from it; a collateral feeder's
are the collateral and the branches between. A visceral trunk (celiac, SMA, LGA, splenic)
or the aorta is never a position: an injection there embolizes bowel, stomach or spleen
(the vocabulary's group flags say which groups may hold a tip). ``route_map`` computes, in
one pre-order and one post-order pass, per pre-order position: whether a tip may sit there,
whether the chain continues to the parent, the lobar top of the chain, how many non-target
vessels lie in the subtree, and the subtree's size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from anatomy.classification.annotate import Anatomy, Artery
from anatomy.reference.vocabulary import groups_with

__all__ = ["RouteMap", "chain", "route_map"]


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
    top_at: Sequence[int]  # the most proximal position of the chain (the chain's top)
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
    top = list(range(n))
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
            top[i] = top[j]
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
        top_at=top,
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
    extends, up = routes.extends_at, routes.up
    steps = [i]
    while extends[i]:
        i = up[i]
        steps.append(i)
    return list(map(routes.order.__getitem__, steps))
