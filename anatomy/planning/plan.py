"""The TACE plan: per tumor, the catheter positions that reach all its feeders, safest and
most selective first (DESIGN.md, "Planning: the rules"; the choice is optimize.py's).

A plan holds, per tumor, its feeders, the numbered positions that reach them and the
warnings about it; the positions with their full routes, what lies downstream and how to
protect it; lobar and whole-liver alternatives with their costs; and what the study has not
shown.

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

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from anatomy.case import Tumor
from anatomy.classification.annotate import Anatomy
from anatomy.planning.feeders import Feeder, TumorFeeders, tumor_feeders
from anatomy.planning.optimize import Cost, TipChooser, merge_tips, tip_cost
from anatomy.planning.positions import Access, Position, RouteStep, Target, position
from anatomy.planning.prompts import Prompt
from anatomy.planning.routes import RouteMap, route_map
from anatomy.planning.warnings import PlanWarning, plan_warnings, tumor_warnings
from anatomy.reference.access import access_site
from anatomy.reference.route_advice import RouteAdvice, advice_for_artery, advice_for_trunk, merge
from anatomy.segments import Segment, mask_of, segments_of

__all__ = ["Alternative", "Cost", "Plan", "Target", "TumorPlan", "plan"]

_EMPTY: frozenset[Segment] = frozenset()


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
    extra = _observed_reach(routes, found)
    reach_bits = anatomy.territories.reach_bits
    treated = list(reach_bits)
    for i, bits in extra.items():
        treated[i] |= bits

    tumor_bits = mask_of(tumor_segments)

    def cost_of(tips: Iterable[int]) -> Cost:
        return Cost.unpack(sum(tip_cost(routes, treated, tumor_bits, i) for i in tips))

    chooser = TipChooser(routes, treated, tumor_bits)
    needs = [_required(tf) for tf in found]
    picks = [chooser.choose_groups(need) for need in needs]
    chosen, moved = merge_tips(routes, (tips for tips, _ in picks))
    numbers = {i: n + 1 for n, i in enumerate(chosen)}
    nearest: dict[int, int] = {}  # required feeder -> the chosen tip reaching it
    for _, groups in picks:
        for at, group in groups:
            nearest.update(dict.fromkeys(group, moved.get(at, at)))
    served_tumors: dict[int, list[str]] = {i: [] for i in chosen}
    tumor_targets = []
    for tf, need in zip(found, needs, strict=True):
        if len(need) == len(tf.feeders):  # every feeder required: each has its tip
            hits = sorted(set(map(nearest.__getitem__, need)))
        else:  # a way in, a trunk: the tips of the others (another tumor's may reach them)
            hits = sorted({nearest[f.at] for f in tf.feeders if f.at in nearest})
        for hit in hits:
            served_tumors[hit].append(tf.tumor.id)
        tumor_targets.append((tf, tuple(numbers[h] for h in hits)))
    served_feeders = _served_feeders(routes, chosen, nearest)
    positions = _Positions(routes, access, treated, tumor_segments)
    targets = []
    for i in chosen:
        tip = positions.at(i)
        targets.append(
            Target(
                number=numbers[i],
                position=tip,
                tumors=tuple(served_tumors[i]),
                feeders=served_feeders[i],
                advice=_advice(routes, tip),
            )
        )
    by_number = {t.number: t for t in targets}
    by_target: dict[int, tuple[list[Prompt], list[Prompt]]] = {}
    plans = tuple(
        TumorPlan(
            tumor=tf.tumor,
            feeders=tf.feeders,
            targets=hits,
            unsupplied=tf.unsupplied,
            warnings=tumor_warnings(routes, tf, [by_number[n] for n in hits], by_target),
        )
        for tf, hits in tumor_targets
    )
    required = set().union(*needs)
    return Plan(
        access=access,
        tumors=plans,
        positions=tuple(targets),
        cost=cost_of(chosen),
        alternatives=_alternatives(routes, required, chosen, cost_of, positions),
        warnings=plan_warnings(routes, tumors),
        routes=routes,
    )


class _Positions:
    """The plan's tip descriptions, each made once (the recommended tips and the
    alternatives share many)."""

    def __init__(
        self,
        routes: RouteMap,
        access: Access,
        treated: Sequence[int],
        tumor_segments: frozenset[Segment],
    ) -> None:
        self._routes, self._access, self._treated = routes, access, treated
        self._tumor_segments = tumor_segments
        self._made: dict[int, Position] = {}
        self._steps: dict[str, RouteStep] = {}

    def at(self, i: int) -> Position:
        """The tip at pre-order position ``i``, treating its territory and observed supply."""
        made = self._made.get(i)
        if made is None:
            routes = self._routes
            made = self._made[i] = position(
                routes,
                routes.order[i],
                self._access,
                segments_of(self._treated[i]),
                self._tumor_segments,
                at=i,
                steps=self._steps,
            )
        return made


def _served_feeders(
    routes: RouteMap, chosen: Sequence[int], nearest: dict[int, int]
) -> dict[int, tuple[str, ...]]:
    """Per chosen tip, the required feeders it reaches (vessel ids, in pre-order). A tip's
    feeders lie in its subtree, a run of pre-order positions; only where another chosen tip
    lies in that run must each feeder's own tip be read."""
    feeders = sorted(nearest)
    order, size = routes.order, routes.size_at
    out = {}
    for n, tip in enumerate(chosen):
        end = tip + size[tip]
        run = feeders[bisect_left(feeders, tip) : bisect_left(feeders, end)]
        if n + 1 < len(chosen) and chosen[n + 1] < end:  # a tip nested below this one
            run = [f for f in run if nearest[f] == tip]
        out[tip] = tuple(map(order.__getitem__, run))
    return out


