"""The teaching library: its cases listed and filtered, one case (its answer on request),
its figure, and the status of an instructor's folder."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Query
from fastapi.responses import Response

from anatomy.output.documents import versions
from anatomy.reference.patterns import MICHELS_ORDER
from anatomy.teaching.documents import case_detail, case_summary, matches
from anatomy.teaching.figures import Figure, figure_dot, unlabelled
from api.deps import TeachingCaseDep, TeachingDep
from api.problems import responses
from api.routes.diagrams import (
    DIAGRAM_HEADERS,
    MEDIA_TYPES,
    RENDER_PROBLEMS,
    diagram_responses,
)
from api.schemas import CaseDetailOut, CasesOut, LibraryStatusOut, version_headers
from api.teaching import svg

router = APIRouter(prefix="/v1/cases", tags=["teaching"])

TypeName = Literal[
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "VIIIa", "VIIIb", "IX", "X",
    "unclassified", "incomplete",
]  # fmt: skip
assert set(MICHELS_ORDER) < set(get_args(TypeName))  # every type can be asked for
TagQuery = Annotated[
    str | None,
    Query(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60, description="Only cases with this tag."
    ),
]
TypeQuery = Annotated[
    TypeName | None,
    Query(
        alias="type",
        description="Only cases with this answer: a Michels type, unclassified or incomplete.",
    ),
]
AnswerQuery = Annotated[
    bool,
    Query(description="Add the answer, the explanation and the references (and the case's notes)."),
]


@router.get("", response_model=CasesOut, responses=responses("invalid-parameter", "not-ready"))
async def list_cases(
    teaching: TeachingDep, tag: TagQuery = None, type_: TypeQuery = None
) -> dict[str, Any]:
    """The teaching cases, written from published case reports: id, title, source, tags,
    difficulty and the answer type, for finding one."""
    library = teaching.library
    return {
        **versions(),
        "cases": [
            case_summary(c, library) for c in library.cases if matches(c, tag=tag, type_=type_)
        ],
    }


@router.get("/status", response_model=LibraryStatusOut, responses=responses())
async def library_status(teaching: TeachingDep) -> dict[str, Any]:
    """What the library holds, and each file of the instructor's folder (HEPATIC_CASES_DIR)
    that could not join it, with the field at fault and the fix."""
    library = teaching.library
    return {
        "folder": str(library.folder) if library.folder is not None else None,
        "cases": len(library.cases),
        "instructor_cases": len(library.instructor),
        "rejected": [{"file": r.file, "problem": r.problem} for r in library.rejected],
    }


@router.get(
    "/{case_id}",
    response_model=CaseDetailOut,
    responses=responses("case-not-found", "invalid-parameter", "not-ready"),
)
async def get_case(
    item: TeachingCaseDep, teaching: TeachingDep, answer: AnswerQuery = False
) -> dict[str, Any]:
    """One case: its question and the case itself; the answer only with ``answer=true``."""
    return {**versions(), **case_detail(item, teaching.library, with_answer=answer)}


@router.get(
    "/{case_id}/diagram",
    response_class=Response,
    responses={
        **diagram_responses("svg"),
        **responses("case-not-found", "invalid-parameter", "not-ready", *RENDER_PROBLEMS),
    },
)
def get_case_diagram(item: TeachingCaseDep, answer: AnswerQuery = False) -> Response:
    """The case's tree as SVG: with ``answer=true`` as a report draws it (names, replaced
    and accessory marks, the classification); otherwise the hepatic arteries and trunk by
    letter, their names hidden, for a class to read first."""
    if answer:
        figure = Figure(item.case, title=item.title)
    else:
        figure = Figure(unlabelled(item.case), hide_hepatic_names=True)
    return Response(
        svg(figure_dot(figure)),
        media_type=MEDIA_TYPES["svg"],
        headers={**DIAGRAM_HEADERS, **version_headers()},
    )
