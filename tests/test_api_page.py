"""The web page, its assets, the favicon and the API docs: served by the app, with the
same security headers, self-contained (they work offline)."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from api.routes.page import STATIC


def test_root_serves_the_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    # Scripts from this server only: no inline script, no eval.
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert '<script type="module" src="/static/js/app.js">' in response.text


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/static/js/app.js", "javascript"),
        ("/static/style.css", "text/css"),
        ("/static/examples/khassaf-2025-net.yaml", ""),
    ],
)
def test_assets(client: TestClient, path: str, media: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert media in response.headers["content-type"]


OWN_FILES = sorted(
    p.relative_to(STATIC).as_posix()
    for p in STATIC.rglob("*")
    if p.suffix in (".html", ".js", ".css", ".svg") and "vendor" not in p.parts
)


def test_the_page_is_plain_modules() -> None:
    assert {"index.html", "js/app.js", "style.css", "favicon.svg"} <= set(OWN_FILES)
    assert len([f for f in OWN_FILES if f.endswith(".js")]) >= 6


@pytest.mark.parametrize("name", OWN_FILES)
def test_nothing_is_loaded_from_elsewhere(name: str) -> None:
    text = (STATIC / name).read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", text)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text)
    assert 'fetch("http' not in text


@pytest.mark.parametrize("path", ["/", "/docs", "/redoc", "/favicon.ico", "/static/js/app.js"])
def test_security_headers_and_head(client: TestClient, path: str) -> None:
    got = client.get(path)
    assert got.status_code == 200
    csp = got.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert got.headers["x-content-type-options"] == "nosniff"
    head = client.head(path)
    assert head.status_code == 200
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.content == b""


@pytest.mark.parametrize(
    ("path", "asset"),
    [
        ("/docs", "/static/vendor/swagger-ui/swagger-ui-bundle.js"),
        ("/docs", "/static/vendor/swagger-ui/swagger-ui.css"),
        ("/redoc", "/static/vendor/redoc/redoc.standalone.js"),
    ],
)
def test_docs_load_vendored_files_only(client: TestClient, path: str, asset: str) -> None:
    html = client.get(path).text
    assert f'"{asset}"' in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert client.get(asset).status_code == 200


def test_swagger_inline_script_is_allowed_by_hash_only(client: TestClient) -> None:
    got = client.get("/docs")
    script_src = re.search(r"script-src ([^;]*)", got.headers["content-security-policy"])
    assert script_src is not None
    sources = script_src.group(1).split()
    assert "'unsafe-inline'" not in sources
    assert [s for s in sources if s.startswith("'sha256-")]
    # No validator badge: it would send the OpenAPI document to another server.
    assert '"validatorUrl": null' in got.text


def test_vendored_libraries_keep_their_licences() -> None:
    vendor = STATIC / "vendor"
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    for folder in ("swagger-ui", "redoc", "js-yaml"):
        assert (vendor / folder / "LICENSE").is_file(), folder
        assert f"`{folder}/`" in readme


def test_favicon_is_an_svg(client: TestClient) -> None:
    got = client.get("/favicon.ico")
    assert got.headers["content-type"] == "image/svg+xml"
    assert got.text.startswith("<svg")


def test_every_control_has_a_label() -> None:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    controls = re.findall(r"<(?:select|textarea|input)\b[^>]*\bid=\"([^\"]+)\"", html)
    assert controls
    for control in controls:
        assert f'<label for="{control}"' in html, control


def test_results_are_announced() -> None:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert 'aria-live="polite"' in html
    assert 'role="alert"' in html


def test_unknown_asset_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/static/nope.js")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
