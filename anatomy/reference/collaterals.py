"""Extrahepatic collateral priors: the only door to data/collaterals.yaml.

Which extrahepatic ("parasitic") arteries to look for when a tumor is large or lies at
the dome, the bare area or under the capsule, each with its S-key sources, ranked by where
the tumor lies: the file's location rules put one collateral first for a site (dome or bare
area of S7/S8: right inferior phrenic; anterior subcapsular S4/S8: internal thoracic …),
the rest follow in the reference's order (right inferior phrenic first). The planner turns
these priors into a prompt; they are never routes.

>>> [c.id for c in collaterals_for(frozenset({Segment.VII}), frozenset())][:1]
['right-inferior-phrenic']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import load_yaml, validated
from anatomy.reference.vocabulary import all_kinds
from anatomy.segments import Segment, parse_segment, segment_names

__all__ = [
    "LOCATIONS",
    "Collateral",
    "CollateralPriors",
    "Location",
    "LocationRule",
    "SizeBand",
    "collateral_priors",
    "collaterals_for",
    "location_hints",
    "ranked_first",
    "ranking_rules",
    "size_band",
]

Location = Literal[
    "dome",
    "bare_area",
    "subcapsular",
    "anterior",
    "posterior",
    "lateral",
    "inferior",
    "gallbladder_bed",
]
#: The location terms a tumor's `location` may use (case-format), in this order.
LOCATIONS: tuple[str, ...] = get_args(Location)
_SKEY = r"^S\d+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _BandIn(_Strict):
    min_mm: float = Field(ge=0)
    max_mm: float | None = None
    percent: float = Field(ge=0, le=100)
    source: str = Field(pattern=_SKEY)


class _CollateralIn(_Strict):
    rank: int = Field(ge=1)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kinds: list[str] = Field(min_length=1)
    arises_from: str
    study: str
    segments: list[str] = Field(min_length=1)
    locations: list[Location] = []
    evidence: str
    certainty: str
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _skeys(self) -> _CollateralIn:
        bad = [s for s in self.sources if not re.match(_SKEY, s)]
        if bad:
            raise ValueError(f"sources must be S-keys of anatomy-facts §11, not {bad}")
        return self


class _LocationRuleIn(_Strict):
    site: str
    locations: list[Location] = Field(min_length=1)
    segments: list[str] = Field(min_length=1)
    first: str
    certainty: str
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _skeys(self) -> _LocationRuleIn:
        bad = [s for s in self.sources if not re.match(_SKEY, s)]
        if bad:
            raise ValueError(f"sources must be S-keys of anatomy-facts §11, not {bad}")
        return self


class _CollateralsIn(_Strict):
    format: Literal["hepatic-collaterals/1"]
    version: str
    size_threshold_mm: float = Field(gt=0)
    size_threshold_sources: list[str] = Field(min_length=1)
    size_bands: list[_BandIn]
    location_words: dict[Location, list[str]]
    location_rules: list[_LocationRuleIn] = []
    collaterals: list[_CollateralIn] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class LocationRule:
    """Where a tumor lies, and the collateral to look for first there."""

    site: str
    locations: frozenset[str]
    segments: frozenset[Segment]
    first: str  # a collateral id
    certainty: str
    sources: tuple[str, ...]

    def applies(self, segments: frozenset[Segment], locations: frozenset[str]) -> bool:
        """Every one of the rule's locations, and at least one of its segments."""
        return self.locations <= locations and bool(self.segments & segments)


@dataclass(frozen=True, slots=True)
class Collateral:
    """One extrahepatic collateral to look for, with where it feeds and the evidence."""

    rank: int
    id: str
    name: str
    kinds: tuple[str, ...]
    arises_from: str
    study: str
    segments: frozenset[Segment]
    locations: frozenset[str]
    evidence: str
    certainty: str
    sources: tuple[str, ...]
    # Set by collaterals_for: the location rule that put this collateral first, if any.
    ranked_by: LocationRule | None = None


@dataclass(frozen=True, slots=True)
class SizeBand:
    """Share of patients with extrahepatic arteries for tumors of this size."""

    min_mm: float
    max_mm: float | None
    percent: float
    source: str


@dataclass(frozen=True, slots=True)
class CollateralPriors:
    """The whole file: threshold, size bands, location words and the ranked rows."""

    version: str
    size_threshold_mm: float
    size_threshold_sources: tuple[str, ...]
    size_bands: tuple[SizeBand, ...]
    location_words: tuple[tuple[str, tuple[str, ...]], ...]
    location_rules: tuple[LocationRule, ...]
    collaterals: tuple[Collateral, ...]


def _segments(text: list[str], where: str) -> frozenset[Segment]:
    found: set[Segment] = set()
    for item in text:
        try:
            found |= parse_segment(item)
        except ValueError as exc:
            raise ReferenceDataError(f"collaterals.yaml, {where}: {exc}") from exc
    return frozenset(found)


