"""The class pages: a gallery of the Michels types and named variants, the case library,
a quiz with a score, and the library's status. Static files under api/static/class/ (no
build step, nothing from outside this server), sent with the main page's headers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.routes.page import PAGE_HEADERS, STATIC

__all__ = ["CLASS", "PAGES", "router"]

CLASS = STATIC / "class"
PAGES = {
    "/class/": "index.html",
    "/class/gallery": "gallery.html",
    "/class/cases": "cases.html",
    "/class/quiz": "quiz.html",
    "/class/status": "status.html",
}

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(CLASS / name, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


def _route(path: str, name: str) -> None:
    async def page() -> FileResponse:
        return _page(name)

    page.__name__ = f"class_{name.removesuffix('.html')}"
    router.add_api_route(path, page, methods=["GET"])


for _path, _name in PAGES.items():
    _route(_path, _name)
