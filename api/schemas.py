"""Response bodies, named by direction (``…Out``). Requests are case files (anatomy.case).

The models document the stable part of each answer (case-format.md, "Machine-readable
output"); the classification and the plan may carry more keys, so those allow extras.
"""

from __future__ import annotations

from typing import Any, Literal

import orjson
from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field

from anatomy.output.documents import versions
from anatomy.reference.patterns import Pattern, pattern_dict

__all__ = [
    "AnswerIn",
    "CaseAnswerOut",
    "CaseDetailOut",
    "CaseHeadOut",
    "CaseSummaryOut",
    "CasesOut",
    "CheckIn",
    "CheckOut",
    "CheckResultOut",
    "ChoiceOut",
    "ClassificationOut",
    "ClassifyOut",
    "FindingOut",
    "HealthOut",
    "LibraryStatusOut",
    "PlanOut",
    "QuestionOut",
    "QuizOut",
    "ReadyOut",
    "ReferenceOut",
    "RejectedOut",
    "ResponseOut",
    "ScoreOut",
    "ValidateOut",
    "VariantDetailOut",
    "VariantOut",
    "VariantsOut",
    "VersionsOut",
    "VocabularyOut",
    "json_body",
    "variant_head",
    "version_headers",
]


class VersionsOut(BaseModel):
    """Which code and which reference data produced the answer."""

    tool_version: str = Field(description="Version of the hepatic package.")
    data_version: str = Field(description="sha256 prefix over all reference data files.")


class CaseHeadOut(BaseModel):
    """The submitted case, in brief."""

    id: str | None
    title: str | None
    vessels: int
    tumors: int


class FindingOut(BaseModel):
    """One fact about one vessel, with a stable code."""

    model_config = ConfigDict(extra="allow")
    code: str
    vessel: str | None
    message: str


class ClassificationOut(BaseModel):
    """Michels and Hiatt types, the findings, and the reasons behind them."""

    model_config = ConfigDict(extra="allow")
    outcome: str = Field(description="classified, unclassified or incomplete.")
    michels: str | None = Field(description='"I" … "X", or null when no Michels type fits.')
    michels_subtype: str | None = Field(description="VIIIa or VIIIb for type VIII.")
    hiatt: int | None = Field(description="Hiatt type 1–6, or null.")
    findings: list[FindingOut]
    reasons: list[str] = Field(description="The sentences that justify the answer.")


class ClassifyOut(VersionsOut):
    case: CaseHeadOut
    classification: ClassificationOut
    summary: str = Field(description="What a radiologist reads in ten seconds (plain text).")


class ValidateOut(VersionsOut):
    valid: Literal[True]
    vessels: int
    tumors: int


class PlanOut(VersionsOut):
    case: CaseHeadOut
    plan: dict[str, Any] = Field(
        description="One entry per tumor with its catheter positions (`targets`), each "
        "naming its `vessel` and its `path` from the root."
    )


class ResponseOut(VersionsOut):
    case: CaseHeadOut
    response: dict[str, Any] = Field(
        description="RECIST 1.1 and mRECIST (docs/followup-format.md, JSON output): the "
        "criteria, the baseline targets and why, and per interval each criterion's "
        "`category`, sums, changes and `arithmetic` (the lines of the calculation)."
    )
    text: str = Field(description="The same as `hepatic response` prints it (plain text).")


class KindOut(BaseModel):
    """One vessel kind a case may name, with every written form the reader accepts."""

    name: str = Field(description="Canonical name (snake_case), e.g. right_hepatic.")
    label: str = Field(description="How people write it in full: right hepatic artery.")
    abbreviations: list[str] = Field(description="RHA, …; the first is the diagrams' name.")
    synonyms: list[str]
    group: str = Field(
        description="aorta, access, visceral_trunk, hepatic_axis, hepatic, extrahepatic or "
        "collateral."
    )
    side: str | None = Field(description="right, left, segment_iv or caudate, for hepatic kinds.")
    territory: list[str] = Field(description="Its usual territory (Couinaud segments).")
    status_words: bool = Field(
        description="Whether `replaced`/`accessory` (rRHA, aLHA) may be written before it."
    )
    organ_at_risk: str | None


class LocationOut(BaseModel):
    """A tumor location the planner reads from words in the tumor's label."""

    name: str = Field(description="dome, bare_area, subcapsular, …")
    words: list[str] = Field(description="The words in a label that name it; the first is used.")


class VocabularyOut(VersionsOut):
    kinds: list[KindOut]
    tumor_locations: list[LocationOut] = Field(
        description="Locations that rank the extrahepatic collaterals to check; the planner "
        "reads them from the tumor's `label`."
    )


class PrevalenceOut(BaseModel):
    percent: float | None
    n: int | None
    of: int | None
    population: str | None
    source: str
    note: str | None


class VariantOut(BaseModel):
    """A Michels type or a named variant outside Michels."""

    id: str = Field(description="Stable id, e.g. michels-iii.")
    scheme: Literal["michels", "non_michels"]
    type: str | None = Field(description="Michels type I … X, VIIIa, VIIIb; null outside it.")
    michels: str | None = Field(description="The type as a classification reports it.")
    name: str
    definition: str
    hiatt: int | None
    prevalence: list[PrevalenceOut]
    catheter_route: str | None
    teaching: list[str]


