"""Errors as RFC 9457 problem details: the only place where an HTTP status is chosen.

Every error the API sends is ``application/problem+json`` with a stable ``type``
(``urn:hepatic:problem:<slug>``), a fixed ``title``, the ``status``, a ``detail`` a
radiologist can act on, an ``instance`` naming this occurrence, and, for a case that
cannot be used, ``errors``: one entry per problem, each with a JSON ``pointer`` to the
vessel or field, a stable ``code``, what is wrong and how to fix it.

Nothing the client sent is ever echoed back (a case may carry free text): entries
point at *where* the problem is, and their messages describe the problem in general
terms. What makes an entry easy to act on comes in fields of its own, each limited to
what is safe to name: the ``vessel`` id and the closest vessel ids in ``suggestions``
only when they are slugs (the case format's id pattern), vocabulary terms (ours), the
``field``, the ``line`` and ``column`` in the body, and the invalid ``segment`` only when
it is written like one (``IX``). The catalogue below maps each slug to its status;
:func:`install` maps the exceptions the app meets to slugs.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from anatomy.case import SLUG
from anatomy.errors import (
    CaseError,
    FollowUpError,
    Problem,
    ReferenceDataError,
    RenderCancelledError,
    RendererBusyError,
    RendererMissingError,
    RenderTimeoutError,
    TooLargeToDrawError,
)

__all__ = [
    "CATALOGUE",
    "PROBLEM_MEDIA_TYPE",
    "ApiProblem",
    "ErrorOut",
    "ProblemOut",
    "ProblemType",
    "case_problem",
    "install",
    "problem_response",
    "responses",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:hepatic:problem:"
MAX_ERRORS = 1000  # a 100,000-vessel case can hold that many problems; list the first


@dataclass(frozen=True, slots=True)
class ProblemType:
    """One kind of failure: its stable slug, HTTP status and title."""

    slug: str
    status: int
    title: str

    @property
    def uri(self) -> str:
        return TYPE_PREFIX + self.slug


CATALOGUE: Mapping[str, ProblemType] = {
    p.slug: p
    for p in (
        ProblemType("unparseable-body", 400, "The request body cannot be read"),
        ProblemType("bad-request", 400, "Bad request"),
        ProblemType("not-found", 404, "Nothing at this address"),
        ProblemType("variant-not-found", 404, "No such variant"),
        ProblemType("case-not-found", 404, "No such case"),
        ProblemType("question-not-found", 404, "No such quiz question"),
        ProblemType("method-not-allowed", 405, "Method not allowed here"),
        ProblemType("body-timeout", 408, "The request body did not arrive in time"),
        ProblemType("body-too-large", 413, "The request body is too large"),
        ProblemType("too-many-vessels", 413, "The case has too many vessels"),
        ProblemType("too-many-tumors", 413, "The case has too many tumors"),
        ProblemType("case-too-large", 413, "The case holds too many entries"),
        ProblemType("tree-too-large-to-draw", 413, "The tree is too large to draw as an image"),
        ProblemType("unsupported-media-type", 415, "Unsupported media type"),
        ProblemType("invalid-case", 422, "The case cannot be used"),
        ProblemType("invalid-followup", 422, "The follow-up cannot be used"),
        ProblemType("invalid-parameter", 422, "A parameter is not valid"),
        ProblemType("internal-error", 500, "Internal error"),
        ProblemType("not-ready", 503, "The reference data is not available"),
        ProblemType("renderer-missing", 503, "No diagram renderer is installed"),
        ProblemType("renderer-busy", 503, "Every renderer is busy"),
        ProblemType("render-timed-out", 503, "The renderer took too long"),
    )
}

# Messages for the case-file problem codes of anatomy.case whose own message quotes the
# submitted text (a kind, a segment, an id). Other codes' messages describe only the rule.
_GENERIC_MESSAGES = {
    "unknown_key": "This key is not part of the case format.",
    "duplicate_key": "This key is written more than once in one entry; only one value can count.",
    "bad_segment": "This is not a Couinaud segment (I–VIII, IVa, IVb).",
    "unknown_kind": "This vessel kind is not in the vocabulary.",
    "ambiguous_kind": "This vessel kind is a generic name of several kinds; `suggestions` "
    "lists them.",
    "status_not_applicable": "The status word (replaced, accessory) does not apply to this "
    "kind of vessel.",
    "side_not_applicable": "The side word (right, left) does not apply to this kind of vessel.",
    "conflicting_words": "The kind says two things that contradict each other (replaced and "
    "accessory, right and left, or two kinds).",
    "conflicting_status": "The kind says replaced/accessory and `status` says the other.",
    "duplicate_id": "This id is used by another entry too.",
    "cycle": "The parents form a loop through this vessel.",
    "unknown_parent": "The parent named here is not a vessel of this case.",
    "several_roots": "More than one vessel has no parent.",
    "unknown_feeder": "This feeder is not a vessel of this case.",
    "bad_location": "These are not location terms of the case format.",
    "enhancing_exceeds_diameter": "The enhancing (viable) diameter is larger than the lesion's "
    "diameter; the enhancing part lies inside the lesion.",
    # the follow-up file (anatomy/response/followup.py)
    "unknown_tumor": "This lesion id is not a tumor of the baseline case.",
    "duplicate_interval": "This interval label is used by another assessment too.",
    "wrong_case": "The follow-up names another case than the baseline.",
    "arcade": "These vessels form a loop (an arcade); a case is a tree, each vessel arising "
    "from one other.",
    "not_connected": "Some vessels are not connected to the root.",
    "root_has_parent": "The vessel named as the graph's root has an edge leading into it.",
    "invalid_sidecar": "This field of the SWC sidecar is not valid, or not one of its fields.",
}
# Follow-up messages that would quote the value: said in general terms instead.
_QUOTING_MESSAGES = {
    "looks like a date": "This looks like a date; write an interval label such as "
    "'week 6' or 'month 3'.",
    "unknown key": "This key is not part of the follow-up format.",
}
# Messages made only of fixed words and numbers: shown as they are.
_VALUE_FREE_CODES = frozenset(
    {
        "control_character",  # names the character (U+0007), never the text around it
        "invalid_field",
        "wrong_type",
        "no_root",
        "too_long",
        "invalid_node_link",
        "graph_field",
        "bad_node_id",
        "parallel_edges",
        "unknown_root",
        "swc_line",
        "swc_roots",
        "unknown_node",
        "duplicate_node",
        "runs_not_continuous",
        "invalid_swc_body",
        "invalid_graphml",
    }
)
# Codes whose suggestions are vocabulary terms (ours); other codes suggest the case's ids.
_VOCABULARY_CODES = frozenset(
    {
        "unknown_kind",
        "ambiguous_kind",
        "status_not_applicable",
        "side_not_applicable",
        "conflicting_words",
    }
)
_SLUG = re.compile(SLUG)


class ErrorOut(BaseModel):
    """One problem with the submitted case, pointing at where it is."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(description="Stable code: unknown_kind, duplicate_id, cycle, …")
    pointer: str = Field(description="JSON Pointer (RFC 6901) to the field, e.g. /vessels/3/parent")
    loc: list[str | int] = Field(description="The same location as a list of keys and indexes.")
    message: str = Field(description="What is wrong (never quotes the submitted value).")
    fix: str = Field(description="What would fix it.")
    vessel: str | None = Field(
        default=None, description="Id of the vessel concerned, when it is a valid id (a slug)."
    )
    field: str | None = Field(
        default=None, description="The case-format field concerned: kind, parent, supplies …"
    )
    line: int | None = Field(
        default=None,
        ge=1,
        description="Line in the body (1-based); for an SWC body, in the SWC or sidecar text.",
    )
    column: int | None = Field(default=None, ge=1, description="Column in that line (1-based).")
    suggestions: list[str] | None = Field(
        default=None,
        description="What to write instead: vocabulary terms as `term (kind)` for a kind, the "
        "closest vessel ids (slugs) for a parent or feeder.",
    )
    segment: str | None = Field(
        default=None,
        description="The segment written that is not a Couinaud segment, when it is written "
        "like one (IX, 9, S10).",
    )


