"""Territories: which liver segments each vessel reaches, and which of that is assumed.

A vessel's territory is its own ``supplies`` plus its descendants'. A named hepatic
vessel whose whole subtree states no supply gets its kind's usual territory
(case-format.md), minus what named hepatic vessels below it already assume; the left
hepatic artery's segment IV is assumed only when no other vessel supplies IV. Two
post-order passes and one count: linear in the number of vessels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from anatomy.segments import SEGMENT_IV, Segment
from anatomy.tree import postorder, vessel
from anatomy.vocabulary import kind

__all__ = ["Territories", "territories"]

_EMPTY: frozenset[Segment] = frozenset()


@dataclass(frozen=True, slots=True)
class Territories:
    """Per vessel id: own supplies (stated and assumed), assumed part, whole territory."""

    own: Mapping[str, frozenset[Segment]]
    assumed: Mapping[str, frozenset[Segment]]
    territory: Mapping[str, frozenset[Segment]]
    partly_assumed: Mapping[str, bool]

    def of(self, node: str) -> frozenset[Segment]:
        return self.territory.get(node, _EMPTY)


def territories(tree: nx.DiGraph) -> Territories:
    """Compute every vessel's territory. Does not modify ``tree``."""
    order = postorder(tree)
    stated: dict[str, frozenset[Segment]] = {}
    below_assumed: dict[str, frozenset[Segment]] = {}
    assumed: dict[str, frozenset[Segment]] = {}
    for node in order:
        item = vessel(tree, node)
        subtree = set(item.supplies)
        sub_assumed: set[Segment] = set()
        for child in tree.successors(node):
            subtree |= stated[child]
            sub_assumed |= assumed.get(child, _EMPTY) | below_assumed[child]
        stated[node] = frozenset(subtree)
        below_assumed[node] = frozenset(sub_assumed)
        if item.kind is not None and not subtree:
            entry = kind(item.kind)
            if entry.is_hepatic and entry.territory:
                mine = entry.territory - sub_assumed
                if mine:
                    assumed[node] = mine
    # Segment IV for a left hepatic artery only when nothing else supplies IV.
    supplies_iv = {
        n for n in order if (vessel(tree, n).supplies | assumed.get(n, _EMPTY)) & SEGMENT_IV
    }
    count_below: dict[str, int] = {}
    for node in order:
        count_below[node] = int(node in supplies_iv) + sum(
            count_below[c] for c in tree.successors(node)
        )
    total_iv = len(supplies_iv)
    for node in order:
        item = vessel(tree, node)
        if item.kind is None or stated[node]:
            continue
        extra = kind(item.kind).territory_if_unsupplied
        if extra and total_iv - count_below[node] == 0 and not (below_assumed[node] & extra):
            assumed[node] = assumed.get(node, _EMPTY) | extra
    own: dict[str, frozenset[Segment]] = {}
    territory: dict[str, frozenset[Segment]] = {}
    partly: dict[str, bool] = {}
    for node in order:
        mine = vessel(tree, node).supplies | assumed.get(node, _EMPTY)
        own[node] = mine
        reach = set(mine)
        flag = node in assumed
        for child in tree.successors(node):
            reach |= territory[child]
            flag = flag or partly[child]
        territory[node] = frozenset(reach)
        partly[node] = flag
    return Territories(own, assumed, territory, partly)
