"""Reading a case from a request: size, media type, syntax and limits, then validation.

The order matters for a server facing any client: the size is checked before the body
is read (:class:`BodyLimit`), the media type before it is parsed, the parsed document's
size (vessels, tumors, strings, entries) before pydantic sees it, and only then
``anatomy.case.parse_case``, which reports every problem of the case at once.

The media type says the format: a case as JSON or YAML; networkx node-link JSON
(``application/vnd.networkx+json``); GraphML (``application/graphml+xml``); an SWC
centerline with its sidecar, as a JSON object ``{"swc": "<the SWC text>", "sidecar":
{...} or "<its YAML>"}`` (``application/vnd.hepatic.swc+json``). Every format ends in the
case's own validation; problems name their place in the body (and its line, where the
body has lines).

A body may also be a case with its follow-up, ``{"case": …, "followup": …}``
(:func:`case_and_followup_from_body`): the follow-up (docs/followup-format.md) is read
against the case's tumors, and each problem points into the part it concerns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from anatomy.case import Case, parse_case
from anatomy.errors import CaseError, FollowUpError, Problem, UnreadableError
from anatomy.formats.converted import Converted, case_from
from anatomy.formats.document import Syntax, locate, read_document
from anatomy.response.followup import FollowUp, parse_followup
from api.problems import ApiProblem, case_problem, error_entry, problem_response
from api.settings import Settings

__all__ = [
    "ENVELOPE_KEYS",
    "GRAPHML_MEDIA_TYPE",
    "JSON_MEDIA_TYPE",
    "NODE_LINK_MEDIA_TYPE",
    "SWC_MEDIA_TYPE",
    "YAML_MEDIA_TYPES",
    "BodyFormat",
    "BodyLimit",
    "case_and_followup_from_body",
    "case_from_body",
    "check_limits",
    "decode",
    "syntax_of",
]

JSON_MEDIA_TYPE = "application/json"
YAML_MEDIA_TYPES = ("application/yaml", "application/x-yaml", "text/yaml")
NODE_LINK_MEDIA_TYPE = "application/vnd.networkx+json"
GRAPHML_MEDIA_TYPE = "application/graphml+xml"
SWC_MEDIA_TYPE = "application/vnd.hepatic.swc+json"
BodyFormat = Literal["json", "yaml", "node-link", "graphml", "swc"]
_FORMATS: dict[str, BodyFormat] = {
    JSON_MEDIA_TYPE: "json",
    **dict.fromkeys(YAML_MEDIA_TYPES, "yaml"),
    NODE_LINK_MEDIA_TYPE: "node-link",
    GRAPHML_MEDIA_TYPE: "graphml",
    SWC_MEDIA_TYPE: "swc",
}
MAX_KEY_LENGTH = 64  # the case format's longest key is 21 characters


def syntax_of(content_type: str | None) -> BodyFormat:
    """The body's format for a Content-Type header; 415 for anything else."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    found = _FORMATS.get(media)
    if found is None:
        raise ApiProblem(
            "unsupported-media-type",
            "Send the case as JSON (Content-Type: application/json) or YAML "
            "(application/yaml, application/x-yaml or text/yaml); or a tree as networkx "
            f"node-link JSON ({NODE_LINK_MEDIA_TYPE}), GraphML ({GRAPHML_MEDIA_TYPE}) or SWC "
            f"with its sidecar ({SWC_MEDIA_TYPE}).",
        )
    return found


def envelope_syntax_of(content_type: str | None) -> Syntax:
    """The syntax of a ``{"case", "followup"}`` body: JSON or YAML only; 415 otherwise."""
    found = syntax_of(content_type)
    if found == "json" or found == "yaml":
        return found
    raise ApiProblem(
        "unsupported-media-type",
        "Send a case with its follow-up as JSON (Content-Type: application/json) or YAML "
        "(application/yaml); a graph format carries a case only, without a follow-up.",
    )


def decode(body: bytes, syntax: Syntax) -> object:
    """Parse the body as JSON or YAML; 400 with the line and column when it cannot."""
    if not body.strip():
        raise ApiProblem("unparseable-body", "The request body is empty; send a case.")
    try:
        return read_document(body, syntax)
    except UnreadableError as exc:
        # The reader's messages say where and what to check, never quoting the body.
        found = exc.problems[0]
        message = found.message[0].upper() + found.message[1:]
        raise ApiProblem("unparseable-body", f"{message} Fix: {found.fix}.") from None


ENVELOPE_KEYS = ("case", "followup")


