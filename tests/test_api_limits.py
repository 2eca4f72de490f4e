"""The answers every route owes any client (issue 16 item 8): the page's security headers on
every HTML route, nosniff on every answer, HEAD wherever GET is, and a body that does not
arrive in time answered 408 with the connection closed (on a real server, over loopback).
"""

from __future__ import annotations

import json
import socket
import sys
import time
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from api.main import SWITCH_INTERVAL_S, create_app
from api.routes.classroom import PAGES
from api.routes.page import STATIC
from api.settings import Settings
from bench.synthetic import synthetic_case
from tests.conftest import served

HOST = "127.0.0.1"  # loopback only
CASE = json.dumps(synthetic_case(20)).encode()
UNKNOWN_PARENT = b'{"vessels": [{"id": "a", "parent": "b"}]}'
HTML_PAGES = sorted(
    {
        "/",
        "/docs",
        "/redoc",
        *PAGES,
        *(
            "/static/" + p.relative_to(STATIC).as_posix()
            for p in STATIC.rglob("*.html")
            if "vendor" not in p.parts
        ),
    }
)


@pytest.fixture(scope="module")
def lenient_client() -> Iterator[TestClient]:
    """The app with default settings, but a server exception is answered (500), not raised."""
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as test_client:
        yield test_client


class TestHtmlHeaders:
    def test_the_pages_are_found(self) -> None:
        assert {"/", "/static/index.html", "/class/"} <= set(HTML_PAGES)

    @pytest.mark.parametrize("path", HTML_PAGES)
    def test_every_html_route_has_the_page_headers(self, client: TestClient, path: str) -> None:
        got = client.get(path)
        assert got.status_code == 200
        assert got.headers["content-type"].startswith("text/html")
        csp = got.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["referrer-policy"] == "no-referrer"

    def test_static_index_is_served_like_the_root(self, client: TestClient) -> None:
        root, static = client.get("/"), client.get("/static/index.html")
        assert root.content == static.content
        for name in ("content-security-policy", "x-content-type-options", "referrer-policy"):
            assert root.headers[name] == static.headers[name]

    def test_a_route_keeps_its_own_stricter_policy(self, client: TestClient) -> None:
        got = client.post(
            "/v1/report?format=html", content=CASE, headers={"content-type": "application/json"}
        )
        assert got.status_code == 200
        assert got.headers["content-security-policy"].startswith("default-src 'none'")
        assert got.headers["x-content-type-options"] == "nosniff"


