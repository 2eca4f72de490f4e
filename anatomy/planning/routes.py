"""The route map: where a microcatheter tip may sit, and how far each chain of positions runs.

A feeder's candidate positions are the feeder and its ancestors up to its hepatic artery,
or on up the hepatic axis (CHA/PHA) when the artery arises from it; a collateral feeder's
are the collateral and the branches between. A visceral trunk (celiac, SMA, LGA, splenic)
or the aorta is never a position: an injection there embolizes bowel, stomach or spleen
(the vocabulary's group flags say which groups may hold a tip). ``route_map`` computes,
per pre-order position: whether a tip may sit there, whether the chain continues to the
parent, the chain's top and lobar top, and how many non-target vessels lie in the subtree.
It looks one by one only at the vessels outside the common case (an unnamed branch inside
a hepatic artery), and fills the tops a run of positions at a time: linear, and for most
trees well below one Python step per vessel.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import compress, repeat
from operator import is_

from anatomy.classification.annotate import Anatomy, Artery
from anatomy.reference.vocabulary import groups_with

__all__ = ["RouteMap", "chain", "children", "nearest_heads", "route_map"]


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
    heads: Sequence[int]  # the chains' heads (positions whose chain stops), in pre-order
    artery: Mapping[str, Artery]  # artery vessel id -> Artery

    @cached_property
    def index(self) -> Mapping[str, int]:
        """Vessel id -> pre-order position."""
        return {node: i for i, node in enumerate(self.order)}

    @cached_property
    def non_target_below(self) -> Mapping[str, int]:
        return dict(zip(self.order, self.below_at, strict=True))


def route_map(note: Anatomy) -> RouteMap:
    """Compute the RouteMap of an annotated tree. Linear, iterative.

    Most vessels are unnamed branches inside a hepatic artery, whose chain always continues
    to the parent; only the others are looked at one by one: named vessels, the vessels
    outside every artery and their children, the axis and the arteries themselves. A
    chain's top is then its *head*, the nearest vessel at or above whose chain does not
    continue; every head's subtree is a run of pre-order positions, so the tops are filled
    run by run, outer heads first.
    """
    order, up_at = note.tree.preorder, note.tree.up
    groups, named_at = note.groups_at, note.named_at
    axis = set(note.axis)
    arteries = {a.vessel: a for a in note.arteries}
    artery_of, collateral, artery_at = note.artery_of, note.collateral, note.artery_at
    n = len(order)
    size = note.tree.size
    tip_groups = groups_with("tip")
    allowed = [True] * n  # an unnamed vessel may hold a tip
    heads = {0}  # positions whose chain does not continue to the parent
    for i in named_at:  # a name set aside (its territory contradicts it) has no group
        if groups[i] is not None and groups[i] not in tip_groups:
            allowed[i] = False
            heads.add(i)
            heads.update(children(size, i))
    on_axis = set(note.axis_at)
    decide = on_axis | {a.at if a.at >= 0 else order.index(a.vessel) for a in note.arteries}
    for i in compress(range(n), map(is_, artery_at, repeat(None))):  # outside the arteries
        decide.update(children(size, i))
    decide -= heads
    for i in decide:
        if not (
            allowed[up_at[i]]
            and _continues(order[i], order[up_at[i]], axis, arteries, artery_of, collateral)
        ):
            heads.add(i)
    extends = [True] * n
    for i in heads:
        extends[i] = False
    lobar_heads = set(heads)
    for i in on_axis:  # a chain's lobar top is the first position below the axis
        lobar_heads.update(c for c in children(size, i) if extends[c])
    return RouteMap(
        note=note,
        order=order,
        up=up_at,
        parent=note.tree.parent,
        kids=note.tree.children,
        allowed_at=allowed,
        extends_at=extends,
        lobar_at=nearest_heads(lobar_heads, size),
        top_at=nearest_heads(heads, size),
        below_at=_non_target_below(groups, named_at, up_at),
        size_at=size,
        heads=sorted(heads),
        artery=arteries,
    )


def children(size: Sequence[int], at: int) -> Iterator[int]:
    """The children of pre-order position ``at``, given each position's subtree ``size``
    (each child's subtree is skipped whole)."""
    i, end = at + 1, at + size[at]
    while i < end:
        yield i
        i += size[i]


def nearest_heads(heads: Iterable[int], size: Sequence[int]) -> list[int]:
    """Per pre-order position, the nearest of ``heads`` at or above it (the root, 0, must
    be one). A head's subtree is a run of positions, and a run holds its inner heads' runs
    whole: one sweep paints each stretch between head starts with the innermost open head,
    a slice at a time, so the work is the number of heads plus one slice per stretch."""
    n = len(size)
    out = [0] * n
    stack: list[tuple[int, int]] = []  # open heads and where their runs end
    at = 0
    for head in [*sorted(heads), n]:
        while at < head:
            while stack[-1][1] <= at:
                stack.pop()
            here, end = stack[-1]
            stop = min(end, head)
            out[at:stop] = repeat(here, stop - at)
            at = stop
        if head < n:
            stack.append((head, head + size[head]))
    return out


def _non_target_below(
    groups: Sequence[str | None], named_at: Sequence[int], up: Sequence[int]
) -> list[int]:
    """Per position, the non-target vessels in its subtree (itself included).

    Non-target vessels are few: each adds one to itself and its ancestors. Should that
    walk pass the number of vessels (many deep ones), one post-order pass does it instead.
    """
    n = len(up)
    below = [0] * n
    budget = n
    non_target = groups_with("non_target")
    for i in [i for i in named_at if groups[i] in non_target]:  # unnamed: no group
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