def check_limits(
    document: object, settings: Settings, lists: tuple[str, ...] = ("vessels", "tumors")
) -> None:
    """Refuse a parsed document beyond this server's limits, before validating it.

    Walks iteratively with a budget of entries, so YAML aliases that expand a small body
    into billions of entries are stopped early. A quick pass checks; only a document
    that fails is walked again to say where.
    """
    if isinstance(document, Mapping):
        limits = {
            "vessels": (settings.max_vessels, "too-many-vessels", "HEPATIC_MAX_VESSELS"),
            "nodes": (settings.max_vessels, "too-many-vessels", "HEPATIC_MAX_VESSELS"),
            "tumors": (settings.max_tumors, "too-many-tumors", "HEPATIC_MAX_TUMORS"),
        }
        for key in lists:
            limit, slug, variable = limits[key]
            _count(document, key, limit, slug, variable)
    if _within_limits(document, settings):
        return
    errors: list[dict[str, Any]] = []
    limit = settings.max_string_length
    stack: list[tuple[object, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, str):
            if len(value) > limit:
                errors.append(
                    error_entry("too_long", loc, f"Longer than {limit} characters.", "shorten it")
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and len(key) > MAX_KEY_LENGTH:
                    errors.append(
                        error_entry(
                            "unknown_key",
                            loc,
                            f"A key longer than {MAX_KEY_LENGTH} characters.",
                            "remove it; the case format's keys are listed in case-format.md",
                        )
                    )
                    continue
                stack.append((item, (*loc, key)))
        elif isinstance(value, list):
            stack.extend((item, (*loc, index)) for index, item in enumerate(value))
    errors.sort(key=lambda e: [str(p) for p in e["loc"]])
    raise ApiProblem(
        "invalid-case",
        f"The case cannot be used: {len(errors)} field(s) exceed this server's limits, "
        "each listed with where it is.",
        errors,
    )


def _within_limits(document: object, settings: Settings) -> bool:
    """True when no string or key is too long; raises when the entries pass the budget."""
    budget = settings.max_entries
    limit = settings.max_string_length
    stack: list[object] = [document]
    while stack:
        value = stack.pop()
        budget -= 1
        if budget < 0:
            raise ApiProblem(
                "case-too-large",
                f"The case holds more than {settings.max_entries} values in all (YAML aliases "
                "count each time they are used); send a smaller case.",
            )
        if isinstance(value, str):
            if len(value) > limit:
                return False
        elif isinstance(value, dict):
            for key in value:
                if isinstance(key, str) and len(key) > MAX_KEY_LENGTH:
                    return False
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return True


def _count(document: Mapping[Any, Any], key: str, limit: int, slug: str, variable: str) -> None:
    items = document.get(key)
    if isinstance(items, list) and len(items) > limit:
        raise ApiProblem(
            slug,
            f"This server accepts at most {limit} {key} in one case (its {variable} setting); "
            f"split the case or ask the operator to raise the limit.",
        )


def case_from_body(body: bytes, fmt: BodyFormat, settings: Settings) -> Case:
    """From request bytes in ``fmt`` (see :func:`syntax_of`) to a validated Case; each
    problem names its place (and, where the body has lines, its line and column)."""
    if fmt in ("graphml", "swc"):
        converted = _converted(body, fmt, settings)
        check_limits(converted.document, settings)
        return case_from(converted)
    document = decode(body, "yaml" if fmt == "yaml" else "json")
    if fmt == "node-link":
        check_limits(document, settings, lists=("nodes",))
        converted = _node_link(document)
        check_limits(converted.document, settings)  # the tumors, under `graph` in node-link
        try:
            return case_from(converted)
        except CaseError as exc:
            raise CaseError(locate(body, exc.problems)) from None
    check_limits(document, settings)
    try:
        return parse_case(document)
    except CaseError as exc:
        raise CaseError(locate(body, exc.problems)) from None


def _node_link(document: object) -> Converted:
    from anatomy.formats.nodelink import node_link_document

    return node_link_document(document)


def _converted(body: bytes, fmt: BodyFormat, settings: Settings) -> Converted:
    """GraphML, or SWC with its sidecar, converted (400 when it cannot be read)."""
    from anatomy.formats.graphml import read_graphml
    from anatomy.formats.swc import read_swc

    if not body.strip():
        raise ApiProblem("unparseable-body", "The request body is empty; send a case.")
    try:
        if fmt == "graphml":
            converted = read_graphml(body)
        else:
            swc, sidecar = _swc_parts(body, settings)
            converted = read_swc(swc, sidecar, max_points=settings.max_entries)
    except UnreadableError as exc:
        found = exc.problems[0]
        message = found.message[0].upper() + found.message[1:]
        raise ApiProblem("unparseable-body", f"{message} Fix: {found.fix}.") from None
    vessels = converted.document.get("vessels")
    _count(
        {"vessels": vessels},
        "vessels",
        settings.max_vessels,
        "too-many-vessels",
        "HEPATIC_MAX_VESSELS",
    )
    return converted


def _swc_parts(body: bytes, settings: Settings) -> tuple[str, str | Mapping[str, Any]]:
    """The SWC text and the sidecar (a mapping, or YAML/JSON text) of an SWC body."""
    document = decode(body, "json")
    keys = set(document) if isinstance(document, Mapping) else set()
    if not isinstance(document, Mapping) or keys != {"swc", "sidecar"}:
        raise ApiProblem(
            "invalid-case",
            'An SWC body is a JSON object with exactly two members: "swc" (the SWC text) '
            'and "sidecar" (the hepatic-swc-sidecar/1 object, or its YAML text).',
            [
                error_entry(
                    "invalid_swc_body",
                    (),
                    "The body is not {swc, sidecar}.",
                    "send the SWC text under `swc` and the sidecar under `sidecar`",
                )
            ],
        )
    swc, sidecar = document["swc"], document["sidecar"]
    if not isinstance(swc, str) or not isinstance(sidecar, str | Mapping):
        raise ApiProblem(
            "invalid-case",
            '"swc" must be text, and "sidecar" an object or text.',
            [
                error_entry(
                    "invalid_swc_body",
                    ("swc",) if not isinstance(swc, str) else ("sidecar",),
                    "This member has the wrong type.",
                    "send the SWC file's text under `swc`, the sidecar under `sidecar`",
                )
            ],
        )
    if isinstance(sidecar, Mapping):
        check_limits({"sidecar": sidecar}, settings, lists=())
    elif len(sidecar) > settings.max_entries:
        raise ApiProblem("case-too-large", "The sidecar is too long for this server.")
    return swc, sidecar


def case_and_followup_from_body(
    body: bytes, syntax: Syntax, settings: Settings, *, followup_required: bool
) -> tuple[Case, FollowUp | None]:
    """A case and its follow-up from ``{"case": …, "followup": …}``.

    Without ``followup_required`` a bare case is read as well (a report with no follow-up).
    Problems of the case point under ``/case``, those of the follow-up under ``/followup``.
    """
    document = decode(body, syntax)
    enveloped = isinstance(document, Mapping) and "case" in document
    if not enveloped and not followup_required:
        check_limits(document, settings)
        return parse_case(document), None
    if not isinstance(document, Mapping):
        raise ApiProblem(
            "invalid-case",
            "Send an object with `case` (hepatic-case/1) and `followup` (hepatic-followup/1).",
            [error_entry("wrong_type", (), "The body is not an object.", "send an object")],
        )
    unknown = sorted(str(k) for k in document if k not in ENVELOPE_KEYS)
    missing = [k for k in ENVELOPE_KEYS if k not in document and (k == "case" or followup_required)]
    if unknown or missing:
        entries = [
            error_entry("unknown_key", (), "A key other than `case` and `followup`.", "remove it")
            for _ in unknown
        ] + [error_entry("missing", (key,), "This part is missing.", "add it") for key in missing]
        raise ApiProblem(
            "invalid-case",
            "Send an object with `case` (hepatic-case/1) and `followup` (hepatic-followup/1) "
            "and no other keys.",
            entries,
        )
    check_limits(document["case"], settings)
    check_limits(document, settings)
    try:
        case = parse_case(document["case"])
    except CaseError as exc:
        raise case_problem(exc, ("case",)) from None
    if document.get("followup") is None and not followup_required:
        return case, None
    try:
        followup = parse_followup(document.get("followup"), case.tumors)
    except FollowUpError as exc:
        raise case_problem(exc, ("followup",)) from None
    if followup.case is not None and case.id is not None and followup.case != case.id:
        mismatch = Problem(
            "wrong_case",
            ("case",),
            "the follow-up is for another case than the baseline.",
            "send the matching baseline case, or correct the follow-up's `case`",
        )
        raise case_problem(FollowUpError([mismatch]), ("followup",))
    return case, followup


class BodyLimit:
    """ASGI middleware: 413 problem+json for a body over the limit, before it is read; 408
    for a body that does not arrive in time.

    A declared Content-Length over the limit is answered at once; a streamed body is
    counted as it arrives and stopped when it passes the limit. The whole body must
    arrive within ``body_timeout_s`` of the request's start: a client that promises a
    body and stalls gets 408 and its connection closed, instead of holding it for ever.
    The deadline bounds waiting only: once the body is complete, ``receive`` is passed
    through untouched (a response may wait on it for the client to leave).
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int, body_timeout_s: float) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout_s = body_timeout_s

    def _problem(self) -> ApiProblem:
        return ApiProblem(
            "body-too-large",
            f"The request body is larger than {self.max_body_bytes} bytes, this server's limit "
            "(HEPATIC_MAX_BODY_BYTES).",
        )

    def _timeout(self) -> ApiProblem:
        return ApiProblem(
            "body-timeout",
            f"The request body did not arrive within {self.body_timeout_s:g} s "
            "(HEPATIC_BODY_TIMEOUT_S); send it in one go, with the Content-Length it has.",
            headers={"Connection": "close"},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            exc = self._problem()
            response = problem_response(exc.slug, exc.detail, headers={"Connection": "close"})
            await response(scope, receive, send)
            return
        deadline = anyio.current_time() + self.body_timeout_s
        received = 0
        complete = False

        async def guarded_receive() -> Message:
            nonlocal received, complete
            if complete:
                return await receive()
            # Cancelling a receive that waits loses nothing: the server hands a message
            # over only when it returns.
            with anyio.move_on_after(deadline - anyio.current_time()) as waiting:
                message = await receive()
            if waiting.cancelled_caught:
                raise self._timeout()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise self._problem()
                complete = not message.get("more_body", False)
            else:
                complete = True  # http.disconnect: nothing more will come
            return message

        await self.app(scope, guarded_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
