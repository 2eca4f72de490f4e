"""The TACE plan: the fewest catheter positions that reach every feeder of every tumor.

Preferring, in order: no extrahepatic branch downstream of a tip, the least non-tumor
liver, the fewest positions (DESIGN.md, "Planning: the rules"). On a tree this is one
bottom-up pass: at each vessel, the best way to cover every feeder below it either with a
tip there or leaving the feeders whose chain runs on upward to a tip above. Lobar and
whole-liver alternatives are listed with their costs, and the warnings say what the plan
cannot reach and what the study has not shown.

>>> from anatomy.case import parse_case
>>> from anatomy.classification.annotate import annotate
>>> case = parse_case({"vessels": [
...     {"id": "ao", "kind": "aorta"}, {"id": "ct", "kind": "celiac", "parent": "ao"},
...     {"id": "cha", "kind": "CHA", "parent": "ct"}, {"id": "pha", "kind": "PHA", "parent": "cha"},
...     {"id": "lha", "kind": "LHA", "parent": "pha", "supplies": ["II", "III", "IV"]},
...     {"id": "rha", "kind": "RHA", "parent": "pha", "supplies": ["V", "VI", "VII", "VIII"]}],
...     "tumors": [{"id": "t1", "segments": ["VII"]}]})
>>> plan(annotate(case.tree), case.tumors).positions[0].position.route_text
'R femoral > EIA > CIA > Ao > CA > CHA > PHA > RHA'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from anatomy.case import Tumor
from anatomy.classification.annotate import Anatomy
from anatomy.planning.feeders import Feeder, TumorFeeders, tumor_feeders
from anatomy.planning.positions import Access, Position, RouteMap, Target, position, route_map
from anatomy.planning.warnings import PlanWarning, plan_warnings, tumor_warnings
from anatomy.reference.access import access_site
from anatomy.reference.route_advice import RouteAdvice, advice_for_artery, advice_for_trunk, merge
from anatomy.segments import Segment, mask_of, segments_of

__all__ = [
    "Alternative",
    "Cost",
    "Plan",
    "Target",
    "TumorPlan",
    "plan",
]

_EMPTY: frozenset[Segment] = frozenset()


@dataclass(frozen=True, slots=True)
class Cost:
    """What a set of positions costs, in the order the planner minimizes it."""

    non_target_branches: int  # extrahepatic, collateral, visceral vessels at or beyond tips
    non_tumor_segments: int  # non-tumor segments treated, summed over positions
    positions: int


@dataclass(frozen=True, slots=True)
class TumorPlan:
    """One tumor: its feeders, the plan's positions that reach them, and its warnings."""

    tumor: Tumor
    feeders: tuple[Feeder, ...]
    targets: tuple[int, ...]  # Target numbers
    unsupplied: frozenset[Segment]
    warnings: tuple[PlanWarning, ...]


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another way to reach every feeder (lobar, whole liver), with its cost."""

    name: str
    description: str
    positions: tuple[Position, ...]
    cost: Cost
    same_as: str | None = None  # "recommended" or an earlier alternative with these positions


@dataclass(frozen=True, slots=True)
class Plan:
    """The recommended plan for a case."""

    access: Access
    tumors: tuple[TumorPlan, ...]
    positions: tuple[Target, ...]
    cost: Cost
    alternatives: tuple[Alternative, ...]
    warnings: tuple[PlanWarning, ...]
    routes: RouteMap

    @property
    def anatomy(self) -> Anatomy:
        return self.routes.note


def plan(anatomy: Anatomy, tumors: Sequence[Tumor], access: Access = "femoral") -> Plan:
    """Plan TACE for ``tumors`` on an annotated tree (``annotate(case.tree)``)."""
    access = access_site(access).id  # an alias named the same site; unknown: ValueError
    routes = route_map(anatomy)
    found = tumor_feeders(routes, tumors)
    tumor_segments = frozenset().union(*(t.segments for t in tumors)) if tumors else _EMPTY
    required = {f.at for tf in found for f in tf.feeders if f.reachable}
    extra = _observed_reach(routes, found)

    order = routes.order

    def reach_at(i: int) -> frozenset[Segment]:
        return segments_of(routes.note.territories.reach_bits[i]) | extra.get(order[i], _EMPTY)

    extra_at = {routes.index[node]: mask_of(segments) for node, segments in extra.items()}
    picked, near, served_feeders = _recommend(routes, required, extra_at, mask_of(tumor_segments))
    chosen = [order[i] for i in picked]
    numbers = {i: n + 1 for n, i in enumerate(picked)}
    served_tumors: dict[int, set[str]] = {i: set() for i in picked}
    tumor_plans = []
    for tf in found:
        hits = {near[f.at] for f in tf.feeders}
        hits.discard(-1)  # an unreachable feeder: no tip serves it
        for tip in hits:
            served_tumors[tip].add(tf.tumor.id)
        tumor_plans.append((tf, tuple(sorted(numbers[h] for h in hits))))
    tips = [
        (i, position(routes, order[i], access, reach_at(i), tumor_segments, at=i)) for i in picked
    ]
    targets = tuple(
        Target(
            number=numbers[i],
            position=tip,
            tumors=tuple(sorted(served_tumors[i])),
            feeders=tuple(map(order.__getitem__, served_feeders[i])),
            advice=_advice(routes, tip),
        )
        for i, tip in tips
    )
    by_number = {t.number: t for t in targets}
    plans = tuple(
        TumorPlan(
            tumor=tf.tumor,
            feeders=tf.feeders,
            targets=numbers_,
            unsupplied=tf.unsupplied,
            warnings=tumor_warnings(routes, tf, [by_number[n] for n in numbers_]),
        )
        for tf, numbers_ in tumor_plans
    )
    cost = _cost(t.position for t in targets)
    return Plan(
        access=access,
        tumors=plans,
        positions=targets,
        cost=cost,
        alternatives=_alternatives(routes, required, chosen, reach_at, tumor_segments, access),
        warnings=plan_warnings(routes, tumors),
        routes=routes,
    )


def _observed_reach(
    routes: RouteMap, found: Iterable[TumorFeeders]
) -> dict[str, frozenset[Segment]]:
    """Segments reached through observed feeders beyond their stated territory, per vessel
    on the way up (so a tip above an observed collateral treats the tumor it feeds)."""
    extra: dict[str, frozenset[Segment]] = {}
    for tf in found:
        if not tf.tumor.feeders:
            continue  # no observed feeders
        for feeder in tf.feeders:
            if not feeder.observed:
                continue
            missing = tf.tumor.segments - segments_of(routes.note.territories.reach_bits[feeder.at])
            node: str | None = feeder.vessel
            while missing and node is not None:
                have = extra.get(node, _EMPTY)
                if missing <= have:
                    break
                extra[node] = have | missing
                node = routes.parent[node]
    return extra


def _recommend(
    routes: RouteMap, required: set[int], extra: Mapping[int, int], tumor_bits: int
) -> tuple[list[int], list[int], dict[int, list[int]]]:
    """The recommended positions (pre-order positions; one post-order DP, one descent);
    per position the lowest of them on its chain (-1: none; set for every required
    feeder and its ancestors, the vessels the descent visits); and per chosen position
    the required feeders it serves, in pre-order (the same whichever tumor they feed).

    ``closed[v]``: best cost covering every required feeder below ``v`` by tips below
    ``v``; ``opened[v]``: the same, but feeders whose chain runs on above ``v`` may be left
    to a tip above. Ties keep the tips lower (more selective). Territories are masks:
    a tip's non-tumor segments are the bits of its reach outside the tumors'.
    """
    extends, allowed = routes.extends_at, routes.allowed_at
    below, up = routes.below_at, routes.up
    reach_bits = routes.note.territories.reach_bits
    outside = ~tumor_bits
    n = len(up)
    # A cost (non-target vessels downstream, non-tumor segments, positions) is packed into
    # one integer, 40 bits a component: integer order is then the lexicographic order,
    # and sums stay exact (no component of a real tree comes near 2**40).
    # A vessel with a required feeder below has children whose closed costs sum above 0
    # (every such cost includes a tip), so ``sums_closed[v] > 0`` also says "needed".
    chain_below = [False] * n  # a required feeder's chain reaches this vessel from a child
    sums_closed = [0] * n  # per vessel: its children's closed costs, summed
    sums_open = [0] * n  # … and their open costs
    take = [False] * n  # a tip here is in the best closed cover
    is_required = [False] * n
    for i in required:
        is_required[i] = True
    # A tip's cost includes its children's open costs plus one position, so it always
    # exceeds leaving the chain open: with the chain open, a vessel never takes a tip,
    # and its open cost is its children's.
    # A tip's own cost at each vessel, before its children's open costs are added.
    own_cost = [
        (non_target << 80) + ((reach & outside).bit_count() << 40) + 1
        for non_target, reach in zip(below, reach_bits, strict=True)
    ]
    for i, bits in extra.items():
        own_cost[i] = (below[i] << 80) + (((reach_bits[i] | bits) & outside).bit_count() << 40) + 1
    for i in range(n - 1, -1, -1):
        required_here = is_required[i]
        sum_closed = sums_closed[i]
        if not required_here and not sum_closed:
            continue  # no required feeder below: costs nothing, never visited again
        chain_here = required_here or chain_below[i]
        closed = sum_closed
        if chain_here and allowed[i]:
            tip = own_cost[i] + sums_open[i]
            if required_here or tip < sum_closed:
                closed = tip
                take[i] = True
        parent = up[i]
        if parent >= 0:
            sums_closed[parent] += closed
            if extends[i]:
                sums_open[parent] += sums_open[i]
                if chain_here:
                    chain_below[parent] = True
            else:
                sums_open[parent] += closed
    # Descent in pre-order: a needed vessel's parent is needed too, so each vessel learns
    # from its parent whether a tip above it left its chain open. Chosen tips come out in
    # pre-order.
    chosen: list[int] = []
    open_below = [False] * n
    tip_at = [-1] * n
    served: dict[int, list[int]] = {}
    for i in range(n):
        if not sums_closed[i] and not is_required[i]:
            continue
        parent = up[i]
        if parent >= 0 and extends[i] and open_below[parent]:
            open_below[i] = True  # a tip above covers this chain
            tip_at[i] = tip_at[parent]
        elif take[i]:
            chosen.append(i)
            open_below[i] = True
            tip_at[i] = i
            served[i] = []
        elif extends[i]:
            tip_at[i] = tip_at[parent]
        if is_required[i]:  # covered: the DP leaves no required feeder without a tip
            served[tip_at[i]].append(i)
    return chosen, tip_at, served


def _advice(routes: RouteMap, tip: Position) -> tuple[RouteAdvice, ...]:
    """Variant advice for a tip: its hepatic artery's origin, and the hepatic trunk's when
    the route passes through the trunk."""
    note = routes.note
    groups: list[tuple[RouteAdvice, ...]] = []
    artery = routes.artery.get(note.artery_of.get(tip.vessel, ""))
    if artery is not None:
        groups.append(advice_for_artery(artery.side, artery.status, artery.origin_kind))
    if any(n in note.axis for n in tip.path):
        groups.append(advice_for_trunk(note.axis_origin_kind))
    return merge(groups)


def _cost(positions: Iterable[Position]) -> Cost:
    items = list(positions)
    return Cost(
        non_target_branches=sum(len(p.downstream) + (p.tip_non_target is not None) for p in items),
        non_tumor_segments=sum(len(p.non_tumor_segments) for p in items),
        positions=len(items),
    )


def _alternatives(
    routes: RouteMap,
    required: set[int],
    chosen: list[str],
    reach_at: Callable[[int], frozenset[Segment]],
    tumor_segments: frozenset[Segment],
    access: Access,
) -> tuple[Alternative, ...]:
    order, up, extends = routes.order, routes.up, routes.extends_at
    axis = set(routes.note.axis)

    def whole_liver(lobar: int) -> int:
        if order[lobar] in axis or not extends[lobar]:
            return lobar
        return up[lobar] if up[lobar] >= 0 else lobar  # the axis vessel the artery arises from

    if not required:
        return ()
    lobar_tops = {routes.lobar_at[f] for f in required}
    ways = (
        (
            "lobar",
            "one tip per hepatic artery (lobar TACE), below the hepatic axis",
            lobar_tops,
        ),
        (
            "whole_liver",
            "one tip in the hepatic axis (PHA, or CHA) for the arteries arising "
            "from it; aberrant arteries at their origin",
            {whole_liver(lobar) for lobar in lobar_tops},
        ),
    )
    seen = {tuple(chosen): "recommended"}
    out = []
    for name, description, picked in ways:
        kept_at = [i for i in sorted(picked) if not _covered_above(routes, i, picked)]
        kept = tuple(order[i] for i in kept_at)
        positions = tuple(
            position(routes, order[i], access, reach_at(i), tumor_segments, at=i) for i in kept_at
        )
        out.append(Alternative(name, description, positions, _cost(positions), seen.get(kept)))
        seen.setdefault(kept, name)
    return tuple(out)


def _covered_above(routes: RouteMap, i: int, picked: set[int]) -> bool:
    current = i
    while routes.extends_at[current]:
        current = routes.up[current]
        if current in picked:
            return True
    return False
