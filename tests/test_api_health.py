"""GET /healthz (the process answers) and GET /readyz (the reference data is usable)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from anatomy.errors import ReferenceDataError
from anatomy.reference.patterns import patterns
from anatomy.reference.vocabulary import all_kinds


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_counts_what_it_loaded(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["variants"] == len(patterns())
    assert body["vessel_kinds"] == len(all_kinds())
    assert body["data_version"].startswith("sha256:")


@pytest.mark.parametrize(
    "loader",
    ["patterns", "hiatt_types", "usual_feeders", "all_kinds", "collateral_priors", "route_advice"],
)
def test_readyz_is_503_when_any_data_file_fails(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, loader: str
) -> None:
    def broken() -> None:
        raise ReferenceDataError(f"{loader}: the data file does not match its schema")

    monkeypatch.setattr(f"api.routes.health.{loader}", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:hepatic:problem:not-ready"
    assert client.get("/healthz").status_code == 200