def _rules(parsed: _CollateralsIn, rows: list[Collateral]) -> tuple[LocationRule, ...]:
    """The location rules, each checked against the row it puts first: a rule may only
    promote a collateral for sites and segments that row itself lists."""
    by_id = {r.id: r for r in rows}
    out = []
    for i, item in enumerate(parsed.location_rules):
        where = f"location_rules[{i}] ({item.site})"
        row = by_id.get(item.first)
        if row is None:
            raise ReferenceDataError(
                f"collaterals.yaml, {where}: `first: {item.first}` is not a collateral id; use "
                f"one of {', '.join(by_id)}"
            )
        rule = LocationRule(
            site=item.site,
            locations=frozenset(item.locations),
            segments=_segments(item.segments, where),
            first=item.first,
            certainty=" ".join(item.certainty.split()),
            sources=tuple(item.sources),
        )
        if not rule.locations <= row.locations or not rule.segments <= row.segments:
            raise ReferenceDataError(
                f"collaterals.yaml, {where}: its locations and segments must be among those of "
                f"'{row.id}' (locations {sorted(row.locations)}, segments "
                f"{segment_names(row.segments)}); add them to the row or correct the rule"
            )
        out.append(rule)
    return tuple(out)


def _build(raw: Any) -> CollateralPriors:
    parsed = validated(_CollateralsIn, raw, "collaterals.yaml")
    known = {k.name for k in all_kinds()}
    rows = []
    for item in parsed.collaterals:
        unknown = sorted(set(item.kinds) - known)
        if unknown:
            raise ReferenceDataError(
                f"collaterals.yaml, row '{item.id}': unknown vessel kinds {unknown}; use names "
                "from data/vocabulary.yaml"
            )
        segments = _segments(item.segments, f"row '{item.id}'")
        rows.append(
            Collateral(
                rank=item.rank,
                id=item.id,
                name=item.name,
                kinds=tuple(item.kinds),
                arises_from=item.arises_from,
                study=item.study,
                segments=segments,
                locations=frozenset(item.locations),
                evidence=" ".join(item.evidence.split()),
                certainty=item.certainty,
                sources=tuple(item.sources),
            )
        )
    ranks = [r.rank for r in rows]
    if sorted(ranks) != list(range(1, len(rows) + 1)) or ranks != sorted(ranks):
        raise ReferenceDataError(
            "collaterals.yaml: ranks must be 1, 2, 3 … in file order, each once"
        )
    return CollateralPriors(
        version=parsed.version,
        size_threshold_mm=parsed.size_threshold_mm,
        size_threshold_sources=tuple(parsed.size_threshold_sources),
        size_bands=tuple(
            SizeBand(b.min_mm, b.max_mm, b.percent, b.source) for b in parsed.size_bands
        ),
        location_words=tuple(
            (name, tuple(w.lower() for w in words))
            for name, words in sorted(parsed.location_words.items())
        ),
        location_rules=_rules(parsed, rows),
        collaterals=tuple(rows),
    )


@cache
def collateral_priors() -> CollateralPriors:
    """The collateral priors, validated when first read."""
    return _build(load_yaml("collaterals.yaml"))


def location_hints(label: str | None, stated: Iterable[str] = ()) -> frozenset[str]:
    """The locations of a tumor: those ``stated`` (its structured ``location``) and those
    its free-text label names (``dome``, ``bare area``, ``subcapsular`` …)."""
    found = set(stated)
    if not label:
        return frozenset(found)
    text = " " + re.sub(r"[^a-z0-9]+", " ", label.lower()) + " "
    for name, words in collateral_priors().location_words:
        for word in words:
            phrase = " " + re.sub(r"[^a-z0-9]+", " ", word).strip() + " "
            if phrase in text:
                found.add(name)
                break
    return frozenset(found)


def size_band(diameter_mm: float | None) -> SizeBand | None:
    """The size band a tumor falls in, or None (no size, or smaller than every band)."""
    if diameter_mm is None:
        return None
    for band in collateral_priors().size_bands:
        if diameter_mm >= band.min_mm and (band.max_mm is None or diameter_mm < band.max_mm):
            return band
    return None


def ranked_first(rule: LocationRule) -> str:
    """Why a collateral comes first, for people: the site and the reference's marks."""
    return f"first for a tumor at the {rule.site} ({rule.certainty})"


def ranking_rules(
    segments: Iterable[Segment], locations: Iterable[str]
) -> tuple[LocationRule, ...]:
    """The location rules that apply to a tumor in these segments at these locations."""
    wanted, where = frozenset(segments), frozenset(locations)
    return tuple(r for r in collateral_priors().location_rules if r.applies(wanted, where))


def collaterals_for(
    segments: Iterable[Segment], locations: Iterable[str]
) -> tuple[Collateral, ...]:
    """The collaterals that typically feed a tumor here, in the order to look for them.

    First the collaterals the location rules put first for this site (in the rules' order;
    each returned with ``ranked_by`` set to its rule), then the other collaterals of these
    segments in rank order. Only when no row names any of the segments do the locations
    choose the rows.

    >>> [c.id for c in collaterals_for(parse_segment("IV"), ())][:2]
    ['right-inferior-phrenic', 'internal-thoracic']
    >>> [c.id for c in collaterals_for(parse_segment("IV"), {"subcapsular", "anterior"})][:2]
    ['internal-thoracic', 'right-inferior-phrenic']
    """
    wanted, where = frozenset(segments), frozenset(locations)
    rows = collateral_priors().collaterals
    by_segment = tuple(c for c in rows if c.segments & wanted)
    if not by_segment:
        return tuple(c for c in rows if c.locations & where)
    first: dict[str, Collateral] = {}
    for rule in ranking_rules(wanted, where):
        row = next(c for c in rows if c.id == rule.first)
        first.setdefault(row.id, replace(row, ranked_by=rule))
    return (*first.values(), *(c for c in by_segment if c.id not in first))
