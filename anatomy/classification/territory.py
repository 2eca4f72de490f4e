"""Territories: which liver segments each vessel reaches, and which of that is assumed.

A vessel's territory is its own ``supplies`` plus its descendants'. A named hepatic
vessel whose whole subtree states no supply gets its kind's usual territory
(case-format.md), minus what named hepatic vessels below it already assume; the left
hepatic artery's segment IV is assumed only when no other vessel supplies IV. One
post-order pass, then that segment IV added up the few paths it concerns: linear in the
number of vessels. Segment sets are computed as 9-bit masks and handed out as shared
frozensets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from anatomy.reference.vocabulary import kind
from anatomy.segments import IV_BITS, SEGMENT_SETS, Segment, mask_of
from anatomy.tree import Tree, Vessel

__all__ = ["Territories", "territories"]

_EMPTY: frozenset[Segment] = frozenset()


@dataclass(frozen=True)
class Territories:
    """Per vessel: own supplies (stated and assumed), assumed part, whole territory.

    Kept as 9-bit masks per pre-order position of the tree's index (``order``), which the
    classifier's passes read; the maps by vessel id are made on first use.
    """

    order: Sequence[str]
    own_bits: Sequence[int]
    reach_bits: Sequence[int]
    assumed_bits: Sequence[int]
    assumed_at: Sequence[int]  # the positions with an assumed part (few)
    partly_at: Sequence[bool]  # some of the territory is assumed

    @cached_property
    def own(self) -> Mapping[str, frozenset[Segment]]:
        return dict(zip(self.order, map(SEGMENT_SETS.__getitem__, self.own_bits), strict=True))

    @cached_property
    def territory(self) -> Mapping[str, frozenset[Segment]]:
        return dict(zip(self.order, map(SEGMENT_SETS.__getitem__, self.reach_bits), strict=True))

    @cached_property
    def assumed(self) -> Mapping[str, frozenset[Segment]]:
        order, bits = self.order, self.assumed_bits
        return {order[i]: SEGMENT_SETS[bits[i]] for i in sorted(self.assumed_at)}

    def of(self, node: str) -> frozenset[Segment]:
        return self.territory.get(node, _EMPTY)


@cache
def _kind_masks(name: str) -> tuple[int, int]:
    """(usual territory, territory if unsupplied) of a hepatic kind, as masks; (0, 0) else."""
    entry = kind(name)
    if not entry.is_hepatic:
        return 0, 0
    return mask_of(entry.territory), mask_of(entry.territory_if_unsupplied)


def territories(tree: Tree, items: Sequence[Vessel] | None = None) -> Territories:
    """Every vessel's territory (``items``: the tree's vessels in pre-order, when the
    caller has them). Modifies nothing."""
    order, up, vessels = tree.preorder, tree.up, tree.vessel
    n = len(order)
    if items is None:
        items = [vessels[node] for node in order]
    masks: dict[frozenset[Segment], int] = {}
    supplies = [0] * n  # own supplies, stated and assumed
    stated = [0] * n  # own supplies and every descendant's, as stated
    below_assumed = [0] * n  # what descendants assume
    assumed = [0] * n
    reach = [0] * n  # the whole territory
    partly = [False] * n
    assumed_at: list[int] = []
    may_add_iv: list[int] = []  # unsupplied named vessels whose kind adds IV (the LHA)
    # One pass, children before parents (reverse pre-order), each adding to its parent:
    # stated territory, usual territories of unsupplied named vessels, and the whole
    # territory.
    for i in range(n - 1, -1, -1):
        item = items[i]
        mine = masks.get(item.supplies)
        if mine is None:
            mine = masks[item.supplies] = mask_of(item.supplies)
        subtree = stated[i] | mine
        stated[i] = subtree
        usual = 0
        if item.kind is not None and not subtree:
            usual, extra = _kind_masks(item.kind)
            usual &= ~below_assumed[i]
            if usual:
                assumed[i] = usual
                assumed_at.append(i)
                mine |= usual
                partly[i] = True
            if extra:
                may_add_iv.append(i)
        supplies[i] = mine
        whole = reach[i] | mine
        reach[i] = whole
        parent = up[i]
        if parent >= 0:
            stated[parent] |= subtree
            reach[parent] |= whole
            if partly[i]:
                partly[parent] = True
                below_assumed[parent] |= usual | below_assumed[i]
    if may_add_iv:
        _add_segment_iv(
            items, up, supplies, below_assumed, assumed, assumed_at, reach, partly, may_add_iv
        )
    return Territories(order, supplies, reach, assumed, assumed_at, partly)


def _add_segment_iv(
    items: Sequence[Vessel],
    up: Sequence[int],
    supplies: list[int],
    below_assumed: Sequence[int],
    assumed: list[int],
    assumed_at: list[int],
    reach: list[int],
    partly: list[bool],
    candidates: Sequence[int],
) -> None:
    """Segment IV for a left hepatic artery only when nothing else supplies IV: added to
    the vessel and its ancestors, stopping where an ancestor already has it."""
    # How many vessels supply segment IV in each subtree (before these additions).
    count_below = [1 if bits & IV_BITS else 0 for bits in supplies]
    for i in range(len(up) - 1, 0, -1):
        count_below[up[i]] += count_below[i]
    total_iv = count_below[0]
    for i in candidates:
        extra = _kind_masks(items[i].kind or "")[1]
        if total_iv == count_below[i] and not below_assumed[i] & extra:
            if not assumed[i]:
                assumed_at.append(i)
            assumed[i] |= extra
            supplies[i] |= extra
            node = i
            while node >= 0 and (reach[node] & extra != extra or not partly[node]):
                reach[node] |= extra
                partly[node] = True
                node = up[node]
