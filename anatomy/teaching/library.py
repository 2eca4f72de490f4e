"""The teaching library: the only door to data/teaching_cases/.

Each file is a case in the ``hepatic-case/1`` format whose ``id`` is the file's name,
written from a published case report or series (``source``, and ``notes`` saying what
the paper states and what was inferred), plus one key, ``teaching``::

    teaching:
      question: What Michels type is this, and what does it mean for a right-lobe TACE?
      answer: {michels: "III", hiatt: 3, outcome: classified, variants: []}
      explanation: Two to five sentences in the author's own words.
      references: [{citation: ..., doi: ..., url: ...}]   # the case report first
      difficulty: introductory          # introductory | intermediate | advanced
      tags: [michels-iii, replaced-rha, tace]
      followup: {...}                   # optional: a hepatic-followup/1 document

The answer is the classifier's: Michels type (or null), Hiatt type (or null), outcome
(classified, unclassified, incomplete) and the ids of the named variants outside Michels
it reports; a test checks every case against it. Files are validated when first read; a
malformed file raises ReferenceDataError naming the file and the field. Teaching files
go to classrooms: a date, or text that reads as one, is refused anywhere in them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from anatomy.case import Case, parse_case
from anatomy.errors import CaseError, ReferenceDataError, UnreadableError
from anatomy.formats.document import Repeated, read_document
from anatomy.reference.datafiles import data_dir
from anatomy.reference.patterns import non_michels_patterns
from anatomy.response.followup import FollowUp, looks_like_date, parse_followup

__all__ = [
    "Answer",
    "Reference",
    "TeachingCase",
    "load_teaching_case",
    "teaching_case",
    "teaching_cases",
]

FOLDER = "teaching_cases"
# Bibliographic identifiers are not dates, though some read like one (a DOI such as
# 10.1016/j.aanat.2009.06.006, a URL path such as /185/1/247): they are left out of the
# date check.
_IDENTIFIER = re.compile(r"\b10\.\d{4,9}/\S+|https?://\S+")


# -- the teaching block (pydantic at the edge) ------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_Tag = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
_VariantId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]


class ReferenceIn(_Strict):
    """A publication the case was written from, or one that it cites for a fact."""

    citation: Annotated[str, Field(min_length=10, max_length=600)]
    doi: Annotated[str, Field(pattern=r"^10\.\d{4,9}/\S+$", max_length=200)] | None = None
    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=500)] | None = None


class AnswerIn(_Strict):
    """What the classifier says of the case: ``michels`` and ``hiatt`` must be written,
    null when the anatomy has no such type."""

    michels: Literal["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"] | None
    hiatt: Annotated[int, Field(strict=True, ge=1, le=6)] | None
    outcome: Literal["classified", "unclassified", "incomplete"]
    variants: list[_VariantId] = []

    @model_validator(mode="after")
    def _type_with_outcome(self) -> AnswerIn:
        if (self.michels is not None) != (self.outcome == "classified"):
            raise ValueError(
                "`michels` is a type exactly when `outcome` is classified (null otherwise)"
            )
        return self


class TeachingIn(_Strict):
    """The ``teaching`` block of a teaching case file."""

    question: Annotated[str, Field(min_length=1, max_length=500)]
    answer: AnswerIn
    explanation: Annotated[str, Field(min_length=1, max_length=2000)]
    references: list[ReferenceIn] = Field(min_length=1)
    difficulty: Literal["introductory", "intermediate", "advanced"]
    tags: list[_Tag] = Field(min_length=1)
    followup: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _tags_once(self) -> TeachingIn:
        if len(set(self.tags)) != len(self.tags):
            raise ValueError("each tag is written once")
        return self


# -- what callers get --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reference:
    citation: str
    doi: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """The classifier's answer for the case."""

    michels: str | None
    hiatt: int | None
    outcome: str  # classified | unclassified | incomplete
    variants: tuple[str, ...]  # ids of named variants outside Michels


@dataclass(frozen=True, slots=True)
class TeachingCase:
    """One teaching case: the validated anatomy and what a class is to learn from it."""

    id: str
    case: Case
    question: str
    answer: Answer
    explanation: str
    references: tuple[Reference, ...]
    difficulty: str
    tags: tuple[str, ...]
    followup: FollowUp | None = None
    followup_document: Mapping[str, Any] | None = None  # as the file writes it (for editors)

    @property
    def title(self) -> str:
        return self.case.title or self.id


# -- reading -----------------------------------------------------------------------------


@cache
def teaching_cases() -> tuple[TeachingCase, ...]:
    """Every teaching case, sorted by id (read and validated once)."""
    folder = data_dir() / FOLDER
    return tuple(sorted((load_teaching_case(p) for p in folder.glob("*.yaml")), key=lambda c: c.id))


@cache
def _by_id() -> Mapping[str, TeachingCase]:
    return {item.id: item for item in teaching_cases()}


def teaching_case(case_id: str) -> TeachingCase:
    """The teaching case with this id; KeyError when there is none."""
    return _by_id()[case_id]


