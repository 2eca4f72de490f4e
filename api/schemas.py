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
    "CaseHeadOut",
    "ClassificationOut",
    "ClassifyOut",
    "FindingOut",
    "HealthOut",
    "PlanOut",
    "ReadyOut",
    "ValidateOut",
    "VariantDetailOut",
    "VariantOut",
    "VariantsOut",
    "VersionsOut",
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
