"""Feeders: which vessels supply each tumor, and which tumor segments nothing supplies.

A feeder of a tumor segment is every vessel whose own ``supplies`` (stated, or assumed
from its kind's usual territory) contain that segment, plus the vessels the tumor lists
as observed ``feeders`` (tumor blush, collaterals). Segment IV in a tumor means IVa and
IVb. A segment may have several feeders (dual supply, accessory arteries, crossover), and
each of them must be reached. One pass over the vessels; linear.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from anatomy.annotate import Annotation
from anatomy.case import Tumor
from anatomy.positions import RouteMap
from anatomy.segments import Segment
from anatomy.territory import mask_of, segments_of

__all__ = ["Feeder", "TumorFeeders", "tumor_feeders"]

_EMPTY: frozenset[Segment] = frozenset()


class Feeder(NamedTuple):
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
    at: int  # pre-order position in the tree's index


class TumorFeeders(NamedTuple):
    """A tumor's feeders in tree pre-order, and its segments that nothing supplies."""

    tumor: Tumor
    feeders: tuple[Feeder, ...]
    unsupplied: frozenset[Segment]


def _source(note: Annotation, axis: frozenset[str], node: str) -> str:
    """The hepatic artery, axis vessel or named collateral a vessel belongs to (else itself)."""
    if node in axis:
        return note.axis_top or node
    return note.artery_of.get(node) or note.collateral.get(node) or node


def tumor_feeders(routes: RouteMap, tumors: Sequence[Tumor]) -> tuple[TumorFeeders, ...]:
    """Every tumor's feeders. Vessel ids in ``feeders`` must exist (the case checks it)."""
    terr = routes.note.territories
    order, own, assumed = routes.order, terr.own_bits, terr.assumed_bits
    supplying = [i for i, bits in enumerate(own) if bits]  # pre-order positions
    reached = 0
    for i in supplying:
        reached |= own[i]
    allowed = routes.allowed_at
    note = routes.note
    axis = frozenset(note.axis)
    out = []
    for tumor in tumors:
        want = mask_of(tumor.segments)
        found = [i for i in supplying if own[i] & want]
        observed = set(tumor.feeders)
        if observed:
            seen = {order[i] for i in found}
            found += [routes.index[node] for node in observed if node not in seen]
            found.sort()
        feeders = [
            Feeder(
                order[i],
                segments_of(own[i] & want),
                order[i] in observed,
                segments_of(own[i] & want & assumed[i]),
                _source(note, axis, order[i]),
                allowed[i],
                i,
            )
            for i in found
        ]
        out.append(TumorFeeders(tumor, tuple(feeders), segments_of(want & ~reached)))
    return tuple(out)
