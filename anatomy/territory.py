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
from functools import cache

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


@cache
def _kind_masks(name: str) -> tuple[int, int]:
    """(usual territory, territory if unsupplied) of a hepatic kind, as masks; (0, 0) else."""
    entry = kind(name)
    if not entry.is_hepatic:
        return 0, 0
    return _mask(entry.territory), _mask(entry.territory_if_unsupplied)


def territories(tree: nx.DiGraph | None, walk: TreeIndex | None = None) -> Territories:
    """Compute every vessel's territory (from ``walk`` when given). Modifies nothing."""
    if walk is None:
        assert tree is not None, "territories() needs a tree or its index"
        walk = index(tree)
    order = walk.postorder
    kids = walk.children
    vessels = walk.vessel
    masks: dict[frozenset[Segment], int] = {}
    supplies: dict[str, int] = {}
    stated: dict[str, int] = {}
    below_assumed: dict[str, int] = {}
    assumed: dict[str, int] = {}
    count_below: dict[str, int] = {}
    # Pass 1: stated territory, usual territories of unsupplied named vessels, and how
    # many vessels supply segment IV in each subtree.
    for node in order:
        item = vessels[node]
        mine = masks.get(item.supplies)
        if mine is None:
            mine = masks[item.supplies] = _mask(item.supplies)
        supplies[node] = mine
        subtree = mine
        sub_assumed = 0
        count = 0
        for child in kids[node]:
            subtree |= stated[child]
            sub_assumed |= assumed.get(child, 0) | below_assumed[child]
            count += count_below[child]
        stated[node] = subtree
        below_assumed[node] = sub_assumed
        if item.kind is not None and not subtree:
            usual = _kind_masks(item.kind)[0] & ~sub_assumed
            if usual:
                assumed[node] = usual
        count_below[node] = count + (1 if (mine | assumed.get(node, 0)) & _IV else 0)
    # Pass 2: segment IV for a left hepatic artery only when nothing else supplies IV;
    # then every vessel's whole territory.
    total_iv = count_below[walk.preorder[0]]
    own: dict[str, frozenset[Segment]] = {}
    territory: dict[str, frozenset[Segment]] = {}
    partly: dict[str, bool] = {}
    reach: dict[str, int] = {}
    for node in order:
        name = vessels[node].kind
        if name is not None and not stated[node]:
            extra = _kind_masks(name)[1]
            if extra and total_iv == count_below[node] and not below_assumed[node] & extra:
                assumed[node] = assumed.get(node, 0) | extra
        mine = supplies[node] | assumed.get(node, 0)
        whole = mine
        flag = node in assumed
        for child in kids[node]:
            whole |= reach[child]
            if partly[child]:
                flag = True
        reach[node] = whole
        own[node] = _set(mine)
        territory[node] = _set(whole)
        partly[node] = flag
    return Territories(own, {n: _set(m) for n, m in assumed.items()}, territory, partly)