def _required(found: TumorFeeders) -> list[int]:
    """A tumor's feeders that a tip must reach: reachable ones, not ways in."""
    return [f.at for f in found.feeders if f.reachable and not f.way_in]


def _observed_reach(routes: RouteMap, found: Iterable[TumorFeeders]) -> dict[int, int]:
    """Segments reached through observed feeders beyond their stated territory (masks), per
    pre-order position on the way up (so a tip above an observed collateral treats the tumor
    it feeds)."""
    reach = routes.note.territories.reach_bits
    up = routes.up
    extra: dict[int, int] = {}
    for tf in found:
        if not tf.tumor.feeders:
            continue
        want = mask_of(tf.tumor.segments)
        for feeder in tf.feeders:
            if not feeder.observed or feeder.way_in:
                continue
            missing = want & ~reach[feeder.at]
            i = feeder.at
            while missing and i >= 0:
                have = extra.get(i, 0)
                if missing & ~have == 0:
                    break
                extra[i] = have | missing
                i = up[i]
    return extra


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


def _alternatives(
    routes: RouteMap,
    required: set[int],
    chosen: list[int],
    cost_of: Callable[[Iterable[int]], Cost],
    positions: _Positions,
) -> tuple[Alternative, ...]:
    order, up, extends = routes.order, routes.up, routes.extends_at
    axis = set(routes.note.axis)

    def whole_liver(lobar: int) -> int:
        if order[lobar] in axis or not extends[lobar]:
            return lobar
        return up[lobar] if up[lobar] >= 0 else lobar  # the axis vessel the artery arises from

    if not required:
        return ()
    lobar_tops = set(map(routes.lobar_at.__getitem__, required))
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
        kept = tuple(i for i in sorted(picked) if not _covered_above(routes, i, picked))
        tips = tuple(map(positions.at, kept))
        out.append(Alternative(name, description, tips, cost_of(kept), seen.get(kept)))
        seen.setdefault(kept, name)
    return tuple(out)


def _covered_above(routes: RouteMap, i: int, picked: set[int]) -> bool:
    current = i
    while routes.extends_at[current]:
        current = routes.up[current]
        if current in picked:
            return True
    return False
