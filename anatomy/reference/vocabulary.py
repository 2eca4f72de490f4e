"""The vessel vocabulary: the only door to data/vocabulary.yaml.

Every vessel kind a case file can name, with its abbreviations and synonyms, group,
usual territory, organ at risk and ontology codes. Lookups come in symmetric pairs
(``kind(name)`` for canonical names, ``lookup(term)`` for anything a person writes).

A written term is read, not only looked up: a status word (replaced, accessory,
aberrant, additional, ``Repl.``, ``rRHA``), a side, a segment and the artery's name, in
the orders people write them. What cannot be read is a :class:`TermError` naming the
closest terms, and a generic name that fits several kinds lists them: nothing is guessed.

>>> lookup("rRHA").kind.name, lookup("rRHA").status
('right_hepatic', 'replaced')
>>> found = lookup("right accessory hepatic artery")
>>> found.kind.name, found.side, found.status
('right_hepatic', 'right', 'accessory')
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import load_yaml, validated
from anatomy.segments import Segment, parse_segment
from anatomy.suggestions import NameIndex

__all__ = [
    "GROUPS",
    "Code",
    "Kind",
    "KindLookup",
    "TermError",
    "all_kinds",
    "groups_with",
    "kind",
    "lookup",
    "normalize",
    "side_artery",
    "suggest",
    "vocabulary_version",
    "with_role",
    "word_source",
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
    statuses: frozenset[str] = frozenset()  # the status words it admits (replaced, accessory)
    paired: bool = False  # exists on both sides: a written side is recorded with it
    segment: str | None = None  # the Couinaud segment a segmental artery is named for

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
    """What a written term means: a kind, the status and side its words state (if any),
    and how each part of the term was read (``("status", "accessory")``, ``("side",
    "right")``, ``("name", "hepatic")``).

    ``side`` is the written side of a paired artery (``right renal capsular artery``) or
    the side a hepatic kind is named for; None for an unpaired, unsided artery.
    """

    kind: Kind
    status: Status | None
    side: str | None = None
    words: tuple[tuple[str, str], ...] = ()


TermCode = Literal[
    "unknown_kind",
    "ambiguous_kind",
    "status_not_applicable",
    "side_not_applicable",
    "conflicting_words",
]


class TermError(ValueError):
    """A written kind that cannot be read. ``code`` says why; ``suggestions`` are
    vocabulary terms to write instead (the closest, or the choices of a generic name),
    each as ``term (canonical_name)``. The message quotes the term."""

    def __init__(self, code: TermCode, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.code: TermCode = code
        self.suggestions = tuple(suggestions)


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
    status_words: bool | list[Status] = False
    paired: bool = False
    segment: str | None = None
    term_sources: dict[str, str] = {}
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


class _AmbiguousIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: str
    kinds: list[str] = Field(min_length=2)
    note: str


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
    side_words: dict[Literal["right", "left"], list[str]]
    filler_words: list[str]
    word_forms: dict[str, list[str]]
    word_sources: dict[str, str]
    ambiguous_terms: list[_AmbiguousIn]
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


# Punctuation people put in terms: "Repl.LHA", "hepatic artery, right", "A2/A3", "A2+3".
_SPLIT = re.compile(r"[\s_\-–,;:/+.()\[\]]+")
_SEGMENT_TOKEN = re.compile(r"^([1-8]|i{1,3}|iv|v|vi{1,3})([ab])?$")
_SEGMENT_WORDS = frozenset({"segment", "segmental", "hepatic", "branch", "branches"})


@dataclass(frozen=True, slots=True)
class _Ambiguous:
    term: str
    kinds: tuple[Kind, ...]
    note: str


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    version: str
    kinds: Mapping[str, Kind]
    terms: Mapping[str, Kind]  # canonical key -> kind
    display: Mapping[str, str]  # canonical key -> the term as the vocabulary writes it
    status_words: Mapping[str, Status | None]
    status_prefixes: Mapping[str, Status]
    side_words: Mapping[str, str]
    fillers: frozenset[str]
    forms: Mapping[str, str]
    ambiguous: Mapping[str, _Ambiguous]
    by_segment: Mapping[str, Kind]
    word_sources: Mapping[str, str]

    def tokens(self, text: str) -> list[str]:
        """The words of ``text`` as compared: lower case, punctuation out, word forms
        unified, segments as ``segment <roman>``, filler words dropped."""
        raw = [self.forms.get(w, w) for w in _SPLIT.split(text.lower()) if w]
        out: list[str] = []
        index = 0
        while index < len(raw):
            word = raw[index]
            following = raw[index + 1] if index + 1 < len(raw) else ""
            if word == "segment" and _segment_name(following):
                out += ["segment", _segment_name(following)]
                index += 2
                continue
            if re.fullmatch(r"s[1-8][ab]?", word):
                out += ["segment", _segment_name(word[1:])]
            elif word not in self.fillers:
                out.append(word)
            index += 1
        return out

    def key(self, text: str) -> str:
        return " ".join(self.tokens(text))


def _segment_name(word: str) -> str:
    """``vi`` for "6", "vi", "VI"; ``iva`` for "4a"; "" when ``word`` is no segment."""
    match = _SEGMENT_TOKEN.match(word)
    if match is None:
        return ""
    try:
        found = parse_segment(match.group(1) + (match.group(2) or ""))
    except ValueError:
        return ""
    names = sorted(s.value for s in found)
    return "iv" if len(names) == 2 else names[0].lower()


def _build(raw: Any) -> _Vocabulary:
    parsed = validated(_VocabularyIn, raw, "vocabulary.yaml")
    missing = sorted(set(GROUPS) - set(parsed.groups))
    if missing:
        raise ReferenceDataError(f"vocabulary.yaml: `groups` lacks {', '.join(missing)}")
    shell = _Vocabulary(
        version=parsed.version,
        kinds={},
        terms={},
        display={},
        status_words={},
        status_prefixes={},
        side_words={},
        fillers=frozenset(normalize(w) for w in parsed.filler_words),
        forms={
            spelling.lower(): form
            for form, spellings in parsed.word_forms.items()
            for spelling in spellings
        },
        ambiguous={},
        by_segment={},
        word_sources=dict(parsed.word_sources),
    )
    kinds: dict[str, Kind] = {}
    terms: dict[str, Kind] = {}
    display: dict[str, str] = {}
    by_segment: dict[str, Kind] = {}
    for item in parsed.kinds:
        if item.name in kinds:
            raise ReferenceDataError(f"vocabulary.yaml: kind '{item.name}' is defined twice")
        statuses: frozenset[str] = (
            frozenset(("replaced", "accessory"))
            if item.status_words is True
            else frozenset(item.status_words or ())
        )
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
            status_words=bool(statuses),
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
            statuses=statuses,
            paired=item.paired,
            segment=item.segment,
        )
        kinds[item.name] = entry
        for term in (item.label, *item.abbreviations, *item.synonyms, item.name):
            key = shell.key(term)
            owner = terms.get(key)
            if owner is not None and owner.name != item.name:
                raise ReferenceDataError(
                    f"vocabulary.yaml: the term '{term}' names both '{owner.name}' and "
                    f"'{item.name}'; a term must name one kind"
                )
            terms[key] = entry
            display.setdefault(key, " ".join(term.split()))
        if item.segment is not None:
            name = _segment_name(item.segment.lower())
            if not name or name in by_segment:
                raise ReferenceDataError(
                    f"vocabulary.yaml: '{item.name}' has segment '{item.segment}', which is no "
                    "segment or is already another kind's"
                )
            by_segment[name] = entry
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
    sides = {normalize(w): side for side, spellings in parsed.side_words.items() for w in spellings}
    ambiguous: dict[str, _Ambiguous] = {}
    for generic in parsed.ambiguous_terms:
        unknown = [k for k in generic.kinds if k not in kinds]
        key = shell.key(generic.term)
        if unknown or key in terms:
            raise ReferenceDataError(
                f"vocabulary.yaml: ambiguous term '{generic.term}' "
                + (f"lists unknown kinds {unknown}" if unknown else "is also a kind's term")
            )
        ambiguous[key] = _Ambiguous(
            generic.term, tuple(kinds[k] for k in generic.kinds), " ".join(generic.note.split())
        )
    return _Vocabulary(
        version=parsed.version,
        kinds=kinds,
        terms=terms,
        display=display,
        status_words=words,
        status_prefixes=prefixes,
        side_words=sides,
        fillers=shell.fillers,
        forms=shell.forms,
        ambiguous=ambiguous,
        by_segment=by_segment,
        word_sources=shell.word_sources,
    )


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


def lookup(term: str, *, suggest: bool = True) -> KindLookup:
    """What a written kind means: its kind, and the status and side its words state.

    Cached, errors too: a case of 100,000 vessels writes a few dozen terms.

    Read in this order: the whole term against every kind's name, label, abbreviations
    and synonyms (case, punctuation and the word "artery" aside); a one-letter status
    prefix on an abbreviation (``rRHA``); then the term's parts: status words and side
    words wherever they stand, and what is left as the artery's name, with the side in
    front (``hepatic artery, right`` = ``right hepatic artery``), alone for a paired
    artery (the side recorded), or as a segment's artery (``artery to segment 6``). A
    parenthesis may restate the term or add a status: ``replaced RHA (rRHA)``,
    ``right hepatic artery (accessory)``.

    Raises :class:`TermError` (a ``ValueError``) with the closest vocabulary terms when
    nothing matches (none with ``suggest=False``: a caller that reports thousands of
    unknown terms asks for the closest of a few only), or with the choices when a
    generic name fits several kinds.
    """
    found = _lookup(term)
    if isinstance(found, _Unknown) and suggest:
        raise _closest(term, found.name)
    if isinstance(found, TermError):
        # a fresh error each time: raising the cached one would grow its traceback
        raise TermError(found.code, str(found), found.suggestions)
    return found


@lru_cache(maxsize=4096)
def _lookup(term: str) -> KindLookup | TermError:
    # An error is cached too: a large file may repeat one typo thousands of times.
    try:
        return _read_term(term)
    except TermError as exc:
        return exc


def _read_term(term: str) -> KindLookup:
    vocab = _vocabulary()
    outer, inner = _parenthesis(term)
    found = _read(vocab, outer, term)
    if inner is None:
        return found
    inner_words = vocab.tokens(inner)
    if inner_words and all(w in vocab.status_words for w in inner_words):
        return _with_status(vocab, found, inner_words, term)
    restated = _read(vocab, inner, term)
    if restated.kind is not found.kind:
        raise TermError(
            "conflicting_words",
            f"vessel kind '{term}' names {found.kind.label} and, in brackets, "
            f"{restated.kind.label}",
            [_shown(found.kind), _shown(restated.kind)],
        )
    statuses = {s for s in (found.status, restated.status) if s is not None}
    if len(statuses) > 1:
        raise _conflict(term, "replaced and accessory")
    return KindLookup(
        found.kind,
        found.status or restated.status,
        found.side or restated.side,
        found.words + restated.words,
    )


def _parenthesis(term: str) -> tuple[str, str | None]:
    match = re.fullmatch(r"\s*([^()]*?)\s*\(([^()]*)\)\s*", term)
    if match is None or not match.group(1).strip():
        return term, None
    return match.group(1), match.group(2)


def _read(vocab: _Vocabulary, text: str, term: str) -> KindLookup:
    words = vocab.tokens(text)
    key = " ".join(words)
    found = vocab.terms.get(key)
    if found is not None:
        side = _written_side(vocab, words)
        return KindLookup(found, None, side or found.side, (("name", vocab.display[key]),))
    if len(words) == 1:  # "rRHA", "aLHA": a one-letter prefix before an abbreviation
        prefixed = _prefixed(vocab, words[0])
        if prefixed is not None:
            return prefixed
    statuses: list[tuple[str, Status | None]] = []
    sides: list[str] = []
    rest: list[str] = []
    for word in words:
        if word in vocab.status_words:
            statuses.append((word, vocab.status_words[word]))
        elif word in vocab.side_words:
            sides.append(word)
        else:
            rest.append(word)
    said = {s for _, s in statuses if s is not None}
    if len(said) > 1:
        raise _conflict(term, "replaced and accessory")
    side_names = {vocab.side_words[w] for w in sides}
    if len(side_names) > 1:
        raise _conflict(term, "right and left")
    status: Status | None = next(iter(said)) if said else None
    side = next(iter(side_names)) if side_names else None
    parts: list[tuple[str, str]] = [("status", w) for w, _ in statuses]
    parts += [("side", w) for w in sides]
    entry: Kind | None
    how: tuple[tuple[str, str], ...]
    named = " ".join(w for w in words if w not in vocab.status_words)
    whole = vocab.terms.get(named) if statuses else None
    if whole is not None:  # a status before a whole synonym: "accessory arteria hepatica dextra"
        entry, named_side, how = whole, True, (("name", vocab.display[named]),)
        side = _written_side(vocab, words) or whole.side
    else:
        entry, named_side, how = _name(vocab, rest, side, term)
    if named_side:  # the side is part of the name: "gastric artery, right"
        parts = [part for part in parts if part[0] != "side"]
    if len(rest) == 1 and entry is None:
        prefixed = _prefixed(vocab, rest[0])  # "replaced rRHA", "right aRHA"
        if prefixed is not None:
            entry, how = prefixed.kind, prefixed.words
            if prefixed.status is not None:
                if status is not None and status != prefixed.status:
                    raise _conflict(term, "replaced and accessory")
                status = prefixed.status
    if entry is None:
        raise _Unknown(term, " ".join(rest))
    if (
        not named_side
        and side is not None
        and (entry.side not in (None, side) or (entry.side is None and not entry.paired))
    ):
        raise TermError(
            "side_not_applicable",
            f"vessel kind '{term}': the {entry.label} has no {side} and left forms"
            if entry.side is None
            else f"vessel kind '{term}': the {entry.label} is not a {side}-sided artery",
            [_shown(entry)],
        )
    if status is not None and status not in entry.statuses:
        admits = (
            f"it takes only '{'/'.join(sorted(entry.statuses))}'"
            if entry.statuses
            else "status words describe hepatic arteries (replaced, accessory)"
        )
        raise TermError(
            "status_not_applicable",
            f"vessel kind '{term}': '{status}' does not apply to the {entry.label}; {admits}",
            [_shown(entry)],
        )
    return KindLookup(entry, status, side or entry.side, (*parts, *how))


def _name(
    vocab: _Vocabulary, rest: list[str], side: str | None, term: str
) -> tuple[Kind | None, bool, tuple[tuple[str, str], ...]]:
    """The kind the remaining words name, whether the side is part of its name, and how
    the words were read."""
    key = " ".join(rest)
    if side is not None:
        sided = vocab.terms.get(f"{side} {key}")
        if sided is not None:  # "hepatic, right" -> "right hepatic"
            return sided, True, (("name", vocab.display[f"{side} {key}"]),)
    found = vocab.terms.get(key)
    if found is not None:
        return found, False, (("name", vocab.display[key]),)
    segment = _segment_of(rest)
    if segment and set(rest) - {segment} <= _SEGMENT_WORDS:
        entry = vocab.by_segment.get(segment)
        if entry is not None:
            return entry, False, (("segment", _roman(segment)),)
    generic = vocab.ambiguous.get(key)
    if generic is not None:
        raise _ambiguous(vocab, generic, term, side)
    return None, False, ()


def _roman(name: str) -> str:
    """``IVa`` for "iva", ``VI`` for "vi"."""
    return name[:-1].upper() + name[-1] if name[-1] in "ab" else name.upper()


def _segment_of(words: list[str]) -> str:
    for first, second in itertools.pairwise(words):
        if first == "segment" and _segment_name(second):
            return second
    return ""


def _ambiguous(vocab: _Vocabulary, generic: _Ambiguous, term: str, side: str | None) -> TermError:
    words = vocab.tokens(term)
    said = {vocab.status_words[w] for w in words if w in vocab.status_words} - {None}
    choices = [
        k
        for k in generic.kinds
        if (not said or said <= k.statuses) and (side is None or k.side in (None, side))
    ] or list(generic.kinds)
    prefix = "".join(f"{next(iter(said))} " for _ in [0] if said)
    shown = [f"{prefix}{k.label} ({k.name})" for k in choices]
    return TermError(
        "ambiguous_kind",
        f"vessel kind '{term}' is a generic name; write the one meant: {', '.join(shown)}. "
        f"{generic.note}",
        shown,
    )


def _prefixed(vocab: _Vocabulary, word: str) -> KindLookup | None:
    if len(word) < 2 or word[0] not in vocab.status_prefixes:
        return None
    inner = vocab.terms.get(word[1:])
    if inner is None or word[1:] not in _abbreviations(inner):
        return None
    status = vocab.status_prefixes[word[0]]
    if status not in inner.statuses:
        return None
    return KindLookup(inner, status, inner.side, (("status", word[0]), ("name", word[1:])))


def _with_status(vocab: _Vocabulary, found: KindLookup, words: list[str], term: str) -> KindLookup:
    said = {vocab.status_words[w] for w in words} - {None}
    if found.status is not None:
        said.add(found.status)
    if len(said) > 1:
        raise _conflict(term, "replaced and accessory")
    status = next(iter(said)) if said else None
    if status is not None and status not in found.kind.statuses:
        raise TermError(
            "status_not_applicable",
            f"vessel kind '{term}': '{status}' does not apply to the {found.kind.label}",
            [_shown(found.kind)],
        )
    return KindLookup(
        found.kind, status, found.side, (*found.words, *(("status", w) for w in words))
    )


def _written_side(vocab: _Vocabulary, words: list[str]) -> str | None:
    sides = {vocab.side_words[w] for w in words if w in vocab.side_words}
    return next(iter(sides)) if len(sides) == 1 else None


def _conflict(term: str, what: str) -> TermError:
    return TermError("conflicting_words", f"vessel kind '{term}' says both {what}")


class _Unknown(TermError):
    """An unknown term as cached: without the closest terms, found only when asked for."""

    def __init__(self, term: str, name: str) -> None:
        super().__init__("unknown_kind", f"unknown vessel kind '{term}'")
        self.name = name  # the words left once status and side words are read


def _closest(term: str, name: str) -> TermError:
    vocab = _vocabulary()
    close = suggest(term)
    if name and name != vocab.key(term):
        close += [s for s in suggest(name) if s not in close]
    listed = ", ".join(close[:5]) or "see `hepatic vocabulary`"
    return TermError(
        "unknown_kind",
        f"unknown vessel kind '{term}'. Closest vocabulary terms: {listed}",
        close[:5],
    )


def _shown(entry: Kind) -> str:
    return f"{entry.label} ({entry.name})"


def _abbreviations(entry: Kind) -> set[str]:
    return {normalize(a).replace(" ", "") for a in entry.abbreviations}


def suggest(term: str, limit: int = 3) -> list[str]:
    """The vocabulary terms closest to ``term``, one per kind, as ``term (canonical_name)``."""
    vocab = _vocabulary()
    matches = _term_index().closest(vocab.key(term), n=4 * limit, cutoff=0.5)
    out: list[str] = []
    named: set[str] = set()
    for match in matches:  # one term per kind: the choices, not spellings of one
        entry = vocab.terms[match]
        if entry.name not in named and len(out) < limit:
            named.add(entry.name)
            out.append(f"{vocab.display[match]} ({entry.name})")
    return out


@cache
def _term_index() -> NameIndex:
    return NameIndex(_vocabulary().terms)


def word_source(word: str) -> str | None:
    """Where a status, side or word form of the parser comes from (vocabulary.yaml)."""
    return _vocabulary().word_sources.get(normalize(word))
