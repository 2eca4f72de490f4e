"""The plan's warnings and prompts: what it cannot reach and what the study has not shown.

Per tumor: segments with no feeder (and where such a feeder usually is), feeders that
are visceral trunks, variant route advice, dual supply, an accessory and a native artery
sharing a segment, the tip prompts (prompts.py: protect first, branches not shown,
superselect, ways in, names re-read), territories assumed rather than stated, and the
extrahepatic collaterals to look for (tumors of 5 cm or more, dome, bare-area or
subcapsular sites). Per plan: staging for tumors in both lobes, and what the study cannot
show (a partial study, and per missing run the types completeness leaves open).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from anatomy.case import Tumor
from anatomy.classification.completeness import (
    OpenType,
    completeness,
    open_by_run,
    usual_feeders_for,
)
from anatomy.classification.signature import signature
from anatomy.planning.feeders import Feeder, TumorFeeders
from anatomy.planning.positions import Target, short_name
from anatomy.planning.prompts import (
    Prompt,
    name_rereads,
    not_shown,
    protect_first,
    stage_lobes,
    superselect,
    ways_in,
)
from anatomy.planning.routes import RouteMap
from anatomy.reference.collaterals import (
    Collateral,
    collateral_priors,
    collaterals_for,
    location_hints,
    ranked_first,
    size_band,
)
from anatomy.reference.patterns import UsualFeeder, trunk_runs
from anatomy.reference.vocabulary import kind
from anatomy.segments import CAUDATE, LEFT, RIGHT, SEGMENT_IV, Segment, describe, segment_names

__all__ = [
    "COLLATERAL_LEAD",
    "CollateralCheck",
    "PlanWarning",
    "plan_warnings",
    "tumor_warnings",
]

COLLATERAL_LEAD = "look for them, in order:"
_SHOWN = 4  # usual feeders named in a message; the JSON lists them all


@dataclass(frozen=True, slots=True)
class CollateralCheck:
    """A collateral to look for, and the case vessels of its kinds already feeding."""

    collateral: Collateral
    seen: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanWarning:
    """A warning or prompt, with a stable code and what it is about."""

    code: str
    message: str
    tumor: str | None = None
    vessel: str | None = None
    segments: tuple[str, ...] = ()
    collaterals: tuple[CollateralCheck, ...] = ()
    usual_feeders: tuple[UsualFeeder, ...] = ()
    advice: str | None = None  # route-advice id
    sources: tuple[str, ...] = ()
    run: str | None = None  # missing_run: the trunk kind whose run the study lacks
    position: int | None = None  # a tip prompt: the position number it concerns
    brief: str | None = None  # the same in a few words, for lists


def _name(routes: RouteMap, node: str) -> str:
    shown = short_name(routes, node)
    return node if shown == node else f"{shown} ({node})"


def tumor_warnings(
    routes: RouteMap,
    found: TumorFeeders,
    targets: Sequence[Target],
    by_target: dict[int, tuple[list[Prompt], list[Prompt]]] | None = None,
) -> tuple[PlanWarning, ...]:
    """Every warning about one tumor, in a fixed order of codes. ``by_target`` keeps each
    position's own prompts (protect first, not shown) for the plan's other tumors."""
    tumor = found.tumor
    out: list[PlanWarning] = []
    out += _no_feeder(found)
    if not found.plain:
        out += _unreachable(routes, tumor, found.feeders)
    seen_advice: set[str] = set()
    for target in targets:
        for item in target.advice:
            if item.id in seen_advice:
                continue
            seen_advice.add(item.id)
            out.append(
                PlanWarning(
                    "variant_route",
                    f"{item.advice} Route: {item.route}.",
                    tumor.id,
                    target.position.vessel,
                    advice=item.id,
                    sources=item.sources,
                )
            )
    out += _shared_supply(routes, tumor, found.feeders)
    prompts = ways_in(routes, found)
    for target in targets:
        own = None if by_target is None else by_target.get(target.number)
        if own is None:
            own = (protect_first(routes, target), not_shown(routes, target))
            if by_target is not None:
                by_target[target.number] = own
        prompts += own[0]
        prompts += superselect(routes, found, target)
        prompts += own[1]
    prompts += name_rereads(routes, targets)
    out += [_warning(p, tumor.id) for p in prompts]
    for feeder in () if found.plain else found.feeders:
        if feeder.assumed:
            label = routes.note.tree.vessel[feeder.vessel].kind
            what = kind(label).label if label else "its kind"
            out.append(
                PlanWarning(
                    "assumed_territory",
                    f"{_name(routes, feeder.vessel)}'s supply of {describe(feeder.assumed)} is "
                    f"assumed from its name ({what}), not stated in the case: confirm it on "
                    "angiography before relying on this route.",
                    tumor.id,
                    feeder.vessel,
                    tuple(segment_names(feeder.assumed)),
                )
            )
    check = _collateral_check(routes, tumor, found.feeders)
    if check is not None:
        out.append(check)
    return tuple(out)


def _no_feeder(found: TumorFeeders) -> list[PlanWarning]:
    if not found.unsupplied:
        return []
    out = []
    observed = [f.vessel for f in found.feeders if f.observed]
    for name in segment_names(found.unsupplied):
        usual = tuple(usual_feeders_for(name))
        where = "; ".join(
            f"{u.where} ({u.study}"
            + (f", {u.percent:g}%" if u.percent is not None else "")
            + f"; {u.source})"
            for u in usual[:_SHOWN]
        )
        if len(usual) > _SHOWN:
            where += f"; and {len(usual) - _SHOWN} rarer sites (usual_feeders)"
        text = (
            f"Segment {name} of {found.tumor.id} has no identified feeder in this study, so "
            "no route is planned to it."
        )
        if where:
            text += f" Its feeder is usually found at: {where}."
        if observed:
            text += f" The tumor's observed feeders ({', '.join(observed)}) may supply it."
        out.append(
            PlanWarning("no_feeder", text, found.tumor.id, None, (name,), usual_feeders=usual)
        )
    return out


def _unreachable(routes: RouteMap, tumor: Tumor, feeders: Sequence[Feeder]) -> list[PlanWarning]:
    out = []
    for feeder in feeders:
        if feeder.reachable:
            continue
        name = routes.note.effective(feeder.vessel)
        entry = kind(name) if name else None
        organ = entry.organ_at_risk if entry and entry.organ_at_risk else "non-hepatic organs"
        what = describe(feeder.segments) if feeder.segments else "the tumor"
        trunk = "visceral trunk" if entry and entry.group == "visceral_trunk" else "trunk"
        out.append(
            PlanWarning(
                "feeder_is_trunk",
                f"{_name(routes, feeder.vessel)} feeds {what} directly (its own `supplies`), but "
                f"it is a {trunk}: an injection there embolizes the {organ}. No route is "
                "planned to it: find the branch that feeds the tumor, add it to the case, and "
                "select it.",
                tumor.id,
                feeder.vessel,
                tuple(segment_names(feeder.segments)),
            )
        )
    return out


def _source_text(routes: RouteMap, source: str) -> str:
    note = routes.note
    artery = routes.artery.get(source)
    if source in note.axis:
        return f"the hepatic axis ({_name(routes, source)})"
    if artery is not None:
        origin = (
            "the hepatic axis"
            if artery.normal
            else (_name(routes, artery.origin) if artery.origin else "outside the study")
        )
        return f"{_name(routes, source)}, {artery.status} from {origin}"
    return _name(routes, source)


def _above(routes: RouteMap, at: int, node: str) -> int:
    """The position of ``node``, an ancestor of position ``at`` (or ``at`` itself)."""
    while at >= 0 and routes.order[at] != node:
        at = routes.up[at]
    return at if at >= 0 else routes.index[node]


_SOURCE_AND_SEGMENTS = itemgetter(Feeder._fields.index("source"), Feeder._fields.index("segments"))


def _shared_supply(routes: RouteMap, tumor: Tumor, feeders: Sequence[Feeder]) -> list[PlanWarning]:
    """Dual supply: a segment fed from several sources (arteries, the axis, collaterals)."""
    by_segment: dict[Segment, set[str]] = {}
    for source, supplied in set(map(_SOURCE_AND_SEGMENTS, feeders)):  # few distinct pairs
        for segment in supplied:
            by_segment.setdefault(segment, set()).add(source)
    groups: dict[tuple[str, ...], set[Segment]] = {}
    shared = [found for found in by_segment.values() if len(found) > 1]
    if shared:
        # A source is its feeders' ancestor (or one of them): find its position above one.
        below = {f.source: f.at for f in feeders}
        at = {source: _above(routes, below[source], source) for source in below}
        for segment, found in by_segment.items():
            if len(found) > 1:
                key = tuple(sorted(found, key=at.__getitem__))
                groups.setdefault(key, set()).add(segment)
    out = []
    for sources, segments in sorted(groups.items(), key=lambda kv: min(s.rank for s in kv[1])):
        names = "; ".join(_source_text(routes, s) for s in sources)
        out.append(
            PlanWarning(
                "dual_supply",
                f"Segment {describe(segments)} of {tumor.id} is fed from {len(sources)} sources "
                f"({names}): each is a target, and embolizing one leaves the others feeding the "
                "tumor.",
                tumor.id,
                sources[0],
                tuple(segment_names(segments)),
            )
        )
        out += _accessory_and_native(routes, tumor, sources, frozenset(segments))
    return out


def _accessory_and_native(
    routes: RouteMap, tumor: Tumor, sources: tuple[str, ...], segments: frozenset[Segment]
) -> list[PlanWarning]:
    note = routes.note
    out = []
    for source in sources:
        artery = routes.artery.get(source)
        if artery is None or artery.status != "accessory":
            continue
        natives = [
            s
            for s in sources
            if s != source
            and (
                s in note.axis
                or (
                    s in routes.artery
                    and routes.artery[s].normal
                    and routes.artery[s].side == artery.side
                )
            )
        ]
        if not natives:
            continue
        out.append(
            PlanWarning(
                "accessory_and_native",
                f"The accessory artery {_name(routes, source)} and the native "
                f"{', '.join(_name(routes, n) for n in natives)} share segment {describe(segments)}"
                ": angiograph both before embolizing; the tumor may be fed by either or both.",
                tumor.id,
                source,
                tuple(segment_names(segments)),
            )
        )
    return out


def _warning(prompt: Prompt, tumor: str | None) -> PlanWarning:
    return PlanWarning(
        prompt.code,
        prompt.message,
        tumor,
        prompt.vessel,
        prompt.segments,
        sources=prompt.sources,
        position=prompt.position,
        brief=prompt.brief,
    )


def _collateral_check(
    routes: RouteMap, tumor: Tumor, feeders: Sequence[Feeder]
) -> PlanWarning | None:
    priors = collateral_priors()
    hints = location_hints(tumor.label, tumor.location)
    large = tumor.diameter_mm is not None and tumor.diameter_mm >= priors.size_threshold_mm
    if not large and not hints:
        return None
    rows = collaterals_for(tumor.segments, hints)
    if not rows:
        return None
    feeding = {f.vessel: routes.note.tree.vessel[f.vessel].kind for f in feeders}
    checks = tuple(
        CollateralCheck(row, tuple(sorted(v for v, k in feeding.items() if k in row.kinds)))
        for row in rows
    )
    why = []
    if large:
        assert tumor.diameter_mm is not None
        text = f"{tumor.diameter_mm:g} mm, ≥ {priors.size_threshold_mm:g} mm"
        band = size_band(tumor.diameter_mm)
        if band is not None:
            span = (
                f"{band.min_mm:g}-{band.max_mm:g} mm"
                if band.max_mm is not None
                else f"over {band.min_mm:g} mm"
            )
            text += (
                f"; {band.percent:g}% of patients with tumors of {span} had extrahepatic "
                f"arteries, {band.source}"
            )
        why.append(text)
    if hints:
        why.append("location: " + ", ".join(h.replace("_", " ") for h in sorted(hints)))
    listed = "; ".join(
        f"{i}. {c.collateral.name}"
        + (f" (seen: {', '.join(c.seen)})" if c.seen else f" ({c.collateral.study})")
        + (f" — {ranked_first(rule)}" if (rule := c.collateral.ranked_by) else "")
        for i, c in enumerate(checks, start=1)
    )
    sources = tuple(
        sorted(
            {s for c in checks for s in c.collateral.sources} | set(priors.size_threshold_sources),
            key=lambda s: int(s[1:]),
        )
    )
    return PlanWarning(
        "collateral_check",
        f"Extrahepatic collaterals may feed {tumor.id} ({'; '.join(why)}): {COLLATERAL_LEAD} "
        f"{listed}.",
        tumor.id,
        None,
        tuple(segment_names(tumor.segments)),
        collaterals=checks,
        sources=sources,
    )


# -- plan-wide ---------------------------------------------------------------------------


def plan_warnings(routes: RouteMap, tumors: Sequence[Tumor]) -> tuple[PlanWarning, ...]:
    """What the study cannot show, for the tumors being planned: the same open types as the
    classification's completeness (classification/completeness.py), per missing run, when
    what that run could show would feed a tumor's segments."""
    if not tumors:
        return ()
    note = routes.note
    segments = frozenset().union(*(t.segments for t in tumors))
    out = []
    root = routes.order[0]
    root_kind = note.tree.vessel[root].kind
    if root_kind is None or not kind(root_kind).has("complete_study_root"):
        out.append(
            PlanWarning(
                "partial_study",
                f"The study starts at {_name(routes, root)}, not the aorta: arteries arising "
                "elsewhere (from the aorta, the SMA, the phrenic arteries) cannot be excluded, "
                "and the route above the root is assumed (aorta).",
                vessel=root,
            )
        )
    out += [_warning(p, None) for p in stage_lobes(tumors)]
    found = completeness(note, signature(note), None)
    for run, types in open_by_run(found).items():
        additions = [a for t in types for a in t.additions if a.run == run]
        fed = (
            segments
            & _SIDE_SEGMENTS[
                "both"
                if any(a.side == "both" for a in additions)
                else "+".join(sorted({a.side for a in additions}))
            ]
        )
        if not fed:
            continue
        shows = list(dict.fromkeys(a.text for a in additions))
        because = trunk_runs()[run]
        out.append(
            PlanWarning(
                "missing_run",
                f"{because[0].upper()}{because[1:]}: {_or(shows)} cannot be excluded "
                f"({_type_list(types)}), and would feed segment{'s' if len(fed) > 1 else ''} "
                f"{describe(fed)} of the tumors planned here. Do that run before embolizing.",
                segments=tuple(segment_names(fed)),
                run=run,
            )
        )
    return tuple(out)


_SIDE_SEGMENTS = {
    "right": RIGHT | CAUDATE,
    "left": LEFT | SEGMENT_IV | CAUDATE,
    "left+right": RIGHT | LEFT | SEGMENT_IV | CAUDATE,
    "both": RIGHT | LEFT | SEGMENT_IV | CAUDATE,
}


def _or(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _type_list(types: Sequence[OpenType]) -> str:
    michels = [t.type for t in types if not t.type.startswith("Hiatt")]
    others = [t.type for t in types if t.type.startswith("Hiatt")]
    return ", ".join(([f"Michels {', '.join(michels)}"] if michels else []) + others)
