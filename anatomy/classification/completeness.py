"""Completeness: what a study cannot exclude, and only that.

A study may lack a run (no SMA, no left gastric artery, no celiac trunk, or it does not
start at the aorta). A missing run can only *add* arteries that arise from the trunk it
would show; it cannot take away what the study shows. So a Michels type (or Hiatt 6) stays
open exactly when the anatomy the study shows can become that type by adding arteries
from missing runs:

- the hepatic trunk's origin, when the study shows it, must be the type's; when it does
  not (no trunk at all, or the study starts at the trunk), the type's trunk must arise
  from a missing run;
- on each side (right liver V–VIII, left lateral II–III), normal supply the study shows
  rules out a type without it (a *replaced* artery is the side's only supply), and a type's
  normal supply the study lacks can only come from a trunk it does not show;
- every aberrant artery the study shows must be in the type, and every aberrant artery the
  type adds must arise from a missing run.

A celiac run showing an RHA (V–VIII) and an LHA (II–IV) therefore excludes every replaced
artery and an SMA-borne trunk; an accessory RHA from the SMA (VI, and VII while the LGA is
not shown) stays open (DESIGN.md, "Completeness"). A headline type that another type could
still replace is *provisional*. The plan's warnings about missing runs read the same open
types (``open_by_run``). Segments with no identified supply are listed too, with where such
a feeder usually is (data/usual_feeders.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from anatomy.classification.annotate import Anatomy
from anatomy.classification.signature import SideState, Signature
from anatomy.reference.patterns import (
    Pattern,
    Rule,
    SideRule,
    UsualFeeder,
    hiatt_types,
    michels_patterns,
    trunk_runs,
    usual_feeders,
)
from anatomy.reference.vocabulary import kind
from anatomy.segments import ALL_SEGMENTS, segment_names, segments_of

__all__ = [
    "Addition",
    "Completeness",
    "OpenType",
    "completeness",
    "missing_runs",
    "open_by_run",
    "usual_feeders_for",
]

_SIDES = (("right", "right hepatic artery"), ("left", "left hepatic artery"))


@dataclass(frozen=True, slots=True)
class Addition:
    """An artery a missing run would have to show: "an accessory right hepatic artery from
    the SMA" (side right), or "the hepatic trunk from the SMA" (side both)."""

    run: str  # the trunk kind it would arise from (a key of `trunk_runs`)
    side: str  # right | left | both
    text: str


@dataclass(frozen=True, slots=True)
class OpenType:
    """A type the study cannot exclude, and what missing runs would have to show for it."""

    type: str  # a Michels type ("VI", "VIIIb") or "Hiatt 6"
    additions: tuple[Addition, ...]

    @property
    def runs(self) -> tuple[str, ...]:
        """The missing runs that could show it, in the order of ``trunk_runs``."""
        wanted = {a.run for a in self.additions}
        return tuple(r for r in trunk_runs() if r in wanted)

    @property
    def could_show(self) -> tuple[str, ...]:
        return tuple(a.text for a in self.additions)

    @property
    def because(self) -> str:
        """Why the study leaves it open, one clause per missing run."""
        runs = trunk_runs()
        return "; ".join(runs[r] for r in self.runs)


@dataclass(frozen=True, slots=True)
class Completeness:
    """What the study shows and what it leaves open."""

    missing_runs: tuple[str, ...]
    open_types: tuple[OpenType, ...]
    provisional: bool  # a headline type that an open type could still replace
    unsupplied: tuple[str, ...]  # segment names with no identified supply


def present_kinds(note: Anatomy) -> frozenset[str]:
    """The kinds the study names, with the kinds they count as (a hepatomesenteric trunk
    shows the SMA) and the runs they show (a gastrosplenic trunk is the celiac run)."""
    return _present(note.kinds_present)


@lru_cache(maxsize=4096)
def _present(kinds: frozenset[str]) -> frozenset[str]:
    out: set[str] = set()
    for name in kinds:
        entry = kind(name)
        out.add(name)
        if entry.counts_as:
            out.add(entry.counts_as)
        out.update(entry.shows_runs)
    return frozenset(out)


