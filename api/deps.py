"""What the routes depend on, as ``Annotated`` aliases: the settings, the case body (alone or
with a follow-up), a variant, the teaching library and one of its cases; and
:func:`off_loop`, the one way a route's work leaves the event loop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar, TypeVarTuple, Unpack

from anyio import CapacityLimiter, to_thread
from fastapi import Depends, Path, Request

from anatomy.case import SLUG, Case
from anatomy.errors import CaseError
from anatomy.formats.document import Syntax
from anatomy.reference.patterns import Pattern, pattern
from anatomy.response.followup import FollowUp
from anatomy.teaching.library import TeachingCase
from api.body import (
    BodyFormat,
    case_and_followup_from_body,
    case_from_body,
    envelope_syntax_of,
    syntax_of,
)
from api.problems import ApiProblem, case_problem
from api.settings import Settings
from api.teaching import Teaching

__all__ = [
    "CASE_PROBLEMS",
    "FOLLOWUP_PROBLEMS",
    "CaseBody",
    "CaseFollowUpBody",
    "CaseRequest",
    "CaseWithFollowUpBody",
    "SettingsDep",
    "TeachingCaseDep",
    "TeachingDep",
    "VariantDep",
    "off_loop",
]

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


async def get_settings(request: Request) -> Settings:
    # async: a plain function would be sent to the thread pool on every request.
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def off_loop(request: Request, func: Callable[[Unpack[Ts]], T], *args: *Ts) -> T:
    """``func(*args)`` in a worker thread, at most ``HEPATIC_WORKERS`` at once.

    Every body is parsed, validated and computed here, whatever its size: a small body
    can still be costly (219 vessels with unknown parents took half a second), and on the
    event loop it would hold every other request, /healthz included. The bound matters
    as much: threads share the GIL with the loop, so forty CPU-bound threads left the
    loop seconds between turns; as many as there are cores leave it milliseconds.
    """
    limiter: CapacityLimiter = request.app.state.workers
    return await to_thread.run_sync(func, *args, limiter=limiter)


@dataclass(frozen=True, slots=True)
class CaseRequest:
    """A validated case (and follow-up, when the body has one), and the request whose
    worker threads compute with it."""

    case: Case
    request: Request
    followup: FollowUp | None = None

    async def run(self, func: Callable[[Case], T]) -> T:
        """``func(case)`` in a worker thread (see :func:`off_loop`)."""
        return await off_loop(self.request, func, self.case)


def _parsed_case(body: bytes, fmt: BodyFormat, settings: Settings) -> Case:
    # The problem document is built here too: a case can hold a thousand problems.
    try:
        return case_from_body(body, fmt, settings)
    except CaseError as exc:
        raise case_problem(exc) from None


async def read_case(request: Request, settings: SettingsDep) -> CaseRequest:
    fmt = syntax_of(request.headers.get("content-type"))  # 415 before reading the body
    body = await request.body()
    return CaseRequest(await off_loop(request, _parsed_case, body, fmt, settings), request)


CaseBody = Annotated[CaseRequest, Depends(read_case)]


async def _read_enveloped(request: Request, settings: Settings, required: bool) -> CaseRequest:
    if not required and syntax_of(request.headers.get("content-type")) not in ("json", "yaml"):
        return await read_case(request, settings)  # a graph format: a case, no follow-up
    syntax = envelope_syntax_of(request.headers.get("content-type"))
    body = await request.body()
    case, followup = await off_loop(request, _parsed_envelope, body, syntax, settings, required)
    return CaseRequest(case, request, followup)


def _parsed_envelope(
    body: bytes, syntax: Syntax, settings: Settings, required: bool
) -> tuple[Case, FollowUp | None]:
    try:
        return case_and_followup_from_body(body, syntax, settings, followup_required=required)
    except CaseError as exc:
        raise case_problem(exc) from None


async def read_case_with_followup(request: Request, settings: SettingsDep) -> CaseRequest:
    return await _read_enveloped(request, settings, required=True)


async def read_case_maybe_followup(request: Request, settings: SettingsDep) -> CaseRequest:
    return await _read_enveloped(request, settings, required=False)


# {"case": …, "followup": …}: the follow-up is required.
CaseWithFollowUpBody = Annotated[CaseRequest, Depends(read_case_with_followup)]
# A bare case, or {"case": …, "followup": …} with an optional follow-up.
CaseFollowUpBody = Annotated[CaseRequest, Depends(read_case_maybe_followup)]


# The problems a route taking a case can answer with (for its OpenAPI responses).
CASE_PROBLEMS = (
    "unparseable-body",
    "body-timeout",
    "body-too-large",
    "too-many-vessels",
    "too-many-tumors",
    "case-too-large",
    "unsupported-media-type",
    "invalid-case",
    "not-ready",
)
FOLLOWUP_PROBLEMS = (*CASE_PROBLEMS, "invalid-followup")


async def find_variant(variant_id: str) -> Pattern:
    try:
        return pattern(variant_id)
    except KeyError:
        raise ApiProblem(
            "variant-not-found",
            "No variant has this id. GET /v1/variants lists them (michels-i … michels-x and "
            "the named variants); a Michels type such as III also works.",
        ) from None


VariantDep = Annotated[Pattern, Depends(find_variant)]


async def get_teaching(request: Request) -> Teaching:
    teaching: Teaching = request.app.state.teaching
    return teaching


TeachingDep = Annotated[Teaching, Depends(get_teaching)]


async def find_teaching_case(
    teaching: TeachingDep,
    case_id: Annotated[
        str,
        Path(
            pattern=SLUG, description="A teaching case's id, e.g. khassaf-2025-rrha-sma-net-tace."
        ),
    ],
) -> TeachingCase:
    try:
        return teaching.library.case(case_id)
    except KeyError:
        raise ApiProblem(
            "case-not-found",
            "No teaching case has this id. GET /v1/cases lists them.",
        ) from None


TeachingCaseDep = Annotated[TeachingCase, Depends(find_teaching_case)]
