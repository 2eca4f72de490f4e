"""Feeders: which vessels supply each tumor, and which tumor segments nothing supplies.

A feeder of a tumor segment is every vessel whose own ``supplies`` (stated, or assumed
from its kind's usual territory) contain that segment, plus the vessels the tumor lists
as observed ``feeders`` (tumor blush, collaterals). Segment IV in a tumor means IVa and
IVb. A segment may have several feeders (dual supply, accessory arteries, crossover), and
each of them must be reached. One pass over the vessels; linear.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from anatomy.case import Tumor
from anatomy.positions import RouteMap
from anatomy.segments import Segment

__all__ = ["Feeder", "TumorFeeders", "segment_feeders", "source_of", "tumor_feeders"]

_EMPTY: frozenset[Segment] = frozenset()


@dataclass(frozen=True, slots=True)
class Feeder:
    """One vessel feeding one tumor.

    ``segments`` are the tumor's segments in the vessel's own supply (empty for an
    observed feeder whose supply the case does not state); ``assumed`` is the part of them
    assumed from the kind's usual territory; ``source`` is the hepatic artery, hepatic-axis
    vessel or named collateral it belongs to; ``reachable`` says whether a catheter tip
    may sit in it (never in a visceral trunk or the aorta).
    """

    vessel: str
    segments: frozenset[Segment]
    observed: bool
    assumed: frozenset[Segment]
    source: str
    reachable: bool


@dataclass(frozen=True, slots=True)
class TumorFeeders:
    """A tumor's feeders in tree pre-order, and its segments that nothing supplies."""

    tumor: Tumor
    feeders: tuple[Feeder, ...]
    unsupplied: frozenset[Segment]


def segment_feeders(routes: RouteMap) -> Mapping[Segment, tuple[str, ...]]:
    """Per segment, the vessels whose own supplies contain it, in tree pre-order."""
    own = routes.note.territories.own
    out: dict[Segment, list[str]] = {}
    for node in routes.order:
        for segment in own.get(node, _EMPTY):
            out.setdefault(segment, []).append(node)
    return {segment: tuple(nodes) for segment, nodes in out.items()}


def source_of(routes: RouteMap, node: str) -> str:
    """The hepatic artery, axis vessel or named collateral a vessel belongs to (else itself)."""
    note = routes.note
    if node in note.axis:
        return note.axis_top or node
    return note.artery_of.get(node) or note.collateral.get(node) or node


def tumor_feeders(routes: RouteMap, tumors: Sequence[Tumor]) -> tuple[TumorFeeders, ...]:
    """Every tumor's feeders. Vessel ids in ``feeders`` must exist (the case checks it)."""
    by_segment = segment_feeders(routes)
    own, assumed = routes.note.territories.own, routes.note.territories.assumed
    out = []
    for tumor in tumors:
        found: dict[str, set[Segment]] = {}
        unsupplied = set()
        for segment in tumor.segments:
            nodes = by_segment.get(segment, ())
            if not nodes:
                unsupplied.add(segment)
            for node in nodes:
                found.setdefault(node, set()).add(segment)
        observed = set(tumor.feeders)
        for node in observed:
            found.setdefault(node, set()).update(own.get(node, _EMPTY) & tumor.segments)
        allowed = routes.allowed
        feeders = []
        for node, segments in found.items():
            mine = frozenset(segments)
            guessed = assumed.get(node)
            feeders.append(
                Feeder(
                    vessel=node,
                    segments=mine,
                    observed=node in observed,
                    assumed=mine & guessed if guessed else _EMPTY,
                    source=source_of(routes, node),
                    reachable=node in allowed,
                )
            )
        if len(tumor.segments) > 1 or observed:  # else already in pre-order (by_segment)
            position = routes.index
            feeders.sort(key=lambda f: position[f.vessel])
        out.append(TumorFeeders(tumor, tuple(feeders), frozenset(unsupplied)))
    return tuple(out)