class VariantDetailOut(VersionsOut, VariantOut):
    example: dict[str, Any] = Field(description="An example case (hepatic-case/1) of it.")


class VariantsOut(VersionsOut):
    variants: list[VariantOut]


class HealthOut(BaseModel):
    status: Literal["ok"]


class ReadyOut(VersionsOut):
    status: Literal["ready"]
    variants: int = Field(description="Patterns loaded.")
    vessel_kinds: int = Field(description="Vocabulary entries loaded.")


VERSION_HEADERS_DOC = {
    "Hepatic-Tool-Version": {
        "description": "Version of the hepatic package.",
        "schema": {"type": "string"},
    },
    "Hepatic-Data-Version": {
        "description": "sha256 prefix over all reference data files.",
        "schema": {"type": "string"},
    },
}


def version_headers() -> dict[str, str]:
    """The versions as response headers, for answers that are not JSON (images, reports)."""
    found = versions()
    return {
        "Hepatic-Tool-Version": found["tool_version"],
        "Hepatic-Data-Version": found["data_version"],
    }


def json_body(document: dict[str, Any]) -> Response:
    """A JSON answer written by orjson, for large computed documents.

    The route still declares its ``response_model`` for the OpenAPI; the document is built
    to that model (the API tests and schemathesis check it) and is not validated again per
    request. Same bytes as FastAPI's own path: compact, UTF-8.
    """
    return Response(orjson.dumps(document), media_type="application/json")


def variant_head(item: Pattern) -> dict[str, Any]:
    """The VariantOut of a pattern."""
    return pattern_dict(item)


# -- the teaching library and the quiz ----------------------------------------------------


class CaseSummaryOut(BaseModel):
    """A teaching case as a list shows it."""

    id: str = Field(description="Stable id (the file's name), e.g. khassaf-2025-rrha-sma-net-tace.")
    title: str
    source: str | None = Field(description="Citation of the case report it was written from.")
    modality: str | None
    difficulty: Literal["introductory", "intermediate", "advanced"]
    tags: list[str]
    type: str = Field(
        description='The answer for filtering: "Michels III", unclassified, incomplete.'
    )
    origin: Literal["built-in", "instructor"]


class CasesOut(VersionsOut):
    cases: list[CaseSummaryOut]


class ReferenceOut(BaseModel):
    citation: str
    doi: str | None
    url: str | None


class CaseAnswerOut(BaseModel):
    """The classifier's answer for the case, in the author's words, with its sources."""

    michels: str | None = Field(description='"I" … "X" (VIIIa and VIIIb are "VIII"), or null.')
    hiatt: int | None
    outcome: Literal["classified", "unclassified", "incomplete"]
    variants: list[str] = Field(description="Ids of the named variants outside Michels.")
    explanation: str
    references: list[ReferenceOut]


class CaseDetailOut(VersionsOut, CaseSummaryOut):
    question: str
    case: dict[str, Any] = Field(
        description="The case (hepatic-case/1); its notes only with the answer."
    )
    followup: dict[str, Any] | None = Field(
        description="Its follow-up measurements (hepatic-followup/1), when it has them."
    )
    answer: CaseAnswerOut | None = Field(description="Only with ?answer=true.")


class RejectedOut(BaseModel):
    file: str = Field(description="The file, by its name in the instructor's folder.")
    problem: str = Field(description="One line: the file, the field, and the fix.")


class LibraryStatusOut(BaseModel):
    """What the library holds, and the instructor's files that could not join it."""

    folder: str | None = Field(description="The instructor's folder (HEPATIC_CASES_DIR), if any.")
    cases: int = Field(description="Cases in the library, built-in and instructor's.")
    instructor_cases: int
    rejected: list[RejectedOut]


class ChoiceOut(BaseModel):
    key: str = Field(description="The letter to answer with: A, B, C …")
    text: str


class QuestionOut(BaseModel):
    """A question, without its answer."""

    id: str = Field(description="Stable id; all POST /v1/quiz/check needs.")
    kind: Literal["name_type", "replaced_or_accessory", "catheter", "not_excluded", "response"]
    title: str
    prompt: str = Field(description="The question; lines separated by newlines.")
    choices: list[ChoiceOut]
    figure: str | None = Field(description="URL of the figure (SVG) the question refers to.")
    about: str | None = Field(
        description="The library case or pattern it is made from, when naming it gives "
        "nothing away."
    )


class QuizOut(VersionsOut):
    seed: int = Field(description="Ask again with this seed for the same questions.")
    questions: list[QuestionOut]


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(pattern=r"^q[0-9a-f]{10}$", description="A question's id.")
    answer: str = Field(
        min_length=1,
        max_length=200,
        description='A choice\'s letter or text, or words: "III", "type 3", "partial response".',
    )


class CheckIn(BaseModel):
    """Answers to check: one or several."""

    model_config = ConfigDict(extra="forbid")
    answers: list[AnswerIn] = Field(min_length=1, max_length=100)


class CheckResultOut(BaseModel):
    question: str
    read_as: str | None = Field(description="How the answer was understood; null: as nothing.")
    correct: bool
    answer: str = Field(description="The right answer.")
    answer_key: str | None = Field(description="The right choice's letter.")
    explanation: str
    sources: list[str]


class ScoreOut(BaseModel):
    correct: int
    total: int
    percent: int


class CheckOut(VersionsOut):
    results: list[CheckResultOut]
    score: ScoreOut