def missing_runs(note: Anatomy) -> tuple[str, ...]:
    """The trunk runs the study lacks (keys of ``trunk_runs``), in the data's order."""
    present = present_kinds(note)
    return tuple(run for run in trunk_runs() if run not in present)


def completeness(note: Anatomy, signature: Signature, match: Pattern | None) -> Completeness:
    """What the study cannot exclude given the type it matched (``match``, or None)."""
    missing = missing_runs(note)
    found = _open_types(
        signature, bool(note.axis), frozenset(missing), match.type if match else None
    )
    return Completeness(
        missing_runs=missing,
        open_types=found,
        provisional=match is not None and bool(found),
        unsupplied=tuple(segment_names(ALL_SEGMENTS - segments_of(note.territories.reach_bits[0]))),
    )


@lru_cache(maxsize=4096)
def _open_types(
    signature: Signature, has_axis: bool, gone: frozenset[str], matched: str | None
) -> tuple[OpenType, ...]:
    """The types the missing runs leave open: a function of the signature alone, so a
    registry's many cases of one shape compute it once."""
    found = []
    for name, rule in _candidates():
        if name == matched:
            continue
        adds = _additions(rule, signature, has_axis, gone)
        if adds:  # (none: the anatomy shown is this type but for something no run adds)
            found.append(OpenType(name, tuple(adds)))
    return tuple(found)


def open_by_run(found: Completeness) -> Mapping[str, tuple[OpenType, ...]]:
    """The open types each missing run could show (runs with none are left out)."""
    out: dict[str, list[OpenType]] = {}
    for item in found.open_types:
        for run in item.runs:
            out.setdefault(run, []).append(item)
    return {run: tuple(items) for run, items in out.items()}


def usual_feeders_for(segment: str) -> tuple[UsualFeeder, ...]:
    """Where a segment's feeder usually is (data/usual_feeders.yaml); IVa, IVb read IV."""
    key = "IV" if segment in ("IVa", "IVb") else segment
    return usual_feeders().get(key, ())


@cache
def _candidates() -> tuple[tuple[str, Rule], ...]:
    """Every Michels type's rule, and Hiatt 6's (CHA from the aorta, no Michels type)."""
    out = [(p.type, p.rule) for p in michels_patterns() if p.type and p.rule]
    out += [(f"Hiatt {t.type}", t.rule) for t in hiatt_types() if t.rule and not t.michels]
    return tuple(out)


def _additions(
    rule: Rule, seen: Signature, has_axis: bool, missing: frozenset[str]
) -> list[Addition] | None:
    """What the missing runs would have to show for the anatomy to be ``rule``'s type; None
    when what the study shows excludes it."""
    adds: list[Addition] = []
    trunk = rule.hepatic_trunk_from
    trunk_unseen = False
    if seen.hepatic_trunk_from is not None:
        if trunk != seen.hepatic_trunk_from:
            return None
    else:  # the study does not show where the trunk arises: from a run it lacks, then
        if trunk not in missing:
            return None
        trunk_unseen = not has_axis  # no trunk at all: its normal supply is unseen too
        adds.append(Addition(trunk, "both", f"the hepatic trunk from the {_origin(trunk)}"))
    for side, artery in _SIDES:
        got: SideState = getattr(seen, side)
        want: SideRule = getattr(rule, side)
        if got.normal and not want.normal:
            return None  # a replaced artery is the side's only supply, and this side has more
        if want.normal and not got.normal and not trunk_unseen:
            return None  # normal supply would come from a trunk the study shows
        shown = got.replaced_from | got.accessory_from
        wanted = want.replaced_from | want.accessory_from
        if not shown <= wanted:
            return None
        for origin in sorted(wanted - shown):
            if origin not in missing:
                return None
            status = "a replaced" if origin in want.replaced_from else "an accessory"
            adds.append(Addition(origin, side, f"{status} {artery} from the {_origin(origin)}"))
    return adds


def _origin(name: str) -> str:
    return kind(name).short
