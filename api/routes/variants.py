"""The Michels types and named variants: definitions, prevalence, an example tree."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from anatomy.case import parse_case
from anatomy.output.diagram import render
from anatomy.output.documents import versions
from anatomy.reference.patterns import patterns
from api.deps import VariantDep
from api.problems import responses
from api.routes.diagrams import DIAGRAM_HEADERS, MEDIA_TYPES, case_dot, diagram_responses
from api.schemas import VariantDetailOut, VariantsOut, variant_head, version_headers

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
        **diagram_responses("svg"),
        **responses("variant-not-found", "not-ready", "renderer-missing"),
    },
)
def get_variant_diagram(variant: VariantDep) -> Response:
    """The variant's example tree drawn as SVG."""
    dot = case_dot(parse_case(variant.example), "angiographic", plan=False)
    return Response(
        render(dot, "svg"),
        media_type=MEDIA_TYPES["svg"],
        headers={**DIAGRAM_HEADERS, **version_headers()},
    )
