"""Reports: the classification, the plan and the diagram as one page (HTML or PDF)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from anatomy.case import Case
from anatomy.output.report import html_to_pdf, report_html
from anatomy.pipeline import answer
from api.deps import CASE_PROBLEMS, CaseBody
from api.openapi import case_body
from api.problems import responses
from api.schemas import VERSION_HEADERS_DOC, version_headers

router = APIRouter(prefix="/v1", tags=["reports"])

MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
# The report page loads nothing and runs no script; say so to the browser as well.
REPORT_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
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
        **responses(*CASE_PROBLEMS, "invalid-parameter", "renderer-missing"),
    },
    openapi_extra=case_body("The case to report on (hepatic-case/1), JSON or YAML."),
)
def report(body: CaseBody, fmt: ReportFormatQuery = "html") -> Response:
    """The procedure report: classification and reasons, completeness, the plan per tumor,
    the diagram, the versions and the intended-use line; no patient identifiers."""
    page = case_report(body.case)
    data = page.encode("utf-8") if fmt == "html" else html_to_pdf(page)
    disposition = f'attachment; filename="hepatic-report.{fmt}"'
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={**REPORT_HEADERS, **version_headers(), "Content-Disposition": disposition},
    )


def case_report(case: Case) -> str:
    done = answer(case, with_plan=bool(case.tumors))
    return report_html(case, done.classification, plan=done.plan)
