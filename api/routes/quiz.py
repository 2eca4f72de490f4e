"""The quiz: a seeded set of questions without their answers, a question's figure, and
answers checked (right or not, the answer, the explanation, its sources, a score).

The server stores nothing between requests: a question's id is all a check needs, and the
seed (returned with every set) asks for the same set again.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from anatomy.output.documents import versions
from anatomy.teaching.documents import question_document, score_document
from anatomy.teaching.figures import figure_dot
from anatomy.teaching.quiz import KIND_IDS, check, questions, score
from api.deps import TeachingDep
from api.problems import ApiProblem, error_entry, responses
from api.routes.diagrams import (
    DIAGRAM_HEADERS,
    MEDIA_TYPES,
    RENDER_PROBLEMS,
    diagram_responses,
)
from api.schemas import CheckIn, CheckOut, QuizOut, version_headers
from api.teaching import svg

router = APIRouter(prefix="/v1/quiz", tags=["quiz"])

Kind = Literal["name_type", "replaced_or_accessory", "catheter", "not_excluded", "response"]
assert set(KIND_IDS) == set(get_args(Kind))  # the schema lists every kind

CountQuery = Annotated[int, Query(ge=1, le=50, description="How many questions.")]
SeedQuery = Annotated[
    int | None,
    Query(
        ge=0, le=2**31 - 1, description="The same seed gives the same questions; omit for new ones."
    ),
]
KindsQuery = Annotated[
    list[Kind] | None,
    Query(
        description="Question kinds, repeated (kinds=name_type&kinds=catheter); all when omitted."
    ),
]
QuestionId = Annotated[str, Path(pattern=r"^q[0-9a-f]{10}$", description="A question's id.")]


def _figure_url(question_id: str) -> str:
    return f"/v1/quiz/questions/{question_id}/diagram"


@router.get("", response_model=QuizOut, responses=responses("invalid-parameter", "not-ready"))
def get_quiz(
    teaching: TeachingDep,
    count: CountQuery = 10,
    seed: SeedQuery = None,
    kinds: KindsQuery = None,
) -> dict[str, Any]:
    """A set of questions, without their answers: name the type from a figure whose
    hepatic arteries are unnamed, replaced or accessory, where to put the catheter for a
    tumor in segment N, what a partial study has not excluded, RECIST 1.1 or mRECIST."""
    if seed is None:
        seed = secrets.randbelow(2**31)
    found = questions(teaching.pool(), count=count, seed=seed, kinds=kinds)
    return {
        **versions(),
        "seed": seed,
        "questions": [
            question_document(q, _figure_url(q.id) if q.figure is not None else None) for q in found
        ],
    }


@router.post(
    "/check",
    response_model=CheckOut,
    responses=responses("question-not-found", "invalid-parameter", "unparseable-body", "not-ready"),
)
def check_answers(body: CheckIn, teaching: TeachingDep) -> dict[str, Any]:
    """Check answers: a choice's letter or text, or words ("III", "type 3", "partial
    response"). Each result says whether it is right, the answer, why, and the sources."""
    pool = teaching.pool()
    unknown = [i for i, item in enumerate(body.answers) if item.question not in pool]
    if unknown:
        raise ApiProblem(
            "question-not-found",
            "An answer names a question this server does not have; GET /v1/quiz gives "
            "questions and their ids.",
            [
                error_entry(
                    "unknown_question",
                    ("answers", i, "question"),
                    "No question has this id.",
                    "use an id from GET /v1/quiz",
                )
                for i in unknown
            ],
        )
    checks = [check(pool, item.question, item.answer) for item in body.answers]
    return {**versions(), **score_document(checks, score(checks))}


@router.get(
    "/questions/{question_id}/diagram",
    response_class=Response,
    responses={
        **diagram_responses("svg"),
        **responses("question-not-found", "invalid-parameter", "not-ready", *RENDER_PROBLEMS),
    },
)
def get_question_diagram(question_id: QuestionId, teaching: TeachingDep) -> Response:
    """The figure a question refers to, as SVG (a quiz figure draws the hepatic arteries
    by letter, their names hidden)."""
    pool = teaching.pool()
    if question_id not in pool or pool.question(question_id).figure is None:
        raise ApiProblem(
            "question-not-found",
            "No question with a figure has this id; GET /v1/quiz gives questions and, for "
            "each that has one, its figure's address.",
        )
    figure = pool.question(question_id).figure
    assert figure is not None
    return Response(
        svg(figure_dot(figure)),
        media_type=MEDIA_TYPES["svg"],
        headers={**DIAGRAM_HEADERS, **version_headers()},
    )
