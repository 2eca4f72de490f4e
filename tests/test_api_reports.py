"""POST /v1/report: the report page (HTML, or PDF printed by Chromium)."""

from __future__ import annotations

import httpx2
from starlette.testclient import TestClient

from api.openapi import SEED_EXAMPLE
from tests.conftest import needs

SEED_YAML = SEED_EXAMPLE.read_text(encoding="utf-8")


def report(client: TestClient, query: str = "") -> httpx2.Response:
    return client.post(
        f"/v1/report{query}", content=SEED_YAML, headers={"content-type": "application/yaml"}
    )


@needs("dot")
def test_html_report_is_a_download(client: TestClient) -> None:
    response = report(client)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="hepatic-report.html"'
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "<svg" in response.text
    assert "III" in response.text
    assert "not a medical device" in response.text


@needs("dot", "chromium")
def test_pdf_report(client: TestClient) -> None:
    response = report(client, "?format=pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_unknown_format_is_422(client: TestClient) -> None:
    assert report(client, "?format=docx").status_code == 422
