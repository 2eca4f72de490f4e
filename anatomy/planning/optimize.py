"""Choosing catheter positions: per tumor, the positions that reach all its feeders at the
least cost, in the order DESIGN.md sets ("Recommended plan"):

1. *safety*: the fewest non-target vessels (extrahepatic branches, collaterals, trunks) at
   or below the tips — a tip with one downstream is chosen only when nothing else reaches
   the feeder, and is then marked "protect first";
2. *selectivity*: the least non-tumor liver (segments treated that hold no tumor), then the
   fewest injections that span both lobes (never one injection for both lobes where lobar
   tips treat the same segments);
3. the fewest positions, last.

Each tumor gets its own tips ("one tip per tumor, as distal as the tree allows"); a tumor
whose feeders are all reached from a tip chosen for another tumor shares it. On a tree the
per-tumor problem is one bottom-up merge over the vessels on the tumor's feeders' chains:
at each vessel, the best way to cover every feeder below it either with a tip there, or
leaving the feeders whose chain runs on upward to a tip above; ties keep the tips lower.

``Cost`` is the plain formulation; the merge adds costs packed into one integer
(``Cost.pack``: each component in its own 40 bits, most important highest), so that integer
order is the lexicographic order and sums stay exact. The tests check the packed order
against the tuples.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from anatomy.planning.routes import RouteMap
from anatomy.segments import IV_BITS, LEFT_BITS, RIGHT_BITS

__all__ = ["Cost", "choose_tips", "tip_costs"]

_BITS = 40
_MASK = (1 << _BITS) - 1


@dataclass(frozen=True, slots=True, order=True)
class Cost:
    """What a set of positions costs, compared component by component in this order."""

    non_target: int  # non-target vessels at or below the tips (safety)
    non_tumor_segments: int  # segments treated that hold no tumor, summed over tips
    bilobar: int  # tips whose territory spans both lobes
    positions: int

    def pack(self) -> int:
        """One integer whose order is this cost's order (each component < 2**40)."""
        return (
            (self.non_target << 3 * _BITS)
            | (self.non_tumor_segments << 2 * _BITS)
            | (self.bilobar << _BITS)
            | self.positions
        )

    @classmethod
    def unpack(cls, packed: int) -> Cost:
        return cls(
            packed >> 3 * _BITS,
            (packed >> 2 * _BITS) & _MASK,
            (packed >> _BITS) & _MASK,
            packed & _MASK,
        )

    def __add__(self, other: Cost) -> Cost:
        return Cost(
            self.non_target + other.non_target,
            self.non_tumor_segments + other.non_tumor_segments,
            self.bilobar + other.bilobar,
            self.positions + other.positions,
        )


def spans_both_lobes(bits: int) -> bool:
    """A territory (mask) in the right liver and in the left (II–IV)."""
    return bool(bits & RIGHT_BITS) and bool(bits & (LEFT_BITS | IV_BITS))


def tip_costs(routes: RouteMap, treated: Sequence[int], tumor_bits: int) -> list[int]:
    """Per pre-order position, the packed cost of one tip there: ``treated`` is each
    position's treated territory (mask), ``tumor_bits`` every tumor's segments."""
    outside = ~tumor_bits
    both = RIGHT_BITS, LEFT_BITS | IV_BITS
    return [
        (below << 3 * _BITS)
        | (((bits & outside).bit_count()) << 2 * _BITS)
        | ((1 if bits & both[0] and bits & both[1] else 0) << _BITS)
        | 1
        for below, bits in zip(routes.below_at, treated, strict=True)
    ]


def choose_tips(routes: RouteMap, required: Iterable[int], own: Sequence[int]) -> list[int]:
    """The cheapest tips (pre-order positions, in pre-order) reaching every required
    feeder (positions that may hold a tip), each tip costing ``own`` (packed)."""
    extends, up = routes.extends_at, routes.up
    needed = set(required)
    if not needed:
        return []
    # The vessels on the feeders' chains: each feeder, then up while its chain extends.
    chain: set[int] = set()
    for start in needed:
        i = start
        while i not in chain:
            chain.add(i)
            if not extends[i]:
                break
            i = up[i]
    order = sorted(chain)
    closed_sum: dict[int, int] = {}  # children's best covers, summed
    open_sum: dict[int, int] = {}  # the same, with chains left open to a tip above
    open_below: set[int] = set()  # a required feeder's chain reaches it from a child
    take: set[int] = set()
    for i in reversed(order):  # children before parents
        required_here = i in needed
        here_open = open_sum.get(i, 0)
        closed = closed_sum.get(i, 0)
        tip = own[i] + here_open
        if required_here or tip < closed:  # ties keep the tips lower
            closed = tip
            take.add(i)
        if extends[i]:  # the parent is on the chain too
            parent = up[i]
            closed_sum[parent] = closed_sum.get(parent, 0) + closed
            open_sum[parent] = open_sum.get(parent, 0) + here_open
            open_below.add(parent)
    # Descent: a tip covers its open chains; below it, no tip is needed on them.
    chosen: list[int] = []
    covered: set[int] = set()  # positions on a chain that a tip above covers
    for i in order:
        if extends[i] and up[i] in covered:
            covered.add(i)
        elif i in take:
            chosen.append(i)
            covered.add(i)
    return chosen


def merge_tips(routes: RouteMap, picks: Mapping[str, Sequence[int]]) -> list[int]:
    """The union of every tumor's tips, without a tip whose chain runs up to another chosen
    tip (that tip's injection reaches it anyway), in pre-order."""
    extends, up = routes.extends_at, routes.up
    chosen = {i for tips in picks.values() for i in tips}
    kept = []
    for i in sorted(chosen):
        j, covered = i, False
        while extends[j]:
            j = up[j]
            if j in chosen:
                covered = True
                break
        if not covered:
            kept.append(i)
    return kept
