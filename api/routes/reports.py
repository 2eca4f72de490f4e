"""Reports: the classification, the plan, the diagram and the response as one page (HTML
or PDF)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from anatomy.case import Case
from anatomy.output.report import html_to_pdf, report_html
from anatomy.pipeline import answer
from anatomy.response.followup import FollowUp
from api.deps import FOLLOWUP_PROBLEMS, CaseFollowUpBody
from api.openapi import case_and_followup_body
from api.problems import responses
from api.rendering import while_connected
from api.routes.diagrams import RENDER_PROBLEMS
from api.routes.followups import case_response
from api.routes.plans import AccessQuery
from api.schemas import VERSION_HEADERS_DOC, version_headers

router = APIRouter(prefix="/v1", tags=["reports"])

MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
# The report page loads nothing and runs no script; say so to the browser as well.
REPORT_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
}

ReportFormatQuery = Annotated[
    Literal["html", "pdf"],
    Query(alias="format", description="html (self-contained page) or pdf (needs Chromium)."),
]


@router.post(
    "/report",
    response_class=Response,
    responses={
        200: {
            "description": "The report.",
            "content": {
                "text/html": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
            "headers": VERSION_HEADERS_DOC,
        },
        **responses(*FOLLOWUP_PROBLEMS, "invalid-parameter", *RENDER_PROBLEMS),
    },
    openapi_extra=case_and_followup_body(
        "The case to report on (hepatic-case/1), JSON or YAML; or `{case, followup}` to add "
        "the response (RECIST 1.1, mRECIST) to the follow-up measurements "
        "(hepatic-followup/1).",
        followup_required=False,
    ),
)
async def report(
    request: Request,
    body: CaseFollowUpBody,
    fmt: ReportFormatQuery = "html",
    access: AccessQuery = "femoral",
) -> Response:
    """The procedure report: classification and reasons, completeness, the plan per tumor
    with routes from the chosen access, the diagram, the response when a follow-up is
    sent, the versions and the intended-use line; no patient identifiers. The PDF is
    printed by Chromium, stopped when the client goes away."""
    followup = body.followup

    # The page is CPU work, done by a worker like every computation; printing it waits on
    # Chromium, stopped if the client goes away.
    page = await body.run(lambda case: case_report(case, followup, access))
    if fmt == "html":
        data = page.encode("utf-8")
    else:
        data = await while_connected(request, lambda cancel: html_to_pdf(page, cancel=cancel))
    disposition = f'attachment; filename="hepatic-report.{fmt}"'
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={**REPORT_HEADERS, **version_headers(), "Content-Disposition": disposition},
    )


def case_report(
    case: Case,
    followup: FollowUp | None = None,
    access: str = "femoral",
) -> str:
    """The report page of a case, with its plan and, given a follow-up, its response."""
    done = answer(case, with_plan=bool(case.tumors), access=access)
    response: dict[str, Any] | None = None
    if followup is not None:
        response = case_response(case, followup)
    return report_html(case, done.classification, plan=done.plan, response=response)
