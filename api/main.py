"""Assembly of the app: settings, worker threads, problem handlers, body limit and
response headers, routes, the pages."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache

from anyio import CapacityLimiter, to_thread
from fastapi import FastAPI

from anatomy.output.documents import classification_dict, dumps, plan_dict
from anatomy.output.figures import case_figure, draw
from anatomy.output.report import report_html
from anatomy.pipeline import answer
from anatomy.reference.datafiles import tool_version
from api import openapi, problems
from api.body import BodyLimit, case_from_body
from api.middleware import ResponseHeaders
from api.openapi import SEED_EXAMPLE
from api.routes import (
    cases,
    classroom,
    diagrams,
    docs,
    followups,
    health,
    library,
    page,
    plans,
    quiz,
    reports,
    variants,
    vocabulary,
)
from api.routes.page import STATIC, SecureStaticFiles
from api.settings import Settings
from api.teaching import load_teaching

__all__ = ["app", "create_app"]  # noqa: F822 - `app` comes from __getattr__, built on first use

DESCRIPTION = """Classify hepatic arterial anatomy (Michels, Hiatt) and plan TACE catheter
positions. Bodies are case files (hepatic-case/1) in JSON or YAML. Errors are RFC 9457
problem details. Research and teaching software: not a medical device; verify against
the images."""


# How long a thread may hold the GIL while another waits for it (CPython's default: 5 ms).
# The event loop gives the GIL up at every socket call and then waits for it again; behind
# busy worker threads each wait is one interval. At 1 ms, /healthz answered in 8 ms (p50)
# / 80 ms (p99) instead of 17-35 / 87-190 ms while 40 clients posted costly cases to a
# 2-core machine (bench/bench_api.py measures it).
SWITCH_INTERVAL_S = 0.001


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[None]:
    """Before the app serves, one case through every stage a request can reach; while it
    serves, the shorter GIL switch interval, restored afterwards."""
    await to_thread.run_sync(warm_up)
    previous = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def warm_up() -> None:
    """Read, classify, plan, write, draw (DOT, schematic SVG and PNG) and report the seed
    case once, with no external renderer. A stage's first use imports its modules and
    fills its caches, and an import holds the GIL for a long time (CairoSVG's loads the
    cairo library): 20 first drawings held /healthz for 200-250 ms; warmed up, 14 ms."""
    # The default limits: a deployment's own may be lower than the seed case needs.
    case = case_from_body(SEED_EXAMPLE.read_bytes(), "yaml", Settings())
    done = answer(case, with_plan=True)
    assert done.plan is not None  # the seed case has tumors
    dumps(classification_dict(done.classification))
    dumps(plan_dict(done.plan))
    case_figure(case, done.classification, figure="tree", plan=done.plan)
    schematic = case_figure(case, done.classification, figure="schematic", plan=done.plan)
    draw(schematic, "schematic", "png")
    report_html(case, done.classification, plan=done.plan)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app; ``settings`` defaults to the ``HEPATIC_*`` environment."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="hepatic",
        version=tool_version(),
        summary="Hepatic arterial variants and TACE planning",
        description=DESCRIPTION,
        generate_unique_id_function=openapi.operation_id,
        # Served by api.routes.docs from vendored files, never from a CDN.
        docs_url=None,
        redoc_url=None,
        lifespan=serving,
    )
    app.state.settings = settings
    app.state.teaching = load_teaching(settings)  # an instructor's bad files: logged, not fatal
    # Parsing, validating and computing: in at most this many threads at once (api.deps).
    app.state.workers = CapacityLimiter(settings.workers)
    # The readiness check's own thread, so it never waits behind that work.
    app.state.probes = CapacityLimiter(1)
    problems.install(app)
    openapi.install(app, settings)
    app.add_middleware(
        BodyLimit,
        max_body_bytes=settings.max_body_bytes,
        body_timeout_s=settings.body_timeout_s,
    )
    app.add_middleware(ResponseHeaders)  # the outer one: it sees BodyLimit's answers too
    routes = (health, cases, plans, diagrams, reports, followups, variants, library, quiz)
    for module in (*routes, vocabulary, page, classroom, docs):
        app.include_router(module.router)
    app.mount("/static", SecureStaticFiles(directory=STATIC), name="static")
    return app


def __getattr__(name: str) -> FastAPI:
    """``app`` for ``uvicorn api.main:app``: built from the environment on first use, so
    that importing ``create_app`` builds nothing (an instructor's case folder is read, and
    its bad files logged, once per app)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _default_app()


@cache
def _default_app() -> FastAPI:
    return create_app()
