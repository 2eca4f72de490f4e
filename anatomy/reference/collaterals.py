"""Extrahepatic collateral priors: the only door to data/collaterals.yaml.

Which extrahepatic ("parasitic") arteries to look for when a tumor is large or lies at
the dome, the bare area or under the capsule, ranked as the reference gives them (right
inferior phrenic first), each with its S-key sources. The planner turns these priors into
a prompt; they are never routes.

>>> [c.id for c in collaterals_for(frozenset({Segment.VII}), frozenset())][:1]
['right-inferior-phrenic']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import load_yaml, validated
from anatomy.reference.vocabulary import all_kinds
from anatomy.segments import Segment, parse_segment

__all__ = [
    "Collateral",
    "CollateralPriors",
    "SizeBand",
    "collateral_priors",
    "collaterals_for",
    "location_hints",
    "size_band",
]

Location = Literal[
    "dome", "bare_area", "subcapsular", "anterior", "posterior", "inferior", "gallbladder_bed"
]
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


class _CollateralsIn(_Strict):
    format: Literal["hepatic-collaterals/1"]
    version: str
    size_threshold_mm: float = Field(gt=0)
    size_threshold_sources: list[str] = Field(min_length=1)
    size_bands: list[_BandIn]
    location_words: dict[Location, list[str]]
    collaterals: list[_CollateralIn] = Field(min_length=1)


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
    collaterals: tuple[Collateral, ...]


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
        segments: set[Segment] = set()
        for text in item.segments:
            try:
                segments |= parse_segment(text)
            except ValueError as exc:
                raise ReferenceDataError(f"collaterals.yaml, row '{item.id}': {exc}") from exc
        rows.append(
            Collateral(
                rank=item.rank,
                id=item.id,
                name=item.name,
                kinds=tuple(item.kinds),
                arises_from=item.arises_from,
                study=item.study,
                segments=frozenset(segments),
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
        collaterals=tuple(rows),
    )


@cache
def collateral_priors() -> CollateralPriors:
    """The collateral priors, validated when first read."""
    return _build(load_yaml("collaterals.yaml"))


def location_hints(label: str | None) -> frozenset[str]:
    """The locations a tumor's free-text label names (``dome``, ``bare_area`` …)."""
    if not label:
        return frozenset()
    text = " " + re.sub(r"[^a-z0-9]+", " ", label.lower()) + " "
    found = set()
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


def collaterals_for(
    segments: Iterable[Segment], locations: Iterable[str]
) -> tuple[Collateral, ...]:
    """The collaterals that typically feed these segments, best-ranked first.

    Only when no row names any of the segments do the locations choose the rows.
    """
    wanted, where = frozenset(segments), frozenset(locations)
    rows = collateral_priors().collaterals
    by_segment = tuple(c for c in rows if c.segments & wanted)
    return by_segment or tuple(c for c in rows if c.locations & where)
