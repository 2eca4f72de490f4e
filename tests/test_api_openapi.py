"""The OpenAPI document: stable operation ids, every error documented as a problem,
the case schema accepting what the reader accepts."""

from __future__ import annotations

from typing import Any

import pytest

from api.main import create_app
from api.openapi import seed_case
from api.problems import PROBLEM_MEDIA_TYPE
from api.settings import Settings

OPERATIONS = {
    ("get", "/healthz"): "healthz",
    ("get", "/readyz"): "readyz",
    ("post", "/v1/validate"): "validate",
    ("post", "/v1/classify"): "classify",
    ("post", "/v1/plan"): "plan",
    ("post", "/v1/render"): "render",
    ("post", "/v1/report"): "report",
    ("post", "/v1/response"): "response",
    ("get", "/v1/vocabulary"): "vocabulary",
    ("get", "/v1/variants"): "list_variants",
    ("get", "/v1/variants/{variant_id}"): "get_variant",
    ("get", "/v1/variants/{variant_id}/diagram"): "get_variant_diagram",
    ("get", "/v1/cases"): "list_cases",
    ("get", "/v1/cases/status"): "library_status",
    ("get", "/v1/cases/{case_id}"): "get_case",
    ("get", "/v1/cases/{case_id}/diagram"): "get_case_diagram",
    ("get", "/v1/quiz"): "get_quiz",
    ("post", "/v1/quiz/check"): "check_answers",
    ("get", "/v1/quiz/questions/{question_id}/diagram"): "get_question_diagram",
}
CASE_MEDIA = {"application/json", "application/yaml", "application/x-yaml", "text/yaml"}
TREE_MEDIA = {
    "application/vnd.networkx+json",
    "application/graphml+xml",
    "application/vnd.hepatic.swc+json",
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    openapi: dict[str, Any] = create_app(Settings(max_vessels=1234)).openapi()
    return openapi


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): op
        for path, item in document["paths"].items()
        for method, op in item.items()
    }


def test_operation_ids_are_stable(document: dict[str, Any]) -> None:
    found = {key: op["operationId"] for key, op in operations(document).items()}
    assert found == OPERATIONS


def test_every_error_status_is_a_problem(document: dict[str, Any]) -> None:
    for key, op in operations(document).items():
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == [PROBLEM_MEDIA_TYPE], (key, status)
        assert {"405", "500"} <= set(op["responses"]), key


@pytest.mark.parametrize("path", ["/v1/validate", "/v1/classify", "/v1/plan", "/v1/render"])
def test_case_routes_document_their_errors_and_both_syntaxes(
    document: dict[str, Any], path: str
) -> None:
    op = document["paths"][path]["post"]
    assert {"400", "413", "415", "422", "503"} <= set(op["responses"])
    content = op["requestBody"]["content"]
    assert set(content) == CASE_MEDIA | TREE_MEDIA
    for name in CASE_MEDIA:
        assert content[name]["schema"] == {"$ref": "#/components/schemas/CaseIn"}
        assert content[name]["example"] == seed_case()
    # issue 11: the same tree as node-link JSON, GraphML or SWC with its sidecar
    assert content["application/vnd.networkx+json"]["schema"]["$ref"].endswith("/NodeLinkIn")
    assert content["application/graphml+xml"]["schema"]["type"] == "string"
    assert content["application/vnd.hepatic.swc+json"]["schema"]["$ref"].endswith("/SwcIn")


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        ("/v1/response", {"$ref": "#/components/schemas/CaseWithFollowUpIn"}),
        (
            "/v1/report",
            {
                "anyOf": [
                    {"$ref": "#/components/schemas/CaseIn"},
                    {"$ref": "#/components/schemas/CaseAndFollowUpIn"},
                ]
            },
        ),
    ],
)
def test_followup_routes_take_case_and_followup(
    document: dict[str, Any], path: str, schema: dict[str, Any]
) -> None:
    op = document["paths"][path]["post"]
    assert {"400", "413", "415", "422", "503"} <= set(op["responses"])
    assert "follow-up" in op["responses"]["422"]["description"]
    content = op["requestBody"]["content"]
    assert set(content) == CASE_MEDIA
    for media in content.values():
        assert media["schema"] == schema
        assert media["example"]["case"] == seed_case()
        assert media["example"]["followup"]["assessments"][0]["lesions"][0]["diameter_mm"] == 40


def test_access_sites_are_documented(document: dict[str, Any]) -> None:
    for path in ("/v1/plan", "/v1/report"):
        params = {p["name"]: p for p in document["paths"][path]["post"]["parameters"]}
        sites = params["access"]["schema"]["enum"]
        assert {"femoral", "left-femoral", "radial", "right-radial"} <= set(sites), path
        assert "brachiocephalic" in params["access"]["description"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/variants/{variant_id}",
        "/v1/variants/{variant_id}/diagram",
        "/v1/cases/{case_id}",
        "/v1/cases/{case_id}/diagram",
        "/v1/quiz/questions/{question_id}/diagram",
    ],
)
def test_routes_with_an_id_document_404(document: dict[str, Any], path: str) -> None:
    assert "404" in document["paths"][path]["get"]["responses"]


def test_limits_are_in_the_schema(document: dict[str, Any]) -> None:
    case = document["components"]["schemas"]["CaseIn"]
    assert case["properties"]["vessels"]["maxItems"] == 1234
    assert case["examples"] == [seed_case()]


def test_no_dangling_references(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                assert ref.removeprefix("#/components/schemas/") in schemas, ref
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def test_openapi_is_served(document: dict[str, Any]) -> None:
    from starlette.testclient import TestClient

    with TestClient(create_app(Settings(max_vessels=1234))) as client:
        assert client.get("/openapi.json").json() == document
