"""POST /v1/render: the case's tree as SVG, PNG, PDF or DOT, with the plan drawn on it."""

from __future__ import annotations

import shutil

import httpx2
import pytest
from starlette.testclient import TestClient

from anatomy.errors import RendererMissingError
from api.openapi import SEED_EXAMPLE
from tests.conftest import needs

SEED_YAML = SEED_EXAMPLE.read_text(encoding="utf-8")
needs_dot = needs("dot")


def render(client: TestClient, query: str = "") -> httpx2.Response:
    return client.post(
        f"/v1/render{query}", content=SEED_YAML, headers={"content-type": "application/yaml"}
    )


@needs_dot
@needs("dot")
def test_a_dot_that_fails_is_not_called_missing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `false` stands for a dot that is installed but draws nothing.
    monkeypatch.setattr("anatomy.output.diagram.find_dot", lambda: shutil.which("false"))
    response = render(client, "?format=png")
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert "installed but could not draw" in detail and "format=dot" in detail
    assert "not installed" not in detail


def test_a_missing_chromium_is_named(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("anatomy.output.report.find_chromium", lambda: None)
    response = client.post(
        "/v1/report?format=pdf",
        content=SEED_YAML,
        headers={"content-type": "application/yaml"},
    )
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert "Chromium" in detail and "format=html" in detail and "Graphviz" not in detail


@pytest.mark.parametrize(
    ("fmt", "media", "magic"),
    [
        ("svg", "image/svg+xml", b"<?xml"),
        ("png", "image/png", b"\x89PNG"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_formats(client: TestClient, fmt: str, media: str, magic: bytes) -> None:
    response = render(client, f"?format={fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert response.content.startswith(magic)
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_dot_needs_no_graphviz(client: TestClient) -> None:
    response = render(client, "?format=dot")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/vnd.graphviz")
    assert response.text.startswith("digraph hepatic {")
    assert '"rrha"' in response.text or "rrha" in response.text


def test_versions_are_headers(client: TestClient) -> None:
    response = render(client, "?format=dot")
    assert response.headers["hepatic-tool-version"]
    assert response.headers["hepatic-data-version"].startswith("sha256:")


def test_svg_is_the_default_and_deterministic(client: TestClient) -> None:
    assert render(client).content == render(client, "?format=svg").content


def test_plan_positions_are_drawn_unless_turned_off(client: TestClient) -> None:
    with_plan = render(client, "?format=dot").text
    without = render(client, "?format=dot&plan=false").text
    assert with_plan != without


def test_conventions_differ(client: TestClient) -> None:
    assert (
        render(client, "?format=dot&convention=posterior").text
        != render(client, "?format=dot").text
    )


@pytest.mark.parametrize(
    "query", ["?format=gif", "?convention=mirror", "?convention=anatomical", "?plan=perhaps"]
)
def test_bad_parameters_are_422(client: TestClient, query: str) -> None:
    response = render(client, query)
    assert response.status_code == 422
    assert response.json()["type"] == "urn:hepatic:problem:invalid-parameter"


def test_missing_graphviz_is_a_503_problem(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_dot(source: str, figure: str, fmt: str, **_: object) -> bytes:
        raise RendererMissingError("dot is not installed")

    monkeypatch.setattr("api.routes.diagrams.draw", no_dot)
    response = render(client, "?format=png")
    assert response.status_code == 503
    assert response.json()["type"] == "urn:hepatic:problem:renderer-missing"
    assert "format=dot" in response.json()["detail"]


@pytest.mark.parametrize(
    ("fmt", "media", "magic"),
    [
        ("svg", "image/svg+xml", b"<svg"),
        ("png", "image/png", b"\x89PNG"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_the_schematic_in_each_format(
    client: TestClient, fmt: str, media: str, magic: bytes
) -> None:
    response = render(client, f"?figure=schematic&format={fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert response.content.startswith(magic)


def test_the_schematic_has_no_dot_text(client: TestClient) -> None:
    response = render(client, "?figure=schematic&format=dot")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:hepatic:problem:invalid-parameter"
    assert "svg, png, pdf" in str(problem)
