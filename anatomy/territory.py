"""Territories: which liver segments each vessel reaches, and which of that is assumed.

A vessel's territory is its own ``supplies`` plus its descendants'. A named hepatic
vessel whose whole subtree states no supply gets its kind's usual territory
(case-format.md), minus what named hepatic vessels below it already assume; the left
hepatic artery's segment IV is assumed only when no other vessel supplies IV. Two
post-order passes and one count: linear in the number of vessels. Segment sets are
computed as 9-bit masks and handed out as shared frozensets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from anatomy.segments import SEGMENT_IV, Segment
from anatomy.tree import TreeIndex, index
from anatomy.vocabulary import kind

__all__ = ["Territories", "territories"]

_EMPTY: frozenset[Segment] = frozenset()
_BIT = {s: 1 << i for i, s in enumerate(Segment)}
_SETS: dict[int, frozenset[Segment]] = {}


def _mask(segments: Iterable[Segment]) -> int:
    out = 0
    for segment in segments:
        out |= _BIT[segment]
    return out


def _set(mask: int) -> frozenset[Segment]:
    found = _SETS.get(mask)
    if found is None:
        found = frozenset(s for s, bit in _BIT.items() if mask & bit)
        _SETS[mask] = found
    return found


_IV = _mask(SEGMENT_IV)


@dataclass(frozen=True, slots=True)
class Territories:
    """Per vessel id: own supplies (stated and assumed), assumed part, whole territory."""

    own: Mapping[str, frozenset[Segment]]
    assumed: Mapping[str, frozenset[Segment]]
    territory: Mapping[str, frozenset[Segment]]
    partly_assumed: Mapping[str, bool]

    def of(self, node: str) -> frozenset[Segment]:
        return self.territory.get(node, _EMPTY)


def territories(tree: nx.DiGraph, walk: TreeIndex | None = None) -> Territories:
    """Compute every vessel's territory. Does not modify ``tree``."""
    walk = walk or index(tree)
    order = walk.postorder
    kids = walk.children
    vessels = walk.vessel
    supplies = {n: _mask(vessels[n].supplies) for n in order}
    stated: dict[str, int] = {}
    below_assumed: dict[str, int] = {}
    assumed: dict[str, int] = {}
    for node in order:
        subtree = supplies[node]
        sub_assumed = 0
        for child in kids[node]:
            subtree |= stated[child]
            sub_assumed |= assumed.get(child, 0) | below_assumed[child]
        stated[node] = subtree
        below_assumed[node] = sub_assumed
        name = vessels[node].kind
        if name is not None and not subtree:
            entry = kind(name)
            if entry.is_hepatic and entry.territory:
                mine = _mask(entry.territory) & ~sub_assumed
                if mine:
                    assumed[node] = mine
    # Segment IV for a left hepatic artery only when nothing else supplies IV.
    count_below: dict[str, int] = {}
    for node in order:
        here = int(bool((supplies[node] | assumed.get(node, 0)) & _IV))
        count_below[node] = here + sum(count_below[c] for c in kids[node])
    total_iv = count_below[walk.preorder[0]]
    for node in order:
        name = vessels[node].kind
        if name is None or stated[node]:
            continue
        extra = _mask(kind(name).territory_if_unsupplied)
        if extra and total_iv - count_below[node] == 0 and not (below_assumed[node] & extra):
            assumed[node] = assumed.get(node, 0) | extra
    own: dict[str, frozenset[Segment]] = {}
    territory: dict[str, frozenset[Segment]] = {}
    partly: dict[str, bool] = {}
    reach: dict[str, int] = {}
    for node in order:
        mine = supplies[node] | assumed.get(node, 0)
        whole = mine
        flag = node in assumed
        for child in kids[node]:
            whole |= reach[child]
            flag = flag or partly[child]
        reach[node] = whole
        own[node] = _set(mine)
        territory[node] = _set(whole)
        partly[node] = flag
    return Territories(own, {n: _set(m) for n, m in assumed.items()}, territory, partly)
