"""The follow-up file (``hepatic-followup/1``, docs/followup-format.md): reading and checking.

One or more assessments labelled by interval ("week 6"), never by date: measurements of
the baseline's tumors and new lesions. Pydantic checks the file's schema; ids are checked
against the baseline here. A malformed file raises one FollowUpError holding every
problem, each naming the field and the fix. The assessment itself is assess.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
)

from anatomy.case import (
    NonNegative,
    Positive,
    Segments,
    Slug,
    Tumor,
    enhancing_exceeds_diameter,
    repeated_keys,
)
from anatomy.errors import FollowUpError, Problem, UnreadableError, sort_problems
from anatomy.formats.document import read_document
from anatomy.segments import Segment

__all__ = [
    "FOLLOWUP_FORMAT",
    "Assessment",
    "FollowUp",
    "Measurement",
    "NewLesion",
    "load_followup",
    "looks_like_date",
    "parse_followup",
]

FOLLOWUP_FORMAT = "hepatic-followup/1"
_DATE = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|"
    r"\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)


# -- the follow-up file (pydantic at the edge) -----------------------------------------


def looks_like_date(value: object) -> bool:
    """Whether a parsed value is a date or text that reads as one (``2025-03-01``,
    ``1/3/25``, ``3 March``): files that may reach other people carry no dates.

    >>> looks_like_date("week 6"), looks_like_date("3 March"), looks_like_date("2025;9(2):312")
    (False, True, False)
    """
    return isinstance(value, dt.date) or (isinstance(value, str) and bool(_DATE.search(value)))


def _not_a_date(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        raise ValueError(
            "a date is not allowed here; write an interval label such as 'week 6' or 'month 3'"
        )
    if looks_like_date(value):
        raise ValueError(
            f"'{value}' looks like a date; write an interval label such as 'week 6' or 'month 3'"
        )
    return value


# Measurements, ids and segments are checked exactly as in a case file (anatomy/case.py).
_Millimetres = NonNegative  # 0 = the lesion is gone
_Size = Positive
_Interval = Annotated[str, BeforeValidator(_not_a_date), Field(min_length=1, max_length=60)]
_Label = Annotated[str, BeforeValidator(_not_a_date), Field(max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LesionIn(_Strict):
    """A baseline tumor measured again."""

    id: Slug
    diameter_mm: _Millimetres | None = None
    enhancing_diameter_mm: _Millimetres | None = None
    note: _Label | None = None


class NewLesionIn(_Strict):
    """A lesion not present at baseline, and what the reader saw of it."""

    id: Slug | None = None
    site: Literal["liver", "extrahepatic"] = "liver"
    segments: Segments = frozenset()
    diameter_mm: _Size | None = None
    arterial_enhancement: StrictBool | None = None
    washout: StrictBool | None = None
    unequivocal: StrictBool | None = None
    label: _Label | None = None


class AssessmentIn(_Strict):
    """One follow-up time point."""

    interval: _Interval
    lesions: list[LesionIn] = []
    new_lesions: list[NewLesionIn] = []
    non_target: Literal["absent", "present", "unequivocal_progression"] | None = None
    note: _Label | None = None


class FollowUpIn(_Strict):
    """The top level of a follow-up file."""

    format: Literal["hepatic-followup/1"] | None = None
    case: Slug | None = None
    assessments: list[AssessmentIn] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Measurement:
    """One lesion at one time point (0 mm = gone; None = not measured)."""

    id: str
    diameter_mm: float | None
    enhancing_diameter_mm: float | None


@dataclass(frozen=True, slots=True)
class NewLesion:
    """A lesion not present at baseline. ``None`` = not stated (docs/followup-format.md):
    ``unequivocal`` not stated is never taken as unequivocal, an enhancement or washout not
    stated is not the typical pattern."""

    segments: frozenset[Segment]
    diameter_mm: float | None
    label: str | None
    id: str | None = None
    site: Literal["liver", "extrahepatic"] = "liver"
    arterial_enhancement: bool | None = None
    washout: bool | None = None
    unequivocal: bool | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    """One follow-up time point, validated against the baseline."""

    interval: str
    lesions: Mapping[str, Measurement]
    new_lesions: tuple[NewLesion, ...]
    non_target: str | None


@dataclass(frozen=True, slots=True)
class FollowUp:
    case: str | None
    assessments: tuple[Assessment, ...]


def load_followup(path: str | Path, baseline: Sequence[Tumor]) -> FollowUp:
    """Read and validate a follow-up file (YAML or JSON) against the baseline tumors."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FollowUpError(
            [
                Problem(
                    "unreadable",
                    (),
                    f"cannot read the file: {exc.strerror or exc}.",
                    "check the path and that the file is readable",
                )
            ],
            str(path),
        ) from None
    try:
        data = read_document(raw)
    except UnreadableError as exc:
        raise FollowUpError(exc.problems, str(path)) from None
    return parse_followup(data, baseline, source=str(path))


