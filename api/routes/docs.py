"""The API's documentation pages, /docs (Swagger UI) and /redoc, served offline.

Both libraries are vendored under ``api/static/vendor`` (see its README: versions, where
they came from, licences), so the pages work on a network that cannot reach a CDN. Swagger
UI starts from one inline script; the Content-Security-Policy allows exactly that script
by its hash and nothing else inline.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from api.routes.page import page_headers

__all__ = ["router"]

VENDOR = "/static/vendor"
FAVICON = "/favicon.ico"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

router = APIRouter(include_in_schema=False)


@cache
def _swagger(openapi_url: str, title: str) -> tuple[bytes, dict[str, str]]:
    page = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=f"{title} — API (Swagger UI)",
        swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=FAVICON,
        # No schema validator badge: it would send the document to another server.
        swagger_ui_parameters={"validatorUrl": None},
    )
    body = bytes(page.body)
    hashes = [
        "sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
        for s in _INLINE_SCRIPT.findall(body.decode())
    ]
    return body, page_headers(*hashes)


@cache
def _redoc(openapi_url: str, title: str) -> tuple[bytes, dict[str, str]]:
    page = get_redoc_html(
        openapi_url=openapi_url,
        title=f"{title} — API (ReDoc)",
        redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )
    return bytes(page.body), page_headers()


@router.api_route("/docs", methods=["GET", "HEAD"])
async def swagger_ui(request: Request) -> HTMLResponse:
    body, headers = _swagger(request.app.openapi_url or "/openapi.json", request.app.title)
    return HTMLResponse(body, headers=headers)


@router.api_route("/redoc", methods=["GET", "HEAD"])
async def redoc(request: Request) -> HTMLResponse:
    body, headers = _redoc(request.app.openapi_url or "/openapi.json", request.app.title)
    return HTMLResponse(body, headers=headers)
