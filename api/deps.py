"""What the routes depend on, as ``Annotated`` aliases: the settings, the case body, a variant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from anatomy.case import Case
from anatomy.reference.patterns import Pattern, pattern
from api.body import case_from_body, syntax_of
from api.problems import ApiProblem
from api.settings import Settings

__all__ = ["CASE_PROBLEMS", "CaseBody", "CaseRequest", "SettingsDep", "VariantDep"]

T = TypeVar("T")


async def get_settings(request: Request) -> Settings:
    # async: a plain function would be sent to the thread pool on every request.
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


@dataclass(frozen=True, slots=True)
class CaseRequest:
    """A validated case and whether it is small enough to compute on the event loop."""

    case: Case
    inline: bool

    async def run(self, func: Callable[[Case], T]) -> T:
        """``func(case)``: in place for a small case, in a worker thread for a large one."""
        if self.inline:
            return func(self.case)
        return await run_in_threadpool(func, self.case)


async def read_case(request: Request, settings: SettingsDep) -> CaseRequest:
    fmt = syntax_of(request.headers.get("content-type"))  # 415 before reading the body
    body = await request.body()
    inline = len(body) <= settings.inline_body_bytes
    if inline:
        case = case_from_body(body, fmt, settings)
    else:
        case = await run_in_threadpool(case_from_body, body, fmt, settings)
    return CaseRequest(case, inline)


CaseBody = Annotated[CaseRequest, Depends(read_case)]


# The problems a route taking a case can answer with (for its OpenAPI responses).
CASE_PROBLEMS = (
    "unparseable-body",
    "body-too-large",
    "too-many-vessels",
    "too-many-tumors",
    "case-too-large",
    "unsupported-media-type",
    "invalid-case",
    "not-ready",
)


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
