"""Plans: where to put the catheter to reach every tumor, and what lies beyond the tip."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from anatomy.case import Case
from anatomy.plan import plan_case
from anatomy.plan_json import plan_dict
from anatomy.serialize import versions
from api.access import Side, sided_plan
from api.deps import CASE_PROBLEMS, CaseBody
from api.openapi import case_body
from api.problems import responses
from api.schemas import PlanOut, case_head, json_body

router = APIRouter(prefix="/v1", tags=["plans"])

AccessQuery = Annotated[
    Literal["femoral", "radial"],
    Query(description="Arterial access site: the common femoral or the radial artery."),
]
SideQuery = Annotated[
    Side | None,
    Query(
        description="Which leg or arm: right or left. Routes then name it (`L radial > "
        "brachial > axillary > L subclavian > arch > …`; the right radial route passes the "
        "brachiocephalic trunk). Left out: the right femoral artery, or a radial route "
        "that names no side."
    ),
]


@router.post(
    "/plan",
    response_model=PlanOut,
    responses=responses(*CASE_PROBLEMS, "invalid-parameter"),
    openapi_extra=case_body("The case with its tumors (hepatic-case/1), JSON or YAML."),
)
async def plan(body: CaseBody, access: AccessQuery = "femoral", side: SideQuery = None) -> Response:
    """Plan TACE: per tumor its feeders and catheter positions (path, level, non-target
    branches beyond the tip, the route from the access artery), and the smallest set of
    positions that reaches them all."""

    def document(case: Case) -> dict[str, Any]:
        return {**versions(), "case": case_head(case), "plan": case_plan(case, access, side)}

    return json_body(await body.run(document))


def case_plan(
    case: Case, access: Literal["femoral", "radial"] = "femoral", side: Side | None = None
) -> dict[str, Any]:
    """The plan document of a case, its routes starting at the chosen access."""
    return sided_plan(plan_dict(plan_case(case, access)), side)
