"""The vessel vocabulary: the only door to data/vocabulary.yaml.

Every vessel kind a case file can name, with its abbreviations and synonyms, group,
usual territory, organ at risk and ontology codes. Lookups come in symmetric pairs
(``kind(name)`` for canonical names, ``lookup(term)`` for anything a person writes),
and status words (``rRHA``, ``accessory left hepatic artery``) are parsed here too.

>>> lookup("rRHA").kind.name, lookup("rRHA").status
('right_hepatic', 'replaced')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import load_yaml, validated
from anatomy.segments import Segment, parse_segment

__all__ = [
    "GROUPS",
    "Code",
    "Kind",
    "KindLookup",
    "all_kinds",
    "groups_with",
    "kind",
    "lookup",
    "normalize",
    "side_artery",
    "suggest",
    "vocabulary_version",
    "with_role",
]

Group = Literal[
    "aortic", "access", "visceral_trunk", "hepatic_axis", "hepatic", "extrahepatic", "collateral"
]
Role = Literal[
    "complete_study_root",
    "normal_trunk_origin",
    "defines_hepatic_trunk",
    "celiac_variant",
    "side_artery",
    "owns_gastric_stem",
    "gastric_stem_without_axis",
]
Side = Literal["right", "left", "segment_iv", "caudate"]
Level = Literal["whole_liver", "lobar", "sectoral", "segmental", "subsegmental"]
Status = Literal["replaced", "accessory"]
GROUPS: tuple[str, ...] = (
    "aortic",
    "access",
    "visceral_trunk",
    "hepatic_axis",
    "hepatic",
    "extrahepatic",
    "collateral",
)


@dataclass(frozen=True, slots=True)
class Code:
    """An ontology identifier and whether the reference verified it."""

    system: str
    id: str
    verified: bool


@dataclass(frozen=True, slots=True)
class Kind:
    """One vessel kind of the vocabulary."""

    name: str
    label: str
    abbreviations: tuple[str, ...]
    synonyms: tuple[str, ...]
    group: str
    side: str | None
    level: str | None
    territory: frozenset[Segment]
    territory_if_unsupplied: frozenset[Segment]
    status_words: bool
    aberrant_origin: bool
    counts_as: str | None
    lateral: float | None  # -1 patient's right … +1 left (diagram ordering only)
    craniocaudal: int | None  # order of the aorta's branches, head to foot
    organ_at_risk: str | None
    advice: str | None
    codes: tuple[Code, ...]
    sources: tuple[str, ...]
    note: str | None
    tip_allowed: bool  # a catheter tip may sit in it (its group's `tip`)
    non_target: bool  # embolic reaching it injures another organ (its group's `non_target`)
    trunk: bool  # a named non-hepatic vessel above the hepatic arteries (its group's `trunk`)
    roles: frozenset[str]
    shows_runs: tuple[str, ...] = ()  # runs a study showing it has done (kinds)

    @property
    def abbreviation(self) -> str:
        """The short name for diagrams: the first abbreviation, else the label."""
        return self.abbreviations[0] if self.abbreviations else self.label

    @property
    def short(self) -> str:
        """How prose names it: short labels in full ("celiac trunk", "aorta"), long ones
        as radiologists abbreviate them (SMA, LGA, GDA)."""
        if len(self.label) <= 14 or not self.abbreviations:
            return self.label
        return self.abbreviation

    @property
    def is_hepatic(self) -> bool:
        return self.group == "hepatic"

    @property
    def non_target_branch(self) -> bool:
        """A non-target vessel that is not a trunk: an extrahepatic branch or a collateral
        (drawn grey, reported as a non-target branch of the artery it arises from)."""
        return self.non_target and not self.trunk

    def has(self, role: Role) -> bool:
        """Whether the vocabulary gives this kind ``role`` (see vocabulary.yaml)."""
        return role in self.roles


@dataclass(frozen=True, slots=True)
class KindLookup:
    """What a written term means: a kind and the status its words state (if any)."""

    kind: Kind
    status: Status | None


# -- the file's schema (pydantic at the edge) ------------------------------------------


class _CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    verified: bool


class _KindIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    abbreviations: list[str] = []
    synonyms: list[str] = []
    group: Group
    side: Side | None = None
    level: Level | None = None
    territory: list[str] = []
    territory_if_unsupplied: list[str] = []
    status_words: bool = False
    aberrant_origin: bool = False
    counts_as: str | None = None
    lateral: float | None = Field(default=None, ge=-1, le=1)
    craniocaudal: int | None = None
    organ_at_risk: str | None = None
    advice: Literal["advance_beyond", "protect"] | None = None
    codes: dict[str, _CodeIn] = {}
    sources: list[str] = []
    note: str | None = None
    roles: list[Role] = []
    shows_runs: list[str] = []


class _GroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tip: bool
    non_target: bool
    trunk: bool


class _VocabularyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["hepatic-vocabulary/1"]
    version: str
    groups: dict[Group, _GroupIn]
    role_names: list[Role]
    status_words: dict[str | None, list[str]]
    status_prefixes: dict[str, list[str]]
    kinds: list[_KindIn]


_TRAILING = re.compile(r"\s+(?:artery|arteries|a\.?)$")


def normalize(term: str) -> str:
    """Lower case, ``_``/``-`` as spaces, one space, no trailing "artery"."""
    text = re.sub(r"[\s_\-]+", " ", term.strip().lower()).strip()
    return _TRAILING.sub("", text).strip()


def _segments(values: list[str], where: str) -> frozenset[Segment]:
    out: set[Segment] = set()
    for value in values:
        try:
            out |= parse_segment(value)
        except ValueError as exc:
            raise ReferenceDataError(f"vocabulary.yaml, {where}: {exc}") from exc
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    version: str
    kinds: Mapping[str, Kind]
    terms: Mapping[str, Kind]
    status_words: Mapping[str, Status | None]
    status_prefixes: Mapping[str, Status]


def _build(raw: Any) -> _Vocabulary:
    parsed = validated(_VocabularyIn, raw, "vocabulary.yaml")
    missing = sorted(set(GROUPS) - set(parsed.groups))
    if missing:
        raise ReferenceDataError(f"vocabulary.yaml: `groups` lacks {', '.join(missing)}")
    kinds: dict[str, Kind] = {}
    terms: dict[str, Kind] = {}
    for item in parsed.kinds:
        if item.name in kinds:
            raise ReferenceDataError(f"vocabulary.yaml: kind '{item.name}' is defined twice")
        entry = Kind(
            name=item.name,
            label=item.label,
            abbreviations=tuple(item.abbreviations),
            synonyms=tuple(item.synonyms),
            group=item.group,
            side=item.side,
            level=item.level,
            territory=_segments(item.territory, item.name),
            territory_if_unsupplied=_segments(item.territory_if_unsupplied, item.name),
            status_words=item.status_words,
            aberrant_origin=item.aberrant_origin,
            counts_as=item.counts_as,
            lateral=item.lateral,
            craniocaudal=item.craniocaudal,
            organ_at_risk=item.organ_at_risk,
            advice=item.advice,
            codes=tuple(
                Code(system, code.id, code.verified) for system, code in sorted(item.codes.items())
            ),
            sources=tuple(item.sources),
            note=item.note,
            tip_allowed=parsed.groups[item.group].tip,
            non_target=parsed.groups[item.group].non_target,
            trunk=parsed.groups[item.group].trunk,
            roles=frozenset(item.roles),
            shows_runs=tuple(item.shows_runs),
        )
        kinds[item.name] = entry
        for term in (item.name, item.label, *item.abbreviations, *item.synonyms):
            key = normalize(term)
            owner = terms.get(key)
            if owner is not None and owner.name != item.name:
                raise ReferenceDataError(
                    f"vocabulary.yaml: the term '{term}' names both '{owner.name}' and "
                    f"'{item.name}'; a term must name one kind"
                )
            terms[key] = entry
    for entry in kinds.values():
        unknown = [r for r in entry.shows_runs if r not in kinds]
        if unknown:
            raise ReferenceDataError(
                f"vocabulary.yaml: '{entry.name}' shows_runs unknown kinds {unknown}"
            )
        if entry.counts_as is not None and entry.counts_as not in kinds:
            raise ReferenceDataError(
                f"vocabulary.yaml: '{entry.name}' counts_as unknown kind '{entry.counts_as}'"
            )
    words: dict[str, Status | None] = {}
    for status, spellings in parsed.status_words.items():
        for spelling in spellings:
            words[normalize(spelling)] = _status(status)
    prefixes = {
        p.lower(): s
        for status, spellings in parsed.status_prefixes.items()
        for p in spellings
        if (s := _status(status)) is not None
    }
    return _Vocabulary(parsed.version, kinds, terms, words, prefixes)


def _status(value: str | None) -> Status | None:
    if value in (None, "null", "None"):
        return None
    if value == "replaced":
        return "replaced"
    if value == "accessory":
        return "accessory"
    raise ReferenceDataError(f"vocabulary.yaml: unknown status word group '{value}'")


@cache
def _vocabulary() -> _Vocabulary:
    return _build(load_yaml("vocabulary.yaml"))


def vocabulary_version() -> str:
    """The version string written in vocabulary.yaml."""
    return _vocabulary().version


def all_kinds() -> tuple[Kind, ...]:
    """Every kind, in the file's order."""
    return tuple(_vocabulary().kinds.values())


