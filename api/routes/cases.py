"""Cases in: validate one, classify one (Michels and Hiatt types, findings, reasons)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from anatomy.case import Case
from anatomy.output.documents import classification_document, versions
from anatomy.pipeline import answer
from api.deps import CASE_PROBLEMS, CaseBody
from api.openapi import case_body
from api.problems import responses
from api.schemas import ClassifyOut, ValidateOut, json_body

router = APIRouter(prefix="/v1", tags=["cases"])


@router.post(
    "/validate",
    response_model=ValidateOut,
    responses=responses(*CASE_PROBLEMS),
    openapi_extra=case_body("A case (hepatic-case/1) as JSON or YAML."),
)
async def validate(body: CaseBody) -> dict[str, Any]:
    """Check a case against the case format; every problem is listed at once (422)."""
    case = body.case
    return {**versions(), "valid": True, "vessels": len(case.vessels), "tumors": len(case.tumors)}


@router.post(
    "/classify",
    response_model=ClassifyOut,
    responses=responses(*CASE_PROBLEMS),
    openapi_extra=case_body("The arterial tree to classify (hepatic-case/1), JSON or YAML."),
)
async def classify(body: CaseBody) -> Response:
    """Classify the arterial tree: Michels and Hiatt types, findings, and the reasons."""
    return json_body(await body.run(_classification))


def _classification(case: Case) -> dict[str, Any]:
    return classification_document(case, answer(case).classification)
