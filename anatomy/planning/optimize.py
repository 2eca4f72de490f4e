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
from functools import cache

from anatomy.planning.routes import RouteMap, children, nearest_heads
from anatomy.segments import IV_BITS, LEFT_BITS, RIGHT_BITS, SEGMENT_SETS

__all__ = [
    "Cost",
    "TipChooser",
    "choose_tips",
    "costly_positions",
    "merge_tips",
    "spans_both_lobes",
    "stretch_tops",
    "tip_cost",
]

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


Reached = tuple[int, list[int]]  # a tip and required feeders it reaches

_ONE_TIP = 1  # the packed cost of a tip with nothing against it: no non-target vessel, no
# non-tumor segment, one lobe


class TipChooser:
    """Chooses tips for one tumor after another on one tree: the tip costs are made once
    (every tumor of a plan pays the same for a tip), and the merge's working lists are
    kept, as long as the tree, and cleared where a tumor used them.

    A shortcut keeps large trees cheap. Where a feeder's chain runs through vessels whose
    tip costs nothing but the position itself (``_ONE_TIP``), the merge over that stretch
    always ends the same way: one tip at the lowest vessel above all the tumor's feeders
    there (two tips would cost two positions; a tie keeps the tip lower). So the feeders
    are grouped by the top of that stretch, the tip is their lowest common ancestor, and
    the merge runs only above. This holds because a tip's cost never falls going up a
    chain (the non-target vessels and the territory below a vessel only grow: ``treated``
    must hold each position's subtree, as a territory does); should a chain above a
    stretch ever break that, the plain merge runs instead.
    """

    def __init__(
        self, routes: RouteMap, treated: Sequence[int], tumor_bits: int, shortcut: bool = True
    ) -> None:
        self._shortcut = shortcut  # False: the plain merge always (tests compare the two)
        self._extends, self._up, self._size = routes.extends_at, routes.up, routes.size_at
        self._below, self._treated, self._outside = routes.below_at, treated, ~tumor_bits
        n = len(treated)
        self._cost = [-1] * n  # per position: its tip's packed cost, made on first use
        self._sum = [0] * n  # per position: the best covers of its children on the chains
        self._tip = [-1] * n  # per position: the chosen tip reaching it
        self._mark = bytearray(n)  # 1: on a chain, 2: a required feeder, 4: a tip here
        self._one = _one_tip_masks(tumor_bits)
        # Per position: the top of its one-tip stretch (-1: none; -2: not walked yet). With
        # few costly positions it is filled for the whole tree at once; else walked up from
        # the feeders, which then visits only their chains.
        costly = costly_positions(routes, treated, tumor_bits, limit=n // 8)
        self._top = [-2] * n if costly is None else stretch_tops(routes, costly)

    def _cost_at(self, i: int) -> int:
        found = self._cost[i]
        if found < 0:
            bits = self._treated[i]
            found = self._cost[i] = (
                (self._below[i] << 3 * _BITS)
                | ((bits & self._outside).bit_count() << 2 * _BITS)
                | ((1 if bits & RIGHT_BITS and bits & (LEFT_BITS | IV_BITS) else 0) << _BITS)
                | 1
            )
        return found

    def _stretch_top(self, start: int) -> int:
        """The most proximal position up the chain of ``start`` through one-tip vessels only
        (-1 when ``start`` is not one itself). Remembered for every vessel walked, so the
        plan's tumors together walk each vessel once."""
        top_of, extends, up = self._top, self._extends, self._up
        below, treated, one = self._below, self._treated, self._one
        path: list[int] = []
        i = start
        while True:
            if below[i] or not one[treated[i]]:  # a tip costing more than _ONE_TIP
                top_of[i] = -1
                top = path[-1] if path else -1
                break
            path.append(i)
            if not extends[i]:
                top = i
                break
            j = up[i]
            above = top_of[j]
            if above != -2:
                top = above if above >= 0 else i
                break
            i = j
        for i in path:
            top_of[i] = top
        return top

    def _lowest_above(self, group: list[int]) -> int:
        """The lowest common ancestor of positions in one subtree."""
        lo, hi = min(group), max(group)
        up, size = self._up, self._size
        while not hi < lo + size[lo]:
            lo = up[lo]
        return lo

    def choose(self, required: Iterable[int]) -> tuple[list[int], dict[int, int]]:
        """The cheapest tips (pre-order positions, in pre-order) reaching every required
        feeder; and per required feeder, the tip that reaches it."""
        chosen, groups = self.choose_groups(required)
        return chosen, {i: tip for tip, group in groups for i in group}

    def choose_groups(self, required: Iterable[int]) -> tuple[list[int], list[Reached]]:
        """The cheapest tips (pre-order positions, in pre-order) reaching every required
        feeder; and the required feeders grouped by the tip that reaches them (a tip may
        head several groups)."""
        needed = list(dict.fromkeys(required))
        if not needed:
            return [], []
        if not self._shortcut:
            plain = self._merge(needed, {})
            assert plain is not None
            return plain[0], [(tip, [i]) for i, tip in plain[1].items()]
        groups: dict[int, list[int]] = {}
        rest: list[int] = []
        top_of = self._top
        tops = set(map(top_of.__getitem__, needed))
        if len(tops) == 1 and (top := tops.pop()) >= 0:
            groups[top] = needed  # one stretch holds every feeder: one group
        else:
            for i in needed:
                top = top_of[i]
                if top == -2:  # not filled in: walk up
                    top = self._stretch_top(i)
                if top >= 0:
                    group = groups.get(top)
                    if group is None:
                        groups[top] = [i]
                    else:
                        group.append(i)
                else:
                    rest.append(i)
        pinned = {top: self._lowest_above(group) for top, group in groups.items()}
        found = self._merge([*rest, *pinned], pinned)
        if found is None:  # a chain whose cost falls going up: the plain merge
            found = self._merge(needed, {})
            assert found is not None
            return found[0], [(tip, [i]) for i, tip in found[1].items()]
        chosen, reached = found
        out = [(reached[i], [i]) for i in rest]
        out += [(reached[top], group) for top, group in groups.items()]
        return chosen, out

    def _merge(
        self, needed: list[int], pinned: dict[int, int]
    ) -> tuple[list[int], dict[int, int]] | None:
        """The bottom-up merge over the chains above ``needed``; a ``pinned`` position's
        tip, when it takes one, sits at the position given. None when a vessel outside the
        pinned stretches costs a bare tip (the shortcut would not hold)."""
        extends, up, mark = self._extends, self._up, self._mark
        # The vessels on the feeders' chains: each feeder, then up while its chain extends.
        on_chain: list[int] = []
        for start in needed:
            i = start
            while not mark[i]:
                mark[i] = 1
                on_chain.append(i)
                if not extends[i]:
                    break
                i = up[i]
        for i in needed:
            mark[i] = 3
        on_chain.sort()
        cost_at, cost = self._cost_at, self._cost
        best, tip_at = self._sum, self._tip
        ok = True
        for i in reversed(on_chain):  # children before parents
            here = cost[i]
            if here < 0:
                here = cost_at(i)
            if mark[i] == 3:  # a required feeder: a tip here, or above (free from here)
                mark[i] = 7
                if best[i] and i in pinned:  # another feeder's chain runs through it
                    ok = False
            else:
                if pinned and here == _ONE_TIP:
                    ok = False
                below = best[i]
                if here < below:  # ties keep the tips lower
                    mark[i] = 5
                else:
                    here = below
            best[i] = 0
            if extends[i]:
                best[up[i]] += here
        # Descent: a tip covers every chain below it; each feeder learns its tip.
        chosen: list[int] = []
        for i in on_chain:
            above = tip_at[up[i]] if extends[i] else -1
            if above >= 0:
                tip_at[i] = above
            elif mark[i] & 4:
                tip_at[i] = pinned.get(i, i)
                chosen.append(tip_at[i])
        covers = {i: tip_at[i] for i in needed}
        for i in on_chain:
            mark[i] = 0
            tip_at[i] = -1
        return (chosen, covers) if ok else None


def costly_positions(
    routes: RouteMap, treated: Sequence[int], tumor_bits: int, limit: int | None = None
) -> list[int] | None:
    """The positions whose own tip costs more than ``_ONE_TIP`` (non-target vessels below,
    non-tumor segments treated, or both lobes), in pre-order; None past ``limit`` of them.

    A position's cost never falls going up (its territory and the non-target vessels below
    it hold its subtree's), so below a position costing no more, none does: its subtree is
    skipped whole, and the scan visits the costly positions and their children only.
    ``treated`` must grow going up, as a territory does.
    """
    one = _one_tip_masks(tumor_bits)
    below, size = routes.below_at, routes.size_at
    costly: list[int] = []
    i, n = 0, len(treated)
    while i < n:
        if below[i] or not one[treated[i]]:
            costly.append(i)
            if limit is not None and len(costly) > limit:
                return None
            i += 1
        else:
            i += size[i]
    return costly


def stretch_tops(routes: RouteMap, costly: Sequence[int]) -> list[int]:
    """Per position, the top of its one-tip stretch, as ``TipChooser`` walks it, for the
    whole tree at once (-1 at the ``costly`` positions).

    A stretch's top is the nearest *head* at or above a one-tip position: a one-tip
    position whose chain stops there or whose parent costs more (``nearest_heads``, as
    ``route_map`` finds chain tops).
    """
    size = routes.size_at
    heads = {*routes.heads, *costly}
    for i in costly:  # the children of a position costing more head their own stretch
        heads.update(children(size, i))
    top = nearest_heads(heads, size)
    for i in costly:
        top[i] = -1
    return top


@cache
def _one_tip_masks(tumor_bits: int) -> tuple[bool, ...]:
    """Per territory mask: whether a tip treating it costs only itself (no segment outside
    ``tumor_bits``, one lobe)."""
    right, left = RIGHT_BITS, LEFT_BITS | IV_BITS
    masks = range(len(SEGMENT_SETS))
    return tuple(not (bits & ~tumor_bits or (bits & right and bits & left)) for bits in masks)


def choose_tips(
    routes: RouteMap, required: Iterable[int], treated: Sequence[int], tumor_bits: int
) -> tuple[list[int], dict[int, int]]:
    """The cheapest tips (pre-order positions, in pre-order) reaching every required
    feeder (positions that may hold a tip), each tip costing ``tip_cost``; and per required
    feeder, the tip that reaches it. One tumor's choice; a plan keeps a ``TipChooser``."""
    return TipChooser(routes, treated, tumor_bits).choose(required)


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