@cache
def groups_with(flag: Literal["tip", "non_target", "trunk"]) -> frozenset[str]:
    """The groups whose kinds have ``flag`` (vocabulary.yaml, ``groups``)."""
    return frozenset((getattr(k, _FLAG[flag]) and k.group) or "" for k in all_kinds()) - {""}


_FLAG = {"tip": "tip_allowed", "non_target": "non_target", "trunk": "trunk"}


@cache
def with_role(role: Role) -> frozenset[str]:
    """The canonical names of the kinds the vocabulary gives ``role``."""
    return frozenset(k.name for k in _vocabulary().kinds.values() if role in k.roles)


@cache
def side_artery(side: str) -> Kind:
    """The kind named for a side's artery (right, left, segment_iv, caudate): the one kind
    with the ``side_artery`` role and that side."""
    found = [k for k in _vocabulary().kinds.values() if "side_artery" in k.roles and k.side == side]
    if len(found) != 1:
        raise ReferenceDataError(
            f"vocabulary.yaml: {len(found)} kinds have role side_artery and side {side}; "
            "exactly one must"
        )
    return found[0]


class _KindTable(dict[str, Kind]):
    """Canonical name -> Kind, filled from the vocabulary on the first lookup.

    ``kind`` is called for every named vessel in every pass, so it is one dict lookup.
    """

    def __missing__(self, name: str) -> Kind:
        if self:
            raise KeyError(name)
        self.update(_vocabulary().kinds)
        return self[name]


