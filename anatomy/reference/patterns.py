"""The variant patterns: the only door to data/michels_variants/, hiatt.yaml and
usual_feeders.yaml.

Each Michels type is a declarative rule (where the hepatic trunk arises; per side,
whether normal supply is present and the origins of replaced and accessory arteries).
Variants outside Michels are conditions over the same facts. Files are validated with
pydantic when first read; a malformed file is a ReferenceDataError naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import data_dir, load_yaml, validated
from anatomy.reference.vocabulary import all_kinds

__all__ = [
    "MICHELS_ORDER",
    "Condition",
    "HiattType",
    "Pattern",
    "Prevalence",
    "SideRule",
    "UsualFeeder",
    "hiatt_types",
    "michels_patterns",
    "non_michels_patterns",
    "pattern",
    "pattern_dict",
    "patterns",
    "run_names",
    "trunk_runs",
    "usual_feeders",
]

MICHELS_ORDER = ("I", "II", "III", "IV", "V", "VI", "VII", "VIIIa", "VIIIb", "IX", "X")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SideRule(_Strict):
    """What a Michels type says of one side (right liver V–VIII or left lateral II–III)."""

    normal: bool
    replaced_from: frozenset[str] = frozenset()
    accessory_from: frozenset[str] = frozenset()


class Rule(_Strict):
    """A Michels type's signature. ``gastroduodenal_on_trunk``: the GDA, when the study
    shows one, must arise from the hepatic trunk (types IX and X: the *entire* trunk)."""

    hepatic_trunk_from: str
    gastroduodenal_on_trunk: bool = False
    right: SideRule
    left: SideRule


class ArteryCondition(_Strict):
    side: Literal["right", "left", "segment_iv", "caudate"]
    status: Literal["replaced", "accessory", "aberrant"] = "aberrant"
    from_: frozenset[str] = Field(alias="from")


class Condition(_Strict):
    """One condition of a variant outside Michels; exactly one key is set."""

    artery: ArteryCondition | None = None
    hepatic_trunk_from: frozenset[str] | None = None
    no_hepatic_trunk: bool | None = None
    gastroduodenal_from: frozenset[str] | None = None
    finding: str | None = None

    @model_validator(mode="after")
    def _one_key(self) -> Condition:
        if len(self.model_fields_set) != 1:
            raise ValueError("each condition has exactly one key")
        return self


class Match(_Strict):
    all: list[Condition] = Field(min_length=1)


class Prevalence(_Strict):
    """One reported prevalence, with its source."""

    percent: float | None = None
    n: int | None = None
    of: int | None = None
    population: str | None = None
    source: str
    note: str | None = None


class _PatternIn(_Strict):
    format: Literal["hepatic-pattern/1"]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    scheme: Literal["michels", "non_michels"]
    type: str | None = None
    name: str
    definition: str
    hiatt: int | None = None
    rule: Rule | None = None
    match: Match | None = None
    nearest_michels: list[str] = []
    prevalence: list[Prevalence] = Field(min_length=1)
    example: dict[str, Any]
    catheter_route: str | None = None
    teaching: list[str] = []

    @model_validator(mode="after")
    def _scheme_fields(self) -> _PatternIn:
        if self.scheme == "michels" and (self.rule is None or self.type not in MICHELS_ORDER):
            raise ValueError("a michels pattern needs `type` (I … X, VIIIa, VIIIb) and `rule`")
        if self.scheme == "non_michels" and self.match is None:
            raise ValueError("a non_michels pattern needs `match`")
        return self


@dataclass(frozen=True, slots=True)
class Pattern:
    """A Michels type or a named variant outside Michels, as the data gives it."""

    id: str
    scheme: str
    type: str | None
    name: str
    definition: str
    hiatt: int | None
    rule: Rule | None
    conditions: tuple[Condition, ...]
    nearest_michels: tuple[str, ...]
    prevalence: tuple[Prevalence, ...]
    example: Mapping[str, Any]
    catheter_route: str | None
    teaching: tuple[str, ...]

    @property
    def michels(self) -> str | None:
        """The type as the case format reports it: VIIIa and VIIIb are both "VIII"."""
        if self.type is None:
            return None
        return "VIII" if self.type.startswith("VIII") else self.type


class _HiattTypeIn(_Strict):
    type: int = Field(ge=1, le=6)
    name: str
    definition: str
    michels: list[str] = []
    percent: float | None = None
    n: int | None = None
    of: int | None = None
    source: str
    rule: Rule | None = None


class _HiattIn(_Strict):
    format: Literal["hepatic-hiatt/1"]
    types: list[_HiattTypeIn] = Field(min_length=6, max_length=6)


@dataclass(frozen=True, slots=True)
class HiattType:
    type: int
    name: str
    definition: str
    michels: tuple[str, ...]
    percent: float | None
    source: str
    rule: Rule | None


class _UsualFeederIn(_Strict):
    where: str
    study: str
    percent: float | None = None
    source: str


class _RunIn(_Strict):
    because: str
    run: str


class _UsualFeedersIn(_Strict):
    format: Literal["hepatic-usual-feeders/1"]
    trunk_runs: dict[str, _RunIn]
    segments: dict[str, list[_UsualFeederIn]]


@dataclass(frozen=True, slots=True)
class UsualFeeder:
    """Where a feeder of a segment usually is when a study shows none."""

    where: str
    study: str
    percent: float | None
    source: str


@cache
def patterns() -> tuple[Pattern, ...]:
    """All patterns: Michels types in type order, then other variants by id."""
    folder = data_dir() / "michels_variants"
    known = {k.name for k in all_kinds()}
    out = []
    for path in sorted(folder.glob("*.yaml")):
        relative = f"michels_variants/{path.name}"
        item: _PatternIn = validated(_PatternIn, load_yaml(relative), relative)
        if item.id != path.stem:
            raise ReferenceDataError(f"{relative}: id '{item.id}' must equal the file name")
        for origin in _origins(item.rule, item.match):
            if origin not in known and origin != "hepatic_axis":
                raise ReferenceDataError(f"{relative}: unknown vessel kind '{origin}' in rule")
        out.append(
            Pattern(
                id=item.id,
                scheme=item.scheme,
                type=item.type,
                name=item.name,
                definition=item.definition,
                hiatt=item.hiatt,
                rule=item.rule,
                conditions=tuple(item.match.all) if item.match else (),
                nearest_michels=tuple(item.nearest_michels),
                prevalence=tuple(item.prevalence),
                example=item.example,
                catheter_route=item.catheter_route,
                teaching=tuple(item.teaching),
            )
        )
    types = [p.type for p in out if p.scheme == "michels"]
    if sorted(types, key=MICHELS_ORDER.index) != list(MICHELS_ORDER):
        raise ReferenceDataError(
            f"michels_variants/ must hold each Michels type once ({', '.join(MICHELS_ORDER)}); "
            f"found {', '.join(str(t) for t in types)}"
        )

    def order(p: Pattern) -> tuple[int, str]:
        return (MICHELS_ORDER.index(p.type) if p.type else len(MICHELS_ORDER), p.id)

    return tuple(sorted(out, key=order))


def _origins(rule: Rule | None, match: Match | None) -> set[str]:
    out: set[str] = set()
    if rule is not None:
        out.add(rule.hepatic_trunk_from)
        for side in (rule.right, rule.left):
            out |= side.replaced_from | side.accessory_from
    if match is not None:
        for cond in match.all:
            if cond.artery is not None:
                out |= cond.artery.from_
            out |= cond.hepatic_trunk_from or set()
            out |= cond.gastroduodenal_from or set()
    return out


@cache
def michels_patterns() -> tuple[Pattern, ...]:
    return tuple(p for p in patterns() if p.scheme == "michels")


@cache
def non_michels_patterns() -> tuple[Pattern, ...]:
    return tuple(p for p in patterns() if p.scheme == "non_michels")


def pattern(pattern_id: str) -> Pattern:
    """The pattern with this id (``michels-iii``) or Michels type (``III``, ``VIIIa``)."""
    for item in patterns():
        if pattern_id.lower() in (item.id, (item.type or "").lower()):
            return item
    raise KeyError(pattern_id)


@cache
def hiatt_types() -> tuple[HiattType, ...]:
    raw: _HiattIn = validated(_HiattIn, load_yaml("hiatt.yaml"), "hiatt.yaml")
    return tuple(
        HiattType(t.type, t.name, t.definition, tuple(t.michels), t.percent, t.source, t.rule)
        for t in sorted(raw.types, key=lambda t: t.type)
    )


@cache
def _usual_feeders_file() -> _UsualFeedersIn:
    raw: _UsualFeedersIn = validated(
        _UsualFeedersIn, load_yaml("usual_feeders.yaml"), "usual_feeders.yaml"
    )
    return raw


@cache
def trunk_runs() -> Mapping[str, str]:
    """Trunk kind a study may lack -> why its absence leaves types open (which run shows it)."""
    return {name: item.because for name, item in _usual_feeders_file().trunk_runs.items()}


@cache
def run_names() -> Mapping[str, str]:
    """Trunk kind a study may lack -> the run that shows it, as a sentence names it."""
    return {name: item.run for name, item in _usual_feeders_file().trunk_runs.items()}


@cache
def usual_feeders() -> Mapping[str, tuple[UsualFeeder, ...]]:
    """Per segment name (I … VIII, IV for both halves): where its feeder usually is."""
    raw = _usual_feeders_file()
    return {
        segment: tuple(UsualFeeder(f.where, f.study, f.percent, f.source) for f in feeders)
        for segment, feeders in raw.segments.items()
    }


def pattern_dict(item: Pattern) -> dict[str, Any]:
    """A pattern as JSON (the CLI's `variants --json` and the API's variants)."""
    return {
        "id": item.id,
        "scheme": item.scheme,
        "type": item.type,
        "michels": item.michels,
        "name": item.name,
        "definition": item.definition,
        "hiatt": item.hiatt,
        "prevalence": [p.model_dump() for p in item.prevalence],
        "catheter_route": item.catheter_route,
        "teaching": list(item.teaching),
    }
