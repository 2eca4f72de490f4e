"""Plans: where to put the catheter to reach every tumor, and what lies beyond the tip."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from anatomy.case import Case
from anatomy.output.documents import plan_document
from anatomy.pipeline import answer
from anatomy.reference.access import access_ids
from api.deps import CASE_PROBLEMS, CaseBody
from api.openapi import case_body
from api.problems import responses
from api.schemas import PlanOut, json_body

router = APIRouter(prefix="/v1", tags=["plans"])

AccessQuery = Annotated[
    str,
    Query(
        description="Arterial access site: femoral (right common femoral), left-femoral, "
        "radial (left radial) or right-radial (through the brachiocephalic trunk); "
        "right-femoral and left-radial are aliases. Every route starts there.",
        pattern="^(" + "|".join(re.escape(i) for i in access_ids()) + ")$",
        json_schema_extra={"enum": list(access_ids())},
    ),
]


@router.post(
    "/plan",
    response_model=PlanOut,
    responses=responses(*CASE_PROBLEMS, "invalid-parameter"),
    openapi_extra=case_body("The case with its tumors (hepatic-case/1), JSON or YAML."),
)
async def plan(body: CaseBody, access: AccessQuery = "femoral") -> Response:
    """Plan TACE: per tumor its feeders and catheter positions (path, level, non-target
    branches beyond the tip, the route from the access artery), and the smallest set of
    positions that reaches them all."""

    def document(case: Case) -> dict[str, Any]:
        done = answer(case, with_plan=True, access=access)
        assert done.plan is not None
        return plan_document(case, done.classification, done.plan)

    return json_body(await body.run(document))