_KINDS = _KindTable()


def kind(name: str) -> Kind:
    """The kind with this canonical name; ``KeyError`` if there is none."""
    return _KINDS[name]


def lookup(term: str) -> KindLookup:
    """What a written kind means: canonical names, abbreviations, synonyms, status words.

    Raises ``ValueError`` naming the closest vocabulary terms when nothing matches.
    """
    vocab = _vocabulary()
    key = normalize(term)
    found = vocab.terms.get(key)
    if found is not None:
        return KindLookup(found, None)
    # "replaced right hepatic", "accessory LHA", "aberrant RHA"
    head, _, rest = key.partition(" ")
    if rest and head in vocab.status_words:
        inner = vocab.terms.get(normalize(rest))
        if inner is not None and inner.status_words:
            return KindLookup(inner, vocab.status_words[head])
    # "rRHA", "aLHA": a one-letter prefix before an abbreviation
    compact = key.replace(" ", "")
    if len(compact) > 1 and compact[0] in vocab.status_prefixes:
        inner = vocab.terms.get(compact[1:])
        if inner is not None and inner.status_words and compact[1:] in _abbreviations(inner):
            return KindLookup(inner, vocab.status_prefixes[compact[0]])
    close = ", ".join(suggest(term)) or "see `hepatic vocabulary`"
    raise ValueError(f"unknown vessel kind '{term}'. Closest vocabulary terms: {close}")


def _abbreviations(entry: Kind) -> set[str]:
    return {normalize(a).replace(" ", "") for a in entry.abbreviations}


def suggest(term: str, limit: int = 3) -> list[str]:
    """The vocabulary terms closest to ``term``, as ``term (canonical_name)``."""
    vocab = _vocabulary()
    matches = difflib.get_close_matches(normalize(term), list(vocab.terms), n=limit, cutoff=0.5)
    return [f"{m} ({vocab.terms[m].name})" for m in matches]
