"""Feeders: which vessels supply each tumor, and which tumor segments nothing supplies.

A feeder of a tumor segment is every vessel whose own ``supplies`` (stated, or assumed
from its kind's usual territory) contain that segment, plus the vessels the tumor lists
as observed ``feeders`` (tumor blush, collaterals). Segment IV in a tumor means IVa and
IVb. A segment may have several feeders (dual supply, accessory arteries, crossover), and
each of them must be reached. An observed feeder on the hepatic axis (CHA, PHA) is a way
in, not a tip, when vessels below it supply the tumor's segments: the tip goes to them
(DESIGN.md, "Feeders"). One pass over the vessels; linear.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, compress
from typing import NamedTuple

from anatomy.case import Tumor
from anatomy.planning.routes import RouteMap
from anatomy.segments import SEGMENT_SETS, Segment, mask_of, segments_of

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
    way_in: bool = False  # an observed feeder on the hepatic axis: the tip goes below it
    chain_top: str | None = None  # the most proximal position that reaches it (None: none)


class TumorFeeders(NamedTuple):
    """A tumor's feeders in tree pre-order, and its segments that nothing supplies.

    ``plain``: every feeder may hold a tip, and none is observed, assumed or a way in (the
    warnings about those need not look).
    """

    tumor: Tumor
    feeders: tuple[Feeder, ...]
    unsupplied: frozenset[Segment]
    plain: bool = False


def tumor_feeders(routes: RouteMap, tumors: Sequence[Tumor]) -> tuple[TumorFeeders, ...]:
    """Every tumor's feeders. Vessel ids in ``feeders`` must exist (the case checks it)."""
    terr = routes.note.territories
    order, own, assumed = routes.order, terr.own_bits, terr.assumed_bits
    by_mask: dict[int, list[int]] = {}  # positions per own-supply mask, in pre-order
    for i in compress(range(len(own)), own):  # the positions with a supply of their own
        by_mask.setdefault(own[i], []).append(i)
    reached = 0
    for bits in by_mask:
        reached |= bits
    allowed = routes.allowed_at
    note = routes.note
    axis, axis_top = frozenset(note.axis), note.axis_top
    new = tuple.__new__
    artery_of, collateral = note.artery_of, note.collateral
    sets = SEGMENT_SETS
    chain_top = routes.top_at
    # Positions whose records need a closer look: on the axis, with an assumed supply, or
    # where no tip may sit (a trunk supplying directly).
    unusual = {*note.axis_at, *terr.assumed_at, *(i for i in note.named_at if not allowed[i])}
    out = []
    for tumor in tumors:
        want = mask_of(tumor.segments)
        hit = [positions for bits, positions in by_mask.items() if bits & want]
        found = hit[0] if len(hit) == 1 else sorted(chain.from_iterable(hit))
        observed = frozenset(tumor.feeders)
        if observed:
            seen = {order[i] for i in found}
            found = sorted([*found, *(routes.index[n] for n in observed if n not in seen)])
        size = routes.size_at
        ways_in = {
            i
            for i in (routes.index[n] for n in observed if n in axis)
            if any(j != i and i <= j < i + size[i] for j in found if own[j] & want)
        }
        # Records are made straight from tuples (thousands of feeders in centerline trees):
        # NamedTuple's own __new__ is a Python frame per record.
        plain = not observed and unusual.isdisjoint(found)
        if not plain:
            feeders = [
                new(
                    Feeder,
                    (
                        node := order[i],
                        sets[own[i] & want],
                        node in observed,
                        sets[own[i] & want & assumed[i]],
                        (axis_top or node)
                        if node in axis
                        else (artery_of.get(node) or collateral.get(node) or node),
                        allowed[i],
                        i,
                        i in ways_in,
                        order[chain_top[i]] if allowed[i] else None,
                    ),
                )
                for i in found
            ]
        else:  # the usual case: a tip may sit in each, none observed, assumed or on the axis
            feeders = [
                new(
                    Feeder,
                    (
                        node := order[i],
                        sets[own[i] & want],
                        False,
                        _EMPTY,
                        artery_of.get(node) or collateral.get(node) or node,
                        True,
                        i,
                        False,
                        order[chain_top[i]],
                    ),
                )
                for i in found
            ]
        out.append(TumorFeeders(tumor, tuple(feeders), segments_of(want & ~reached), plain))
    return tuple(out)
