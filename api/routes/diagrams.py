"""Figures of a case: the tree diagram (SVG, PNG, PDF or DOT text) and the anatomical
schematic (SVG, PNG, PDF)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from anatomy.case import Case
from anatomy.output.diagram import CONVENTION_HELP, Convention
from anatomy.output.figures import (
    FIGURE_FORMATS,
    FIGURE_HELP,
    Figure,
    case_figure,
    draw,
    drawn_limit,
)
from anatomy.pipeline import answer
from api.deps import CASE_PROBLEMS, CaseBody
from api.openapi import case_body
from api.problems import responses
from api.rendering import while_connected
from api.schemas import VERSION_HEADERS_DOC, version_headers

router = APIRouter(prefix="/v1", tags=["diagrams"])

MEDIA_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "dot": "text/vnd.graphviz",
}
# A diagram is a document of its own when opened from this origin: it may not run script.
DIAGRAM_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}

FormatQuery = Annotated[
    Literal["svg", "png", "pdf", "dot"],
    Query(alias="format", description="Image format, or DOT text."),
]
ConventionQuery = Annotated[Convention, Query(description=CONVENTION_HELP)]
PlanQuery = Annotated[
    bool,
    Query(description="Number and draw the planned catheter positions when the case has tumors."),
]
FigureQuery = Annotated[Figure, Query(description=FIGURE_HELP)]
# What drawing a figure can answer besides the figure: no renderer, every renderer busy
# (503 with Retry-After), a renderer past its time limit.
RENDER_PROBLEMS = ("renderer-missing", "renderer-busy", "render-timed-out")


def diagram_responses(*formats: str) -> dict[int | str, dict[str, Any]]:
    """The 200 response of a diagram route: one media type per format."""
    content = {MEDIA_TYPES[f]: {"schema": {"type": "string", "format": "binary"}} for f in formats}
    return {
        200: {"description": "The diagram.", "content": content, "headers": VERSION_HEADERS_DOC}
    }


@router.post(
    "/render",
    name="render",
    response_class=Response,
    responses={
        **diagram_responses(*MEDIA_TYPES),
        **responses(
            *CASE_PROBLEMS, "invalid-parameter", "tree-too-large-to-draw", *RENDER_PROBLEMS
        ),
    },
    openapi_extra=case_body("The case to draw (hepatic-case/1), JSON or YAML."),
)
async def render_diagram(
    request: Request,
    body: CaseBody,
    fmt: FormatQuery = "svg",
    convention: ConventionQuery = "angiographic",
    plan: PlanQuery = True,
    figure: FigureQuery = "tree",
) -> Response:
    """Draw the case: the tree diagram (default) or the anatomical schematic, variant
    arteries marked by colour and line style, tumors, and the numbered catheter positions
    of the plan. The schematic has no DOT text. The tree is drawn as an image up to a
    limit of vessels (413 past it; its DOT text has none); drawing stops when the client
    goes away."""
    # The figure's source is CPU work, done by a worker like every computation; drawing
    # it waits on a renderer process, stopped if the client goes away.
    source = await body.run(lambda case: figure_source(case, figure, fmt, convention, plan))
    data = await while_connected(request, lambda cancel: draw(source, figure, fmt, cancel=cancel))
    return image_response(data, fmt)


def figure_source(case: Case, figure: Figure, fmt: str, convention: Convention, plan: bool) -> str:
    """A case's figure as source text (DOT or SVG), for a format it is drawn in."""
    if fmt not in FIGURE_FORMATS[figure]:
        raise RequestValidationError(
            [
                {
                    "type": "enum",
                    "loc": ("query", "format"),
                    "msg": f"the {figure} figure is drawn as "
                    f"{', '.join(FIGURE_FORMATS[figure])}: ask for one of those",
                    "input": None,
                }
            ]
        )
    done = answer(case, with_plan=plan and bool(case.tumors))
    return case_figure(
        case,
        done.classification,
        figure=figure,
        plan=done.plan,
        convention=convention,
        max_vessels=drawn_limit(figure, fmt),
    )


def figure_response(
    case: Case, figure: Figure, fmt: str, convention: Convention, plan: bool
) -> Response:
    """A case's figure in the format asked for, with the diagram headers."""
    source = figure_source(case, figure, fmt, convention, plan)
    return image_response(draw(source, figure, fmt), fmt)


def image_response(data: bytes, fmt: str) -> Response:
    """Drawn bytes with the diagram headers."""
    return Response(
        data, media_type=MEDIA_TYPES[fmt], headers={**DIAGRAM_HEADERS, **version_headers()}
    )
