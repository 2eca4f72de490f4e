"""Assembly of the app: settings, problem handlers, body limit, routes, the pages."""

from __future__ import annotations

from fastapi import FastAPI

from anatomy.reference.datafiles import tool_version
from api import openapi, problems
from api.body import BodyLimit
from api.routes import (
    cases,
    diagrams,
    docs,
    followups,
    health,
    library,
    page,
    plans,
    reports,
    variants,
    vocabulary,
)
from api.routes.page import STATIC, SecureStaticFiles
from api.settings import Settings

__all__ = ["app", "create_app"]

DESCRIPTION = """Classify hepatic arterial anatomy (Michels, Hiatt) and plan TACE catheter
positions. Bodies are case files (hepatic-case/1) in JSON or YAML. Errors are RFC 9457
problem details. Research and teaching software: not a medical device; verify against
the images."""


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
    )
    app.state.settings = settings
    problems.install(app)
    openapi.install(app, settings)
    app.add_middleware(BodyLimit, max_body_bytes=settings.max_body_bytes)
    routes = (health, cases, plans, diagrams, reports, followups, variants, library, vocabulary)
    for module in (*routes, page, docs):
        app.include_router(module.router)
    app.mount("/static", SecureStaticFiles(directory=STATIC), name="static")
    return app


app = create_app()
