"""The web page, its assets and the favicon, each with the same security headers.

``/`` is one HTML file whose scripts are ES modules under ``/static`` (no build step, no
library from elsewhere); ``/static`` serves the assets; ``/favicon.ico`` the icon. Every
HTML route answers HEAD as well as GET. The page loads its own scripts and styles only and
talks to this server only; no page may be framed.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

__all__ = ["PAGE_HEADERS", "STATIC", "SecureStaticFiles", "page_headers", "router"]

STATIC = Path(__file__).resolve().parent.parent / "static"
_CSP = (
    "default-src 'self'; script-src 'self'{scripts}; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def page_headers(*script_hashes: str) -> dict[str, str]:
    """The headers of an HTML route; ``script_hashes`` allow its own inline scripts."""
    scripts = "".join(f" '{h}'" for h in script_hashes)
    return {
        "Content-Security-Policy": _CSP.format(scripts=scripts),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


PAGE_HEADERS = page_headers()


class SecureStaticFiles(StaticFiles):
    """Static files with the page's headers: nothing is sniffed, nothing framed."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.update(PAGE_HEADERS)
        return response


router = APIRouter(include_in_schema=False)


@router.api_route("/", methods=["GET", "HEAD"])
async def index() -> FileResponse:
    return FileResponse(
        STATIC / "index.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS
    )


@router.api_route("/favicon.ico", methods=["GET", "HEAD"])
async def favicon() -> FileResponse:
    # An SVG icon: every current browser shows one, whatever the address says.
    return FileResponse(
        STATIC / "favicon.svg",
        media_type="image/svg+xml",
        headers={**PAGE_HEADERS, "Cache-Control": "public, max-age=86400"},
    )
