"""The web page and its assets: served by the app, self-contained (works offline)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from api.main import create_app
from api.routes.page import STATIC
from api.settings import Settings


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as test_client:
        yield test_client


def test_root_serves_the_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert '<script type="module" src="/static/app.js">' in response.text


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/static/app.js", "javascript"),
        ("/static/style.css", "text/css"),
        ("/static/examples/khassaf-2025-net.yaml", ""),
    ],
)
def test_assets(client: TestClient, path: str, media: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert media in response.headers["content-type"]


@pytest.mark.parametrize("name", ["index.html", "app.js", "style.css"])
def test_nothing_is_loaded_from_elsewhere(name: str) -> None:
    text = (STATIC / name).read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", text)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text)
    assert 'fetch("http' not in text


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