class TestNoSniff:
    @pytest.mark.parametrize(
        ("method", "path", "body", "media", "status"),
        [
            ("GET", "/healthz", b"", None, 200),
            ("GET", "/readyz", b"", None, 200),
            ("GET", "/v1/variants", b"", None, 200),
            ("GET", "/openapi.json", b"", None, 200),
            ("POST", "/v1/classify", CASE, "application/json", 200),
            ("POST", "/v1/validate", b"{", "application/json", 400),
            ("GET", "/nowhere", b"", None, 404),
            ("DELETE", "/healthz", b"", None, 405),
            ("POST", "/v1/validate", CASE, "text/plain", 415),
            (
                "POST",
                "/v1/validate",
                b'{"vessels": [{"id": "a", "parent": "b"}]}',
                "application/json",
                422,
            ),
            ("GET", "/v1/variants/no-such-variant", b"", None, 404),
        ],
    )
    def test_json_and_problem_answers(
        self,
        client: TestClient,
        method: str,
        path: str,
        body: bytes,
        media: str | None,
        status: int,
    ) -> None:
        headers = {"content-type": media} if media else {}
        got = client.request(method, path, content=body, headers=headers)
        assert got.status_code == status
        assert "json" in got.headers["content-type"]
        assert got.headers["x-content-type-options"] == "nosniff"

    def test_the_body_limit_answer(self) -> None:
        with TestClient(create_app(Settings(max_body_bytes=100))) as small:
            got = small.post("/v1/validate", content=CASE, headers={"content-type": "text/yaml"})
        assert got.status_code == 413
        assert got.headers["x-content-type-options"] == "nosniff"

    def test_an_internal_error(
        self, lenient_client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("a bug")

        monkeypatch.setattr("api.routes.cases.answer", broken)
        got = lenient_client.post(
            "/v1/classify", content=CASE, headers={"content-type": "text/yaml"}
        )
        assert got.status_code == 500
        assert got.headers["content-type"] == "application/problem+json"
        assert got.headers["x-content-type-options"] == "nosniff"


class TestHead:
    @pytest.mark.parametrize(
        "path",
        ["/", "/healthz", "/readyz", "/v1/variants/michels-iii", "/static/index.html", "/class/"],
    )
    def test_head_is_get_without_the_body(self, client: TestClient, path: str) -> None:
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code == 200
        assert head.content == b""
        for name in ("content-type", "content-length", "x-content-type-options"):
            assert head.headers.get(name) == get.headers.get(name), name

    def test_head_where_only_post_is_is_405(self, client: TestClient) -> None:
        got = client.head("/v1/classify")
        assert got.status_code == 405
        assert got.headers["allow"] == "POST"

    def test_allow_lists_head_beside_get(self, client: TestClient) -> None:
        got = client.post("/healthz")
        assert got.status_code == 405
        assert got.headers["allow"] == "GET, HEAD"

    def test_openapi_lists_get_only(self, client: TestClient) -> None:
        paths = client.get("/openapi.json").json()["paths"]
        assert not [p for p, ops in paths.items() if "head" in ops]


def test_the_gil_switch_interval_is_short_only_while_serving() -> None:
    before = sys.getswitchinterval()
    with TestClient(create_app(Settings())):
        assert sys.getswitchinterval() == SWITCH_INTERVAL_S
    assert sys.getswitchinterval() == before


# -- a real server: the body read timeout -----------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    """uvicorn on a free loopback port, in a thread, with a one-second body timeout."""
    with served(create_app(Settings(body_timeout_s=1))) as port:
        yield port


def _exchange(port: int, request: bytes, timeout: float = 10) -> tuple[bytes, bool]:
    """Send ``request`` and read until the server closes: the answer, and whether it closed."""
    with socket.create_connection((HOST, port), timeout=timeout) as conn:
        conn.sendall(request)
        received = b""
        while True:
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                return received, False
            if not chunk:
                return received, True
            received += chunk


def _response(conn: socket.socket) -> bytes:
    """One whole response (head and Content-Length body) from a keep-alive connection."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += conn.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.lower().split(b"\r\n")
        if b"content-length" in line
    )
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


def _post(path: str, body: bytes, length: int | None = None) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body) if length is None else length}\r\n\r\n"
    )
    return head.encode() + body


class TestBodyTimeout:
    def test_a_stalled_body_is_408_and_the_connection_closed(self, server: int) -> None:
        start = time.monotonic()
        answer, closed = _exchange(server, _post("/v1/validate", CASE[:100], len(CASE)))
        took = time.monotonic() - start
        assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
        head, _, body = answer.partition(b"\r\n\r\n")
        assert b"content-type: application/problem+json" in head.lower()
        assert json.loads(body)["type"] == "urn:hepatic:problem:body-timeout"
        assert closed
        assert 0.9 <= took < 5

    def test_a_body_that_arrives_is_read(self, server: int) -> None:
        request = _post("/v1/validate", CASE)
        with socket.create_connection((HOST, server), timeout=10) as conn:
            conn.sendall(request[:200])
            time.sleep(0.3)  # slow, but within the second
            conn.sendall(request[200:])
            answer = _response(conn)
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]

    def test_the_deadline_is_per_request(self, server: int) -> None:
        # Two requests on one keep-alive connection, the second after the first's second.
        with socket.create_connection((HOST, server), timeout=10) as conn:
            for _ in range(2):
                conn.sendall(_post("/v1/validate", CASE))
                assert _response(conn).startswith(b"HTTP/1.1 200 ")
                time.sleep(0.6)