def load_teaching_case(path: str | Path, *, shown_as: str | None = None) -> TeachingCase:
    """Read and validate one teaching case file; ReferenceDataError naming the file and
    the field when it is malformed. Messages name the file ``shown_as`` when given (an
    instructor's file by its name in the folder), else relative to data/."""
    path = Path(path)
    name = shown_as or _name(path)
    try:
        raw = read_document(path.read_bytes())
    except OSError as exc:
        raise ReferenceDataError(
            f"{name} cannot be read: {exc.strerror or exc}. Fix: check that the file exists"
        ) from None
    except UnreadableError as exc:
        raise ReferenceDataError(f"{name}: {exc.problems[0]}") from None
    if not isinstance(raw, Mapping):
        raise ReferenceDataError(
            f"{name}: a teaching case is a mapping (a case with a `teaching` key). "
            "Fix: start from an existing file in data/teaching_cases/"
        )
    _refuse_repeats_and_dates(raw, name)
    document = dict(raw)
    block = document.pop("teaching", None)
    if block is None:
        raise ReferenceDataError(
            f"{name}: the `teaching` block is missing. Fix: add `teaching:` with question, "
            "answer, explanation, references, difficulty and tags (docs/data-schemas.md)"
        )
    teaching = _teaching_block(block, name)
    try:
        case = parse_case(document, source=name)
    except CaseError as exc:
        raise ReferenceDataError(str(exc)) from None
    if case.id != path.stem:
        raise ReferenceDataError(
            f"{name}: id: '{case.id}' must equal the file name. Fix: write `id: {path.stem}`"
        )
    for field in ("title", "source"):
        if not getattr(case, field):
            raise ReferenceDataError(
                f"{name}: {field}: a teaching case needs a {field}. Fix: add `{field}:` "
                "(the source is the full citation of the case report)"
            )
    _check_variants(teaching.answer.variants, name)
    return TeachingCase(
        id=path.stem,
        case=case,
        question=teaching.question,
        answer=Answer(
            michels=teaching.answer.michels,
            hiatt=teaching.answer.hiatt,
            outcome=teaching.answer.outcome,
            variants=tuple(teaching.answer.variants),
        ),
        explanation=teaching.explanation,
        references=tuple(Reference(r.citation, r.doi, r.url) for r in teaching.references),
        difficulty=teaching.difficulty,
        tags=tuple(teaching.tags),
        followup=_followup(teaching.followup, case, name),
        followup_document=teaching.followup,
    )


def _teaching_block(block: object, name: str) -> TeachingIn:
    """The ``teaching`` block validated; every problem named by its field, with the fix."""
    try:
        return TeachingIn.model_validate(block)
    except ValidationError as exc:
        problems = [
            f"teaching{'.' if error['loc'] else ''}{_where(tuple(error['loc']))}: "
            f"{error['msg'].rstrip('.')}"
            for error in exc.errors(include_input=False, include_url=False)
        ]
        raise ReferenceDataError(
            f"{name}: {'; '.join(problems)}. Fix: write the block as docs/data-schemas.md "
            "describes (the files in data/teaching_cases/ are examples)"
        ) from None


def _name(path: Path) -> str:
    """The file as messages name it: relative to data/ when it is there."""
    try:
        return path.resolve().relative_to(data_dir()).as_posix()
    except ValueError:
        return str(path)


def _where(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(file)"


def _refuse_repeats_and_dates(raw: Mapping[str, Any], name: str) -> None:
    """A key written twice, or a date, anywhere in the document (walked without recursion)."""
    stack: list[tuple[tuple[str | int, ...], object]] = [((), raw)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, Repeated):
            raise ReferenceDataError(
                f"{name}: {_where(loc)}: the key '{value.repeated[0]}' is written more than "
                "once. Fix: keep one of them"
            )
        if looks_like_date(_IDENTIFIER.sub(" ", value) if isinstance(value, str) else value):
            raise ReferenceDataError(
                f"{name}: {_where(loc)}: a date, or text that reads as one, is not allowed in "
                "a teaching case. Fix: remove it (intervals are written as 'month 3')"
            )
        if isinstance(value, Mapping):
            for key, item in value.items():
                if looks_like_date(key):
                    raise ReferenceDataError(
                        f"{name}: {_where(loc)}: a key that reads as a date is not allowed. "
                        "Fix: remove it"
                    )
                stack.append(((*loc, str(key)), item))
        elif isinstance(value, list):
            stack.extend(((*loc, i), item) for i, item in enumerate(value))


def _check_variants(variants: list[str], name: str) -> None:
    known = sorted(p.id for p in non_michels_patterns())
    for i, variant in enumerate(variants):
        if variant not in known:
            raise ReferenceDataError(
                f"{name}: teaching.answer.variants[{i}]: '{variant}' is not a variant outside "
                f"Michels. Fix: use one of {', '.join(known)}"
            )


def _followup(raw: dict[str, Any] | None, case: Case, name: str) -> FollowUp | None:
    if raw is None:
        return None
    try:
        followup = parse_followup(raw, case.tumors, source=f"{name}, teaching.followup")
    except CaseError as exc:  # FollowUpError and UnreadableError are CaseErrors
        raise ReferenceDataError(str(exc)) from None
    if followup.case not in (None, case.id):
        raise ReferenceDataError(
            f"{name}: teaching.followup.case: '{followup.case}' is not this case. "
            f"Fix: write `case: {case.id}` or leave it out"
        )
    return followup