def parse_followup(data: object, baseline: Sequence[Tumor], source: str | None = None) -> FollowUp:
    """Validate a parsed follow-up document; every problem at once, as a FollowUpError."""
    if not isinstance(data, Mapping):
        raise FollowUpError(
            [
                Problem(
                    "wrong_type",
                    (),
                    "a follow-up file must be a mapping with an `assessments` list.",
                    "start the file with `format: hepatic-followup/1` and `assessments:` "
                    "(docs/followup-format.md)",
                )
            ],
            source,
        )
    problems = (
        repeated_keys(data, ("assessments",))
        + _id_problems(data, baseline)
        + _new_lesion_problems(data, baseline)
    )
    try:
        parsed = FollowUpIn.model_validate(data)
    except ValidationError as exc:
        raise FollowUpError(sort_problems(problems + _problems(exc)), source) from None
    assessments = []
    for item in parsed.assessments:
        assessments.append(
            Assessment(
                interval=item.interval,
                lesions={
                    n.id: Measurement(n.id, n.diameter_mm, n.enhancing_diameter_mm)
                    for n in item.lesions
                },
                new_lesions=tuple(
                    NewLesion(
                        n.segments,
                        n.diameter_mm,
                        n.label,
                        id=n.id,
                        site=n.site,
                        arterial_enhancement=n.arterial_enhancement,
                        washout=n.washout,
                        unequivocal=n.unequivocal,
                    )
                    for n in item.new_lesions
                ),
                non_target=item.non_target,
            )
        )
    intervals = [a.interval for a in assessments]
    for i, name in enumerate(intervals):
        if name in intervals[:i]:
            problems.append(
                Problem(
                    "duplicate_interval",
                    ("assessments", i, "interval"),
                    f"the interval '{name}' is used twice.",
                    "give each assessment its own interval label, in time order",
                )
            )
    if problems:
        raise FollowUpError(sort_problems(problems), source)
    return FollowUp(parsed.case, tuple(assessments))


def _id_problems(data: Mapping[str, Any], baseline: Sequence[Tumor]) -> list[Problem]:
    """Lesion ids that are not baseline tumors, or measured twice at one time point.

    Read from the raw document, so they are reported with the schema's problems."""
    known = {t.id for t in baseline}
    ids = ", ".join(sorted(known)) or "none (the case has no tumors)"
    problems = []
    assessments = data.get("assessments")
    for i, item in enumerate(assessments if isinstance(assessments, list) else []):
        lesions = item.get("lesions") if isinstance(item, Mapping) else None
        seen: set[str] = set()
        for j, lesion in enumerate(lesions if isinstance(lesions, list) else []):
            lesion_id = lesion.get("id") if isinstance(lesion, Mapping) else None
            if not isinstance(lesion_id, str | int) or isinstance(lesion_id, bool):
                continue  # missing or mistyped: the schema reports it
            lesion_id = str(lesion_id)
            where: tuple[str | int, ...] = ("assessments", i, "lesions", j, "id")
            if lesion_id not in known:
                problems.append(
                    Problem(
                        "unknown_tumor",
                        where,
                        f"tumor '{lesion_id}' is not a tumor of the baseline case.",
                        f"use one of the case's tumor ids ({ids}); list a lesion that is new "
                        "since baseline under `new_lesions`",
                    )
                )
            elif lesion_id in seen:
                problems.append(
                    Problem(
                        "duplicate_id",
                        where,
                        f"tumor '{lesion_id}' is measured twice at one time point.",
                        "give each tumor one entry per assessment",
                    )
                )
            seen.add(lesion_id)
            larger = enhancing_exceeds_diameter(
                ("assessments", i, "lesions", j),
                f"tumor '{lesion_id}' at this time point",
                _millimetres(lesion.get("diameter_mm")),
                _millimetres(lesion.get("enhancing_diameter_mm")),
            )
            if larger is not None:
                problems.append(larger)
    return problems


