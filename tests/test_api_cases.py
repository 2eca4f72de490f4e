"""POST /v1/classify and POST /v1/validate: a case in (JSON or YAML), an answer out.

The seed case is Khassaf & Abed, Al-Rafidain J Med Sci 2025;9(2):312-314: a replaced
right hepatic artery from the SMA (Michels III).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
import yaml
from starlette.testclient import TestClient

from anatomy.pipeline import answer
from api.body import case_from_body
from api.main import create_app
from api.openapi import SEED_EXAMPLE
from api.settings import Settings
from bench.synthetic import synthetic_case

SEED_YAML = SEED_EXAMPLE.read_text(encoding="utf-8")
SEED = yaml.safe_load(SEED_YAML)
YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml"]


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def post(
    client: TestClient, path: str, body: object, media: str = "application/json"
) -> httpx2.Response:
    content = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(path, content=content, headers={"content-type": media})


class TestClassify:
    def test_seed_as_json_is_michels_iii(self, client: TestClient) -> None:
        response = post(client, "/v1/classify", SEED)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert body["classification"]["michels"] == "III"
        assert body["classification"]["hiatt"] == 3
        assert body["case"] == {
            "id": "khassaf-2025-net",
            "title": SEED["title"],
            "vessels": 10,
            "tumors": 2,
        }
        assert body["tool_version"] and body["data_version"].startswith("sha256:")
        assert "Michels type III" in " ".join(body["classification"]["reasons"])
        assert "III" in body["summary"]

    @pytest.mark.parametrize("media", YAML_TYPES)
    def test_seed_as_yaml_gives_the_same_answer(self, client: TestClient, media: str) -> None:
        as_yaml = post(client, "/v1/classify", SEED_YAML, media)
        as_json = post(client, "/v1/classify", SEED)
        assert as_yaml.status_code == 200
        assert as_yaml.json() == as_json.json()

    def test_media_type_parameters_are_accepted(self, client: TestClient) -> None:
        response = post(client, "/v1/classify", SEED, "Application/JSON; charset=utf-8")
        assert response.status_code == 200

    def test_answer_is_deterministic(self, client: TestClient) -> None:
        first = post(client, "/v1/classify", SEED).content
        assert post(client, "/v1/classify", SEED).content == first

    def test_findings_name_their_vessel_and_code(self, client: TestClient) -> None:
        findings = post(client, "/v1/classify", SEED).json()["classification"]["findings"]
        assert findings
        assert all(f["code"] and "vessel" in f for f in findings)
        assert any(f["vessel"] == "rrha" for f in findings)

    def test_unclassified_is_an_answer_not_an_error(self, client: TestClient) -> None:
        # A celiac run alone: a partial study, still a 200 with what it cannot exclude.
        partial = {
            "vessels": [
                {"id": "ct", "kind": "celiac trunk"},
                {"id": "cha", "kind": "CHA", "parent": "ct"},
            ]
        }
        response = post(client, "/v1/classify", partial)
        assert response.status_code == 200
        assert response.json()["classification"]["outcome"] in {"unclassified", "incomplete"}

    @pytest.mark.parametrize("vessels", [12, 300])
    def test_every_case_is_read_and_computed_off_the_event_loop(
        self, monkeypatch: pytest.MonkeyPatch, vessels: int
    ) -> None:
        # Small or large: a small body can be costly too (issue 16).
        on_loop: list[bool] = []

        def watched(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                on_loop.append(_on_event_loop())
                return func(*args, **kwargs)

            monkeypatch.setattr(name, call)
            return call

        watched("api.deps.case_from_body", case_from_body)
        watched("api.routes.cases.answer", answer)
        with TestClient(create_app(Settings(workers=1))) as one_worker:
            response = post(one_worker, "/v1/classify", synthetic_case(vessels))
        assert response.status_code == 200
        assert response.json()["classification"]["michels"] == "III"
        assert on_loop == [False, False]


class TestValidate:
    def test_valid_case_counts(self, client: TestClient) -> None:
        response = post(client, "/v1/validate", SEED)
        assert response.status_code == 200
        body = response.json()
        assert body["valid"] is True
        assert (body["vessels"], body["tumors"]) == (10, 2)
        assert body["data_version"].startswith("sha256:")

    def test_yaml_body(self, client: TestClient) -> None:
        assert post(client, "/v1/validate", SEED_YAML, "application/yaml").status_code == 200

    def test_invalid_case_lists_every_problem(self, client: TestClient) -> None:
        case = {
            "vessels": [
                {"id": "ao", "kind": "aorta"},
                {"id": "ct", "kind": "celiac trunk", "parent": "ao"},
                {"id": "ct", "kind": "CHA", "parent": "ao"},
                {"id": "x", "parent": "nowhere"},
            ]
        }
        response = post(client, "/v1/validate", case)
        assert response.status_code == 422
        codes = {e["code"] for e in response.json()["errors"]}
        assert codes == {"duplicate_id", "unknown_parent"}
