"""The OpenAPI document: the case request body, the problem schema, stable operation ids.

The request schema is anatomy.case.CaseIn's, made to describe exactly what the reader
accepts: every input the schema rejects is rejected by the server (so contract tests
can trust it), while a schema-valid case may still be refused with 422 for what JSON
Schema cannot say (unknown parents, loops, vocabulary). Limits come from the settings.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from anatomy.case import LOCATION_TEXT, SLUG, CaseIn
from anatomy.response.followup import FollowUpIn
from api.body import (
    GRAPHML_MEDIA_TYPE,
    JSON_MEDIA_TYPE,
    NODE_LINK_MEDIA_TYPE,
    SWC_MEDIA_TYPE,
    YAML_MEDIA_TYPES,
)
from api.problems import PROBLEM_MEDIA_TYPE, ErrorOut, ProblemOut
from api.settings import Settings

__all__ = [
    "SEED_EXAMPLE",
    "SEED_FOLLOWUP",
    "case_and_followup_body",
    "case_body",
    "install",
    "operation_id",
    "seed_case",
]

SEED_EXAMPLE = Path(__file__).parent / "static" / "examples" / "khassaf-2025-net.yaml"
_REF = "#/components/schemas/{model}"

# What parse_segment reads, as a superset: roman or arabic numbers, optional a/b half,
# optional "S" or "segment" prefix, any letter case.
_SEGMENT_TEXT = r"^\s*(?:[Ss][Ee][Gg][Mm][Ee][Nn][Tt]\s*|[Ss]\s*)?(?:[IiVvXx]+|[1-8])\s*[AaBb]?\s*$"


@cache
def seed_case() -> dict[str, Any]:
    """The seed report's case (Khassaf & Abed 2025, Michels III), as the examples use it."""
    with SEED_EXAMPLE.open("rb") as handle:
        document: dict[str, Any] = yaml.safe_load(handle)
    return document


_FORMATS_NOTE = (
    " The same tree may come as networkx node-link JSON (application/vnd.networkx+json), "
    "GraphML (application/graphml+xml) or an SWC centerline with its sidecar "
    "(application/vnd.hepatic.swc+json); see docs/input-formats.md."
)


def case_body(description: str) -> dict[str, Any]:
    """``openapi_extra`` for a route whose body is a case: JSON or YAML, or the same tree
    as node-link JSON, GraphML or SWC with its sidecar."""
    schema = {"$ref": _REF.format(model="CaseIn")}
    example = seed_case()
    content: dict[str, Any] = {
        media: {"schema": schema, "example": example}
        for media in (JSON_MEDIA_TYPE, *YAML_MEDIA_TYPES)
    }
    content[NODE_LINK_MEDIA_TYPE] = {"schema": {"$ref": _REF.format(model="NodeLinkIn")}}
    content[GRAPHML_MEDIA_TYPE] = {
        "schema": {"type": "string", "description": "GraphML as networkx.write_graphml writes it."}
    }
    content[SWC_MEDIA_TYPE] = {"schema": {"$ref": _REF.format(model="SwcIn")}}
    return {
        "requestBody": {
            "required": True,
            "description": description + _FORMATS_NOTE,
            "content": content,
        }
    }


# The seed report's follow-up: the segment IV lesion measured 40 mm after one TACE. The
# report does not measure the II/III lesion again; the example takes it as unchanged.
SEED_FOLLOWUP: dict[str, Any] = {
    "format": "hepatic-followup/1",
    "case": "khassaf-2025-net",
    "assessments": [
        {
            "interval": "after TACE 1",
            "lesions": [{"id": "t1", "diameter_mm": 40}, {"id": "t2", "diameter_mm": 47}],
            "new_lesions": [],
        }
    ],
}


