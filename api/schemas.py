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
    "BuiltinCaseOut",
    "BuiltinCasesOut",
    "CaseDetailOut",
    "CaseHeadOut",
    "ClassificationOut",
    "ClassifyOut",
    "FindingOut",
    "HealthOut",
    "PlanOut",
    "ReadyOut",
    "ResponseOut",
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


class BuiltinCaseOut(BaseModel):
    """A case shipped with the package (the seed report, teaching cases)."""

    id: str
    title: str | None
    source: str | None
    tags: list[str] = Field(description="Its collection and Michels type, e.g. Michels III.")


class CaseDetailOut(VersionsOut, BuiltinCaseOut):
    case: dict[str, Any] = Field(description="The case file (hepatic-case/1) as shipped.")
    followup: dict[str, Any] | None = Field(
        description="Its follow-up measurements (hepatic-followup/1), when it has them."
    )


class BuiltinCasesOut(VersionsOut):
    cases: list[BuiltinCaseOut]


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
