"""Follow-up: the response to treatment by RECIST 1.1 and mRECIST, with the arithmetic."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from anatomy.case import Case
from anatomy.output.documents import case_head, versions
from anatomy.response.assess import assess, response_dict, response_text
from anatomy.response.followup import FollowUp
from api.deps import FOLLOWUP_PROBLEMS, CaseWithFollowUpBody
from api.openapi import case_and_followup_body
from api.problems import responses
from api.schemas import ResponseOut, json_body

router = APIRouter(prefix="/v1", tags=["follow-up"])


@router.post(
    "/response",
    response_model=ResponseOut,
    responses=responses(*FOLLOWUP_PROBLEMS),
    openapi_extra=case_and_followup_body(
        "`case`: the baseline case (hepatic-case/1) whose tumors carry the baseline "
        "diameters; `followup`: the measurements at each interval (hepatic-followup/1, "
        "docs/followup-format.md). JSON or YAML. The example is the seed report: the "
        "segment IV lesion 85 → 40 mm after one TACE; the report does not measure the "
        "II/III lesion again, so the example takes it as unchanged.",
        followup_required=True,
    ),
)
async def response(body: CaseWithFollowUpBody) -> Response:
    """RECIST 1.1 and mRECIST per interval: the target lesions and why, the sums, the
    change against baseline and nadir with the arithmetic written out, and the category
    (CR, PR, SD, PD, NE or non-CR/non-PD)."""
    case, followup = body.case, body.followup
    assert followup is not None  # the dependency requires it

    def document(_: Case) -> dict[str, Any]:
        assessed = assess(case.tumors, followup)
        return {
            **versions(),
            "case": case_head(case),
            "response": response_dict(assessed),
            "text": response_text(assessed),
        }

    return json_body(await body.run(document))


def case_response(case: Case, followup: FollowUp) -> dict[str, Any]:
    """The response document (``anatomy.response.response_dict``) of a follow-up."""
    return response_dict(assess(case.tumors, followup))