def case_and_followup_body(description: str, *, followup_required: bool) -> dict[str, Any]:
    """``openapi_extra`` for a route whose body is ``{"case", "followup"}`` (JSON or YAML);
    without ``followup_required`` a bare case is accepted as well."""
    envelope = "CaseWithFollowUpIn" if followup_required else "CaseAndFollowUpIn"
    schema: dict[str, Any] = {"$ref": _REF.format(model=envelope)}
    if not followup_required:
        schema = {"anyOf": [{"$ref": _REF.format(model="CaseIn")}, schema]}
    example = {"case": seed_case(), "followup": SEED_FOLLOWUP}
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                media: {"schema": schema, "example": example}
                for media in (JSON_MEDIA_TYPE, *YAML_MEDIA_TYPES)
            },
        }
    }


def _node_id() -> dict[str, Any]:
    return {"anyOf": [{"type": "string"}, {"type": "integer"}]}


def format_schemas(settings: Settings) -> dict[str, Any]:
    """The node-link and SWC bodies' schemas (GraphML is text)."""
    edge = {
        "type": "object",
        "properties": {"source": _node_id(), "target": _node_id()},
        "required": ["source", "target"],
    }
    edges = {"type": "array", "items": edge}
    return {
        "NodeLinkIn": {
            "type": "object",
            "description": "networkx node-link data (nx.node_link_data): each node a vessel "
            "with the case format's vessel fields, each edge from a vessel to one arising "
            "from it; the case's top-level fields and tumors in `graph`. `links` is the "
            "older name of `edges`.",
            "properties": {
                "directed": {"type": "boolean"},
                "multigraph": {"type": "boolean"},
                "graph": {"type": "object"},
                "nodes": {
                    "type": "array",
                    "maxItems": settings.max_vessels,
                    "items": {
                        "type": "object",
                        "properties": {"id": _node_id()},
                        "required": ["id"],
                    },
                },
                "edges": edges,
                "links": edges,
            },
            "required": ["nodes"],
        },
        "SwcIn": {
            "type": "object",
            "description": "An SWC centerline (the file's text) and its sidecar "
            "(hepatic-swc-sidecar/1: unit, scale, the named vessels, tumors), as an object "
            "or as YAML text.",
            "properties": {
                "swc": {"type": "string"},
                "sidecar": {"anyOf": [{"type": "object"}, {"type": "string"}]},
            },
            "required": ["swc", "sidecar"],
            "additionalProperties": False,
        },
    }


def operation_id(route: APIRoute) -> str:
    """The route's function name: short and stable (``classify``, ``get_variant``)."""
    return route.name


def _slug() -> dict[str, Any]:
    # A YAML reader turns `id: 12` into a number; the reader takes it as the id "12".
    return {"anyOf": [{"type": "string", "pattern": SLUG}, {"type": "integer", "minimum": 0}]}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _segments(min_items: int) -> dict[str, Any]:
    token = {
        "anyOf": [
            {"$ref": _REF.format(model="Segment")},
            {"type": "integer", "minimum": 1, "maximum": 8},
            {"type": "string", "pattern": _SEGMENT_TEXT},
        ]
    }
    return {
        "anyOf": [{"type": "array", "items": token, "minItems": min_items}, token],
        "description": "Couinaud segments: I–VIII, IV (both halves), IVa, IVb; also 1–8, 4a, "
        "S4, segment 4. A single segment may be written without a list.",
    }


def _number(keyword: str) -> dict[str, Any]:
    return _nullable({"type": "number", keyword: 0, "description": "millimetres"})