class ProblemOut(BaseModel):
    """An RFC 9457 problem details object."""

    model_config = ConfigDict(extra="forbid")
    type: str = Field(description="Stable problem type URI, urn:hepatic:problem:<slug>.")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str = Field(description="urn:uuid naming this occurrence (for support logs).")
    errors: list[ErrorOut] | None = Field(
        default=None, description="For an unusable case: each problem and where it is."
    )


class ApiProblem(Exception):
    """Raised by the app's own code: a slug from the catalogue and the detail."""

    def __init__(
        self,
        slug: str,
        detail: str,
        errors: Sequence[Mapping[str, Any]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if slug not in CATALOGUE:
            raise KeyError(f"unknown problem slug {slug!r}; add it to CATALOGUE")
        super().__init__(detail)
        self.slug = slug
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})


def pointer(loc: Iterable[str | int]) -> str:
    """RFC 6901 JSON Pointer for a location such as ("vessels", 3, "kind")."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def error_entry(code: str, loc: Sequence[str | int], message: str, fix: str) -> dict[str, Any]:
    """An ``errors`` entry; ``loc`` parts that are not int become text."""
    parts: list[str | int] = [p if isinstance(p, int) else str(p) for p in loc]
    return {"code": code, "pointer": pointer(parts), "loc": parts, "message": message, "fix": fix}


# The fields of the case format (hepatic-case/1): an entry may name these, never another key.
CASE_FIELDS = frozenset(
    {
        "format",
        "id",
        "title",
        "modality",
        "source",
        "notes",
        "vessels",
        "tumors",
        "kind",
        "parent",
        "supplies",
        "status",
        "label",
        "diameter_mm",
        "length_mm",
        "segments",
        "short_axis_mm",
        "enhancing_diameter_mm",
        "feeders",
        "location",
        # node-link, GraphML and the SWC sidecar
        "nodes",
        "edges",
        "links",
        "graph",
        "root",
        "node",
        "unit",
        "scale",
        "swc",
        "sidecar",
    }
)


def case_error_entry(problem: Problem, within: Sequence[str | int] = ()) -> dict[str, Any]:
    """An ``errors`` entry for one anatomy.errors.Problem, without the submitted values:
    generic messages, and the structured fields that are safe to name.

    ``within`` is where the case sits in the body (``("case",)`` in a case-and-follow-up
    body), so the pointer leads to the field from the body's top."""
    if problem.code in _VALUE_FREE_CODES:
        message = problem.message
        for words, general in _QUOTING_MESSAGES.items():
            if words in message:
                message = general
    else:
        message = _GENERIC_MESSAGES.get(problem.code, "This entry is not valid.")
    entry = error_entry(problem.code, (*within, *problem.loc), message, problem.fix)
    if problem.vessel is not None and _SLUG.match(problem.vessel):
        entry["vessel"] = problem.vessel
    named = [p for p in problem.loc if isinstance(p, str) and p in CASE_FIELDS]
    if named:
        entry["field"] = named[-1]
    if problem.line is not None:
        entry["line"] = problem.line
        if problem.column is not None:
            entry["column"] = problem.column
    if problem.suggestions:
        if problem.code in _VOCABULARY_CODES:
            entry["suggestions"] = list(problem.suggestions)
        else:
            ids = [s for s in problem.suggestions if _SLUG.match(s)]
            if ids:
                entry["suggestions"] = ids
    if problem.segment is not None:
        entry["segment"] = problem.segment
    return entry


