"""What the operator must do or check at each tip, beyond the route itself.

- *Protect first*: a tip with a non-target branch downstream is chosen only when nothing
  else reaches the feeder; the plan then says which branch, its organ at risk, and how to
  protect it before embolizing (data/non_target.yaml: coil embolization, balloon occlusion,
  an anti-reflux microcatheter; an ice pack for the falciform artery's skin territory).
- *Not recorded is not absent*: a branch the study does not show (right gastric, cystic,
  supraduodenal, falciform, accessory left gastric …) whose usual origin lies at or below a
  tip is prompted for, with where it usually arises and how often; the plan never says
  "nothing extrahepatic downstream" about branches nobody looked for.
- *Superselect*: a lobar or sectoral tip chosen only because no finer branch is drawn says
  so, and names the segment branch to select (ideally with cone-beam CT).
- *A way in*: an observed feeder on the hepatic axis is passed through, not injected.
- *Names re-read*: a vessel on the route whose name its territory contradicts is named as
  the classifier reads it, and the classifier's warning is repeated.
- *Staging*: tumors in both lobes are treated one lobe per session (CIRSE 2021, S72).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from anatomy.case import Tumor
from anatomy.planning.feeders import TumorFeeders
from anatomy.planning.positions import NonTarget, Target, short_name
from anatomy.planning.routes import RouteMap
from anatomy.reference.non_target import UsualOrigins, usual_origins
from anatomy.reference.vocabulary import all_kinds, kind, side_artery
from anatomy.segments import IV_BITS, LEFT_BITS, RIGHT_BITS, describe, mask_of, segment_names

__all__ = [
    "Prompt",
    "name_rereads",
    "not_shown",
    "protect_first",
    "stage_lobes",
    "superselect",
    "ways_in",
]

CIRSE_TACE = "S72"  # CIRSE standards of practice on TACE (Lucatelli 2021)
_A_NUMBER = {"I": "A1", "II": "A2", "III": "A3", "IV": "A4", "IVa": "A4", "IVb": "A4"}
_A_NUMBER |= {"V": "A5", "VI": "A6", "VII": "A7", "VIII": "A8"}


@dataclass(frozen=True, slots=True)
class Prompt:
    """What a warning needs: a stable code, the sentence, and what it is about."""

    code: str
    message: str
    vessel: str | None = None
    segments: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    position: int | None = None  # the plan's position number it concerns
    brief: str | None = None  # the same in a few words, for lists (not_shown)


def _name(routes: RouteMap, node: str) -> str:
    shown = short_name(routes, node)
    return node if shown == node else f"{shown} ({node})"


def _or(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _branches(target: Target) -> list[NonTarget]:
    tip = target.position
    return ([tip.tip_non_target] if tip.tip_non_target else []) + list(tip.downstream)


def protect_first(routes: RouteMap, target: Target) -> list[Prompt]:
    """Each non-target vessel at or below a chosen tip: protect it first, and how."""
    tip = target.position
    out = []
    for branch in _branches(target):
        inside = branch.vessel == tip.vessel
        how = _or([m.label for m in branch.protection]) if branch.protection else "protect it"
        where = (
            "the tip lies in it"
            if inside
            else f"it arises downstream of the tip, from {_name(routes, _parent(routes, branch))}"
        )
        out.append(
            Prompt(
                "protect_first",
                f"Position {target.number} ({_name(routes, tip.vessel)}) reaches its feeders "
                f"only with {branch.name} ({branch.vessel}) protected first: {where}; organ at "
                f"risk: {branch.organ_at_risk or 'not stated'}. Options: {how}.",
                branch.vessel,
                sources=tuple(sorted({s for m in branch.protection for s in m.sources})),
                position=target.number,
            )
        )
    return out


def _parent(routes: RouteMap, branch: NonTarget) -> str:
    return routes.parent[branch.vessel] or branch.vessel


@cache
def _prompted() -> tuple[UsualOrigins, ...]:
    return usual_origins()


def not_shown(routes: RouteMap, target: Target) -> list[Prompt]:
    """Branches the study does not show whose usual origin lies at or below the tip."""
    note = routes.note
    drawn = note.kinds_present
    readings = _readings_below(routes, target.position.at)
    right_replaced = any(a.side == "right" and a.status == "replaced" for a in note.arteries)
    out = []
    for branch in _prompted():
        if branch.kind in drawn:
            continue
        rows = [
            o for o in branch.origins if o.origin in readings and (o.when is None or right_replaced)
        ]
        if not rows:
            continue
        entry = kind(branch.kind)
        where = "; ".join(
            f"from the {kind(o.origin).short}: {o.how_often} [{o.source}]" for o in rows
        )
        present = f"; present in {branch.present}" if branch.present else ""
        out.append(
            Prompt(
                "not_shown",
                f"Not shown at position {target.number} ({_name(routes, target.position.vessel)})"
                f": the {entry.label}, whose usual origin lies at or below the tip ({where}"
                f"{present}). Look for it before embolizing (organ at risk: "
                f"{entry.organ_at_risk or 'not stated'}).",
                target.position.vessel,
                sources=tuple(sorted({o.source for o in rows}, key=lambda s: int(s[1:]))),
                position=target.number,
                brief=f"the {entry.label} ({where}{present}; organ at risk: "
                f"{entry.organ_at_risk or 'not stated'})",
            )
        )
    return out


def _readings_below(routes: RouteMap, at: int) -> set[str]:
    """The kinds the vessels at or below position ``at`` are read as: their effective kind,
    a hepatic artery's side kind (an unnamed left-liver artery is a left hepatic artery), and
    the hepatic axis as common and proper hepatic artery."""
    note = routes.note
    end = at + routes.size_at[at]
    out: set[str] = set()
    named = note.named_at
    for i in named[bisect_left(named, at) : bisect_left(named, end)]:
        name = note.effective(routes.order[i])
        if name is not None:
            out.add(name)
    for artery in note.arteries:
        if at <= artery.at < end:
            out.add(side_artery(artery.side).name)
    if any(at <= i < end for i in note.axis_at):
        out |= _axis_kinds()
    return out


@cache
def _axis_kinds() -> frozenset[str]:
    return frozenset(k.name for k in all_kinds() if k.group == "hepatic_axis")


def superselect(routes: RouteMap, found: TumorFeeders, target: Target) -> list[Prompt]:
    """A tip that treats non-tumor liver only because the tumor's segment branch is not
    drawn (the tip vessel feeds the tumor through its own ``supplies``)."""
    tip = target.position
    if not tip.non_tumor_segments or tip.level in ("segmental", "subsegmental", "extrahepatic"):
        return []
    mine = [f for f in found.feeders if f.vessel == tip.vessel and f.segments]
    if not mine:
        return []
    wanted = segment_names(frozenset().union(*(f.segments for f in mine)))
    branches = ", ".join(f"segment {s} ({_A_NUMBER[s]})" for s in wanted)
    return [
        Prompt(
            "superselect",
            f"Position {target.number} ({_name(routes, tip.vessel)}, "
            f"{tip.level.replace('_', ' ')}) also treats {describe(tip.non_tumor_segments)} "
            f"only because no finer branch is drawn: superselect the branch to {branches}, "
            "ideally with cone-beam CT.",
            tip.vessel,
            tuple(wanted),
            (CIRSE_TACE,),
            target.number,
        )
    ]


def ways_in(routes: RouteMap, found: TumorFeeders) -> list[Prompt]:
    """Observed feeders on the hepatic axis: passed through, the tip goes below them."""
    if found.plain:
        return []
    out = []
    below = [f for f in found.feeders if not f.way_in and f.segments]
    for feeder in (f for f in found.feeders if f.way_in):
        at, size = feeder.at, routes.size_at[feeder.at]
        names = [_name(routes, f.vessel) for f in below if at < f.at < at + size]
        verb = "supplies" if len(names) == 1 else "supply"
        out.append(
            Prompt(
                "way_in",
                f"The observed feeder {_name(routes, feeder.vessel)} is on the hepatic axis: "
                f"a way in, not a tip. The tip goes below it, to {', '.join(names)}, which "
                f"{verb} the tumor's segments; an injection in the axis reaches every branch "
                "it gives.",
                feeder.vessel,
            )
        )
    return out


def name_rereads(routes: RouteMap, targets: Iterable[Target]) -> list[Prompt]:
    """The classifier's warning about each vessel on a route whose name its territory
    contradicts (the route names the vessel as the classifier reads it)."""
    note = routes.note
    said = {w.vessel: w for w in note.warnings if w.code == "kind_contradicted"}
    out, seen = [], set()
    for target in targets:
        for node in target.position.path:
            warning = said.get(node)
            if warning is not None and node not in seen:
                seen.add(node)
                out.append(
                    Prompt(
                        "name_reread",
                        f"On the route to position {target.number}: {warning.message}",
                        node,
                        position=target.number,
                    )
                )
    return out


def stage_lobes(tumors: Sequence[Tumor]) -> list[Prompt]:
    """Tumors in both lobes: one lobe per session (CIRSE standards of practice, S72)."""
    right = [t for t in tumors if mask_of(t.segments) & RIGHT_BITS]
    left = [t for t in tumors if mask_of(t.segments) & (LEFT_BITS | IV_BITS)]
    if not right or not left:
        return []
    where = "; ".join(
        f"{t.id} in {describe(t.segments)}" for t in sorted({*right, *left}, key=lambda t: t.id)
    )
    return [
        Prompt(
            "stage_lobes",
            f"Tumors in both lobes ({where}): treat one lobe per session, in staged "
            "procedures, rather than both lobes at once (CIRSE standards of practice on TACE).",
            sources=(CIRSE_TACE,),
        )
    ]
