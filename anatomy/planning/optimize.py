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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from anatomy.planning.routes import RouteMap
from anatomy.segments import IV_BITS, LEFT_BITS, RIGHT_BITS

__all__ = ["Cost", "choose_tips", "merge_tips", "spans_both_lobes", "tip_cost"]

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


def tip_cost(routes: RouteMap, treated: Sequence[int], tumor_bits: int, at: int) -> int:
    """The packed cost of one tip at pre-order position ``at``: ``treated`` is each
    position's treated territory (mask), ``tumor_bits`` every tumor's segments."""
    bits = treated[at]
    both = 1 if bits & RIGHT_BITS and bits & (LEFT_BITS | IV_BITS) else 0
    return (
        (routes.below_at[at] << 3 * _BITS)
        | ((bits & ~tumor_bits).bit_count() << 2 * _BITS)
        | (both << _BITS)
        | 1
    )


def choose_tips(
    routes: RouteMap, required: Iterable[int], treated: Sequence[int], tumor_bits: int
) -> tuple[list[int], dict[int, int]]:
    """The cheapest tips (pre-order positions, in pre-order) reaching every required
    feeder (positions that may hold a tip), each tip costing ``tip_cost``; and per required
    feeder, the tip that reaches it. Costs are made only for the vessels on the chains."""
    extends, up = routes.extends_at, routes.up
    needed = sorted(set(required))
    if not needed:
        return [], {}
    # The vessels on the feeders' chains: each feeder, then up while its chain extends.
    on_chain: dict[int, int] = {}  # position -> its index in ``order`` (filled below)
    for start in needed:
        i = start
        while i not in on_chain:
            on_chain[i] = 0
            if not extends[i]:
                break
            i = up[i]
    order = sorted(on_chain)
    k = len(order)
    for n, i in enumerate(order):
        on_chain[i] = n
    parent_at = [on_chain[up[i]] if extends[i] else -1 for i in order]
    is_needed = [False] * k
    for i in needed:
        is_needed[on_chain[i]] = True
    below, outside, both = routes.below_at, ~tumor_bits, (RIGHT_BITS, LEFT_BITS | IV_BITS)
    closed_sum = [0] * k  # children's best covers, summed
    open_sum = [0] * k  # the same, with chains left open to a tip above
    take = [False] * k
    for n in range(k - 1, -1, -1):  # children before parents
        here_open = open_sum[n]
        i = order[n]
        bits = treated[i]
        tip = (
            (below[i] << 3 * _BITS)
            | ((bits & outside).bit_count() << 2 * _BITS)
            | ((1 if bits & both[0] and bits & both[1] else 0) << _BITS)
            | 1
        ) + here_open
        closed = closed_sum[n]
        if is_needed[n] or tip < closed:  # ties keep the tips lower
            closed = tip
            take[n] = True
        parent = parent_at[n]
        if parent >= 0:  # the parent is on the chain too
            closed_sum[parent] += closed
            open_sum[parent] += here_open
    # Descent: a tip covers its open chains below; each feeder learns the tip reaching it.
    tip_at = [-1] * k
    chosen: list[int] = []
    for n in range(k):
        parent = parent_at[n]
        if parent >= 0 and tip_at[parent] >= 0:
            tip_at[n] = tip_at[parent]
        elif take[n]:
            tip_at[n] = order[n]
            chosen.append(order[n])
    return chosen, {i: tip_at[on_chain[i]] for i in needed}


def merge_tips(
    routes: RouteMap, picks: Iterable[Sequence[int]]
) -> tuple[list[int], dict[int, int]]:
    """The union of every tumor's tips, without a tip whose chain runs up to another chosen
    tip (that tip's injection reaches it anyway), in pre-order; and where each dropped tip
    went (the chosen tip above it)."""
    extends, up = routes.extends_at, routes.up
    chosen = {i for tips in picks for i in tips}
    kept: list[int] = []
    moved: dict[int, int] = {}
    for i in sorted(chosen):
        j = i
        while extends[j]:
            j = up[j]
            if j in chosen:
                moved[i] = j
                break
        else:
            kept.append(i)
    for i, j in moved.items():  # a tip moved to one that moved in turn: follow it up
        while j in moved:
            j = moved[j]
        moved[i] = j
    return kept, moved