def case_schemas(settings: Settings) -> dict[str, Any]:
    """CaseIn and the schemas it uses, patched to match the reader and the limits."""
    schema = CaseIn.model_json_schema(ref_template=_REF)
    defs: dict[str, Any] = schema.pop("$defs")
    defs["CaseIn"] = schema
    top, vessel, tumor = (defs[n]["properties"] for n in ("CaseIn", "VesselIn", "TumorIn"))
    top["id"] = _nullable(_slug())
    top["vessels"]["maxItems"] = settings.max_vessels
    top["tumors"]["maxItems"] = settings.max_tumors
    vessel["id"] = {**_slug(), "description": vessel["id"].get("description", "")}
    vessel["parent"] = {**_nullable(_slug()), "description": vessel["parent"]["description"]}
    vessel["supplies"] = _segments(0)
    tumor["id"] = _slug()
    tumor["feeders"] = {
        "type": "array",
        "items": _slug(),
        "description": "Ids of vessels seen feeding the tumor.",
    }
    tumor["segments"] = _segments(1)
    place = {"type": "string", "pattern": LOCATION_TEXT}
    tumor["location"] = {
        "anyOf": [{"type": "array", "items": place}, place],
        "description": "Where on the liver the tumor lies: dome, bare_area, subcapsular, "
        "anterior, posterior, lateral, inferior, gallbladder_bed (any case; words joined by "
        "space, '-' or '_'). It ranks the collaterals to look for (docs/tumor-location.md).",
    }
    for props in (vessel, tumor):
        for name in ("diameter_mm", "length_mm", "short_axis_mm"):
            if name in props:
                props[name] = _number("exclusiveMinimum")
    tumor["enhancing_diameter_mm"] = _number("minimum")
    defs["Segment"]["enum"] = sorted({*defs["Segment"]["enum"], "IV"}, key=len)
    _cap_strings(defs, settings.max_string_length)
    schema["examples"] = [seed_case()]
    return defs


def followup_schemas(settings: Settings) -> dict[str, Any]:
    """FollowUpIn and the envelopes around it, patched like the case's schemas."""
    schema = FollowUpIn.model_json_schema(ref_template=_REF)
    defs: dict[str, Any] = schema.pop("$defs")
    defs.pop("Segment", None)  # the case's Segment, patched there, is the same type
    defs["FollowUpIn"] = schema
    schema["description"] = "A follow-up (hepatic-followup/1, docs/followup-format.md)."
    top, lesion, new = (defs[n]["properties"] for n in ("FollowUpIn", "LesionIn", "NewLesionIn"))
    top["case"] = {**_nullable(_slug()), "description": "The id of the case it follows."}
    lesion["id"] = {**_slug(), "description": "A tumor id of the baseline case."}
    lesion["diameter_mm"] = _number("minimum")
    lesion["enhancing_diameter_mm"] = _number("minimum")
    new["id"] = {**_nullable(_slug()), "description": "An id for the new lesion (optional)."}
    new["segments"] = _segments(0)
    new["diameter_mm"] = _number("exclusiveMinimum")
    _cap_strings(defs, settings.max_string_length)
    parts = {
        "case": {"$ref": _REF.format(model="CaseIn")},
        "followup": {"$ref": _REF.format(model="FollowUpIn")},
    }
    defs["CaseWithFollowUpIn"] = {
        "type": "object",
        "description": "A baseline case and its follow-up measurements.",
        "properties": parts,
        "required": ["case", "followup"],
        "additionalProperties": False,
    }
    defs["CaseAndFollowUpIn"] = {
        "type": "object",
        "description": "A case and, optionally, its follow-up measurements.",
        "properties": {**parts, "followup": _nullable(parts["followup"])},
        "required": ["case"],
        "additionalProperties": False,
    }
    return defs


def _cap_strings(node: Any, limit: int) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") == "string" and "enum" not in item and "const" not in item:
                item["maxLength"] = min(item.get("maxLength", limit), limit)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def build(app: FastAPI, settings: Settings) -> dict[str, Any]:
    """The whole OpenAPI document of the app."""
    document = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(case_schemas(settings))
    schemas.update(followup_schemas(settings))
    schemas.update(format_schemas(settings))
    schemas["ProblemOut"] = ProblemOut.model_json_schema(ref_template=_REF)
    schemas["ProblemOut"].pop("$defs", None)
    schemas["ErrorOut"] = ErrorOut.model_json_schema(ref_template=_REF)
    # FastAPI's own validation-error shapes are never sent: every error is a problem.
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    problem_content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": _REF.format(model="ProblemOut")}}}
    for path in document.get("paths", {}).values():
        for operation in path.values():
            for status, response in operation.get("responses", {}).items():
                if int(status) >= 400:
                    response["content"] = problem_content
    return document


def install(app: FastAPI, settings: Settings) -> None:
    """Serve :func:`build`'s document, computed once."""
    cached: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if not cached:
            cached.update(build(app, settings))
        return cached

    app.openapi = openapi  # type: ignore[method-assign]