def _millimetres(value: object) -> float | None:
    """A measurement as written, when it is one (the schema reports anything else)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _new_lesion_problems(data: Mapping[str, Any], baseline: Sequence[Tumor]) -> list[Problem]:
    """New-lesion ids that are baseline tumors or repeat within one time point, and
    extrahepatic lesions given liver segments. Read from the raw document."""
    known = {t.id for t in baseline}
    problems = []
    assessments = data.get("assessments")
    for i, item in enumerate(assessments if isinstance(assessments, list) else []):
        lesions = item.get("new_lesions") if isinstance(item, Mapping) else None
        seen: set[str] = set()
        for j, lesion in enumerate(lesions if isinstance(lesions, list) else []):
            if not isinstance(lesion, Mapping):
                continue  # the schema reports it
            where: tuple[str | int, ...] = ("assessments", i, "new_lesions", j)
            if lesion.get("site") == "extrahepatic" and lesion.get("segments"):
                problems.append(
                    Problem(
                        "extrahepatic_with_segments",
                        (*where, "segments"),
                        "an extrahepatic new lesion has no liver segments.",
                        "remove `segments`, or write `site: liver` if the lesion is in the liver",
                    )
                )
            lesion_id = lesion.get("id")
            if not isinstance(lesion_id, str | int) or isinstance(lesion_id, bool):
                continue
            lesion_id = str(lesion_id)
            if lesion_id in known:
                problems.append(
                    Problem(
                        "baseline_tumor_as_new",
                        (*where, "id"),
                        f"'{lesion_id}' is a tumor of the baseline case, not a new lesion.",
                        "measure it under `lesions`, or give the new lesion an id of its own",
                    )
                )
            elif lesion_id in seen:
                problems.append(
                    Problem(
                        "duplicate_id",
                        (*where, "id"),
                        f"new lesion '{lesion_id}' is listed twice at one time point.",
                        "give each new lesion one entry per assessment; the same id at later "
                        "assessments follows it",
                    )
                )
            seen.add(lesion_id)
    return problems


def _problems(exc: ValidationError) -> list[Problem]:
    out = []
    for error in exc.errors(include_input=False, include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        message = error["msg"].rstrip(".").removeprefix("Value error, ")
        fix = "correct the value as described (docs/followup-format.md)"
        field = loc[-1] if loc else ""
        if kind == "extra_forbidden":
            message = f"unknown key '{field}'"
            fix = (
                "remove it or check its spelling against docs/followup-format.md; the "
                "file has no field for dates or patient identifiers"
            )
        elif str(field).endswith("_mm"):
            message = "bad number: must be a number of millimetres, 0 or more (0 = gone)"
            fix = "write a number such as 40 or 12.5"
            if kind == "greater_than":
                message = "bad number: must be more than 0 mm"
        elif kind == "missing":
            fix = "add it"
        elif field == "format":
            message = f"unknown format; this reader understands `{FOLLOWUP_FORMAT}`"
            fix = f"write `format: {FOLLOWUP_FORMAT}` or leave it out"
        elif field == "non_target":
            fix = "use absent, present or unequivocal_progression"
        elif field in ("arterial_enhancement", "washout", "unequivocal"):
            message = "must be true or false"
            fix = "write true or false, or leave it out when it was not assessed"
        elif field == "site":
            fix = "use liver or extrahepatic"
        elif field == "interval" or field == "note" or field == "label":
            fix = "write an interval label such as 'week 6' (no dates)"
        elif field == "assessments" and kind == "too_short":
            fix = "add at least one assessment"
        out.append(Problem("invalid_field", loc, message + ".", fix))
    return out
