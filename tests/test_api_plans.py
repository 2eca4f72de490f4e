"""POST /v1/plan: catheter positions per tumor, over HTTP.

The seed case (Khassaf & Abed 2025): tumors in IV and II/III, both reached from the
left hepatic artery; the replaced RHA from the SMA feeds neither.
"""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from api.openapi import SEED_EXAMPLE

SEED_YAML = SEED_EXAMPLE.read_text(encoding="utf-8")


def plan(client: TestClient, query: str = "") -> Any:
    response = client.post(
        f"/v1/plan{query}", content=SEED_YAML, headers={"content-type": "application/yaml"}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_every_tumor_has_targets_with_paths(client: TestClient) -> None:
    body = plan(client)
    assert body["case"] == {
        "id": "khassaf-2025-net",
        "title": body["case"]["title"],
        "vessels": 10,
        "tumors": 2,
    }
    tumors = body["plan"]["tumors"]
    assert [t["id"] for t in tumors] == ["t1", "t2"]
    for tumor in tumors:
        assert tumor["targets"]
        for target in tumor["targets"]:
            assert target["path"][0] == "ao"
            assert target["path"][-1] == target["vessel"]
    assert {t["vessel"] for tumor in tumors for t in tumor["targets"]} == {"lha"}
    assert body["data_version"].startswith("sha256:")


def test_radial_access(client: TestClient) -> None:
    assert plan(client, "?access=radial")["plan"]["access"]["site"] == "radial"


def test_unknown_access_is_a_422_problem(client: TestClient) -> None:
    response = client.post(
        "/v1/plan?access=brachial", content=SEED_YAML, headers={"content-type": "application/yaml"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "urn:hepatic:problem:invalid-parameter"
    assert body["errors"][0]["pointer"] == "/query/access"
    assert "brachial" not in response.text


def test_a_case_without_tumors_has_an_empty_plan(client: TestClient) -> None:
    case = {"vessels": [{"id": "ao", "kind": "aorta"}, {"id": "ct", "kind": "CT", "parent": "ao"}]}
    response = client.post("/v1/plan", json=case)
    assert response.status_code == 200
    assert response.json()["plan"]["tumors"] == []
