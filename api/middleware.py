"""Headers every answer carries, and HEAD wherever GET is: one pure ASGI middleware.

Every response gets ``X-Content-Type-Options: nosniff`` (a browser never guesses that a
JSON answer or a problem document is a page); every HTML response the page's security
headers (Content-Security-Policy with ``frame-ancestors 'none'``, no referrer) unless its
route sent a policy of its own, so a new HTML route cannot be served without them.

A HEAD request is answered as its GET would be, headers and all (Content-Length too),
without the body (RFC 9110 section 9.3.2). OpenAPI lists GET only, as servers usually do.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.routes.page import PAGE_HEADERS

__all__ = ["ResponseHeaders"]


class ResponseHeaders:
    """ASGI middleware: nosniff everywhere, the page headers on HTML, HEAD as GET."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            # A copy: the server keeps its own scope saying HEAD, and sends no body either.
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", ()))}
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                html = headers.get("content-type", "").startswith("text/html")
                if html and "content-security-policy" not in headers:
                    for name, value in PAGE_HEADERS.items():
                        headers.setdefault(name, value)
                allowed = [m.strip() for m in headers.get("allow", "").split(",")]
                if "GET" in allowed and "HEAD" not in allowed:
                    headers["Allow"] = ", ".join((*allowed, "HEAD"))
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)