def case_problem(exc: CaseError, within: Sequence[str | int] = ()) -> ApiProblem:
    """The problem for a case (or follow-up) that cannot be used: every entry, pointed."""
    count = len(exc.problems)
    shown = "" if count <= MAX_ERRORS else f" The first {MAX_ERRORS} are listed."
    followup = isinstance(exc, FollowUpError)
    what = "follow-up" if followup else "case"
    detail = (
        f"The {what} cannot be used: {count} problem{'s' if count != 1 else ''}, each listed "
        f"with the {'lesion' if followup else 'vessel'} or field it concerns and how to fix "
        f"it.{shown}"
    )
    entries = [case_error_entry(p, within) for p in exc.problems[:MAX_ERRORS]]
    return ApiProblem("invalid-followup" if followup else "invalid-case", detail, entries)


def problem_response(
    slug: str,
    detail: str,
    errors: Sequence[Mapping[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The problem+json response for a catalogue slug."""
    kind = CATALOGUE[slug]
    return _response(kind.uri, kind.title, kind.status, detail, errors, headers)


def _response(
    type_uri: str,
    title: str,
    status: int,
    detail: str,
    errors: Sequence[Mapping[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": type_uri,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": f"urn:uuid:{uuid.uuid4()}",
    }
    if errors:
        body["errors"] = list(errors[:MAX_ERRORS])
    content = json.dumps(body, ensure_ascii=False).encode()
    # api.middleware adds nosniff to every answer, but a 500 leaves from outside it.
    headers = {"X-Content-Type-Options": "nosniff", **(headers or {})}
    return Response(content, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


# -- mapping exceptions to problems ------------------------------------------------------

_HTTP_SLUGS = {
    400: "bad-request",
    404: "not-found",
    405: "method-not-allowed",
    413: "body-too-large",
    415: "unsupported-media-type",
}
_HTTP_DETAILS = {
    404: "There is nothing at this address. The API lives under /v1; /docs lists it.",
    405: "This address does not accept this method; the Allow header lists those it does.",
}


async def _on_api_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiProblem)
    return problem_response(exc.slug, exc.detail, exc.errors, exc.headers)


async def _on_case_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CaseError)
    found = case_problem(exc)
    return problem_response(found.slug, found.detail, found.errors)


async def _on_reference_data(request: Request, exc: Exception) -> Response:
    # The message names a data file of the release, never anything the client sent.
    return problem_response("not-ready", f"The server's reference data is unusable: {exc}")


# What the server says when a renderer is missing or fails, by renderer: never the
# renderer's own output, which may quote the case's text.
_RENDERER_MISSING = {
    "dot": "Graphviz `dot` is not installed on the server, so no SVG, PNG or PDF of the "
    "tree can be drawn; ask for format=dot, or install Graphviz (apt-get install graphviz).",
    "chromium": "No Chromium is installed on the server to print the report as PDF; ask "
    "for format=html and print it from a browser, or install Chromium (apt-get install "
    "chromium).",
    "cairo": "The cairo library is missing on the server, so the schematic cannot be drawn "
    "as PNG or PDF; ask for format=svg, or install libcairo2.",
}
_RENDERER_FAILED = {
    "dot": "Graphviz `dot` is installed but could not draw this tree; ask for format=dot "
    "(the DOT text) and report the case as a bug.",
    "chromium": "Chromium is installed but printed no PDF of this report; ask for "
    "format=html and print it from a browser, and report the case as a bug.",
}


async def _on_renderer_missing(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RendererMissingError)
    table = _RENDERER_FAILED if exc.failed else _RENDERER_MISSING
    return problem_response(
        "renderer-missing", table.get(exc.renderer, _RENDERER_MISSING[exc.renderer])
    )


async def _on_renderer_busy(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RendererBusyError)
    return problem_response(
        "renderer-busy",
        "Every renderer of this server is busy drawing other figures and reports, so this "
        f"one was not started. Try again after {exc.retry_after_s} s (Retry-After); DOT "
        "text (format=dot) and HTML reports need no renderer.",
        headers={"Retry-After": str(exc.retry_after_s)},
    )


async def _on_render_timeout(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RenderTimeoutError)
    return problem_response(
        "render-timed-out",
        f"Drawing did not finish within {exc.timeout_s:g} s and was stopped. Ask for the DOT "
        "text (format=dot) or the HTML report, which need no renderer, or draw less; "
        "operators can raise HEPATIC_RENDER_TIMEOUT_S.",
    )


async def _on_too_large_to_draw(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TooLargeToDrawError)
    return problem_response(
        "tree-too-large-to-draw",
        f"The tree has {exc.drawn:,} vessels to draw ({exc.vessels:,} in the case, "
        f"unbranched chains of unnamed vessels already drawn as one edge), more than the "
        f"{exc.limit:,} this server draws as an image. Ask for the DOT text (format=dot), "
        "the classification (/v1/classify) or the plan (/v1/plan) as JSON, or draw the "
        "schematic (figure=schematic); operators can raise HEPATIC_MAX_DRAWN_VESSELS.",
    )


async def _on_render_cancelled(request: Request, exc: Exception) -> Response:
    # The client has gone; nobody reads this, but the log shows a client error, not a 500.
    return problem_response(
        "bad-request", "The client closed the connection while its figure was being drawn."
    )


async def _on_request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        error_entry(
            str(e.get("type", "invalid")),
            tuple(e.get("loc", ())),
            str(e.get("msg", "not valid")),
            "correct the parameter as described",
        )
        for e in exc.errors()
    ]
    return problem_response(
        "invalid-parameter",
        "A query or path parameter is not valid; `errors` says which.",
        errors,
    )


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    # Forward the headers: a 405 must keep its Allow header (RFC 9110).
    headers = dict(exc.headers or {})
    slug = _HTTP_SLUGS.get(exc.status_code)
    if slug is not None:
        detail = _HTTP_DETAILS.get(exc.status_code, CATALOGUE[slug].title + ".")
        return problem_response(slug, detail, headers=headers)
    phrase = _phrase(exc.status_code)
    return _response("about:blank", phrase, exc.status_code, phrase + ".", headers=headers)


async def _on_client_disconnect(request: Request, exc: Exception) -> Response:
    # Nobody is left to read this; answering keeps a closed connection out of the error log.
    return problem_response(
        "bad-request", "The client closed the connection before the whole body arrived."
    )


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    return problem_response(
        "internal-error",
        "The server failed on this request. Nothing was stored; please report the instance "
        "URN to the maintainers.",
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""
    app.add_exception_handler(ApiProblem, _on_api_problem)
    app.add_exception_handler(CaseError, _on_case_error)
    app.add_exception_handler(ReferenceDataError, _on_reference_data)
    app.add_exception_handler(RendererMissingError, _on_renderer_missing)
    app.add_exception_handler(RendererBusyError, _on_renderer_busy)
    app.add_exception_handler(RenderTimeoutError, _on_render_timeout)
    app.add_exception_handler(TooLargeToDrawError, _on_too_large_to_draw)
    app.add_exception_handler(RenderCancelledError, _on_render_cancelled)
    app.add_exception_handler(RequestValidationError, _on_request_validation)
    app.add_exception_handler(HTTPException, _on_http_exception)
    app.add_exception_handler(ClientDisconnect, _on_client_disconnect)
    app.add_exception_handler(Exception, _on_unexpected)


# -- documenting problems in OpenAPI ---------------------------------------------------

_PROBLEM_REF = {"$ref": "#/components/schemas/ProblemOut"}


def responses(*slugs: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these problem slugs (plus 405 and 500, possible anywhere)."""
    by_status: dict[int, list[str]] = {}
    for slug in (*slugs, "method-not-allowed", "internal-error"):
        kind = CATALOGUE[slug]
        titles = by_status.setdefault(kind.status, [])
        if kind.title not in titles:
            titles.append(kind.title)
    return {
        status: {
            "description": "; ".join(titles) + " (problem details, RFC 9457).",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}},
        }
        for status, titles in sorted(by_status.items())
    }
