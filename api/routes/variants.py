"""The Michels types and named variants: definitions, prevalence, an example tree."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from anatomy.case import parse_case
from anatomy.output.documents import versions
from anatomy.reference.patterns import patterns
from api.deps import VariantDep
from api.problems import responses
from api.routes.diagrams import (
    MEDIA_TYPES,
    RENDER_PROBLEMS,
    ConventionQuery,
    FigureQuery,
    FormatQuery,
    diagram_responses,
    figure_response,
)
from api.schemas import VariantDetailOut, VariantsOut, variant_head

router = APIRouter(prefix="/v1/variants", tags=["variants"])


@router.get("", response_model=VariantsOut, responses=responses("not-ready"))
async def list_variants() -> dict[str, Any]:
    """All patterns: Michels types I–X in order, then the named variants outside Michels."""
    return {**versions(), "variants": [variant_head(p) for p in patterns()]}


@router.get(
    "/{variant_id}",
    response_model=VariantDetailOut,
    responses=responses("variant-not-found", "not-ready"),
)
async def get_variant(variant: VariantDep) -> dict[str, Any]:
    """One pattern, by id (michels-iii) or Michels type (III), with an example case."""
    return {**versions(), **variant_head(variant), "example": dict(variant.example)}


@router.get(
    "/{variant_id}/diagram",
    response_class=Response,
    responses={
        **diagram_responses(*MEDIA_TYPES),
        **responses("variant-not-found", "not-ready", "invalid-parameter", *RENDER_PROBLEMS),
    },
)
def get_variant_diagram(
    variant: VariantDep,
    fmt: FormatQuery = "svg",
    convention: ConventionQuery = "angiographic",
    figure: FigureQuery = "tree",
) -> Response:
    """The variant's example tree drawn as the tree diagram (default) or the anatomical
    schematic, in the format asked for (SVG by default; the schematic has no DOT text)."""
    return figure_response(parse_case(variant.example), figure, fmt, convention, plan=False)
