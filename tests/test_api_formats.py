"""The API takes the same tree as node-link JSON, GraphML or SWC with its sidecar, by
content type, and reports problems in them as it does for a case (issue 11, item 5).

The files are the seed case (Khassaf & Abed 2025, Michels III) in tests/formats/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from api.main import create_app
from api.problems import ProblemOut
from api.settings import Settings

FORMATS = Path(__file__).resolve().parent / "formats"
NODE_LINK = "application/vnd.networkx+json"
GRAPHML = "application/graphml+xml"
SWC = "application/vnd.hepatic.swc+json"


def swc_body(sidecar: str | None = None) -> str:
    return json.dumps(
        {
            "swc": (FORMATS / "khassaf-2025-net.swc").read_text(),
            "sidecar": sidecar or (FORMATS / "khassaf-2025-net.sidecar.yaml").read_text(),
        }
    )


def errors(response: object) -> list[tuple[str, str]]:
    from httpx2 import Response

    assert isinstance(response, Response)
    assert response.status_code == 422, response.text
    found = ProblemOut.model_validate_json(response.content)
    assert found.errors is not None
    return [(e.code, e.pointer) for e in found.errors]


@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("khassaf-2025-net.nodelink.json", NODE_LINK),
        ("khassaf-2025-net.links.json", NODE_LINK),
        ("khassaf-2025-net.graphml", GRAPHML),
    ],
)
def test_each_format_classifies(client: TestClient, name: str, media: str) -> None:
    response = client.post(
        "/v1/classify", content=(FORMATS / name).read_bytes(), headers={"content-type": media}
    )
    assert response.status_code == 200, response.text
    assert response.json()["classification"]["michels"] == "III"


def test_swc_with_its_sidecar_plans(client: TestClient) -> None:
    response = client.post("/v1/plan", content=swc_body(), headers={"content-type": SWC})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["classification"]["michels"] == "III"
    assert [t["id"] for t in body["plan"]["tumors"]] == ["t1", "t2"]


def test_the_sidecar_may_be_an_object(client: TestClient) -> None:
    import yaml

    sidecar = yaml.safe_load((FORMATS / "khassaf-2025-net.sidecar.yaml").read_text())
    body = json.dumps({"swc": (FORMATS / "khassaf-2025-net.swc").read_text(), "sidecar": sidecar})
    response = client.post("/v1/classify", content=body, headers={"content-type": SWC})
    assert response.status_code == 200, response.text


def test_node_link_problems_point_into_the_body(client: TestClient) -> None:
    data = json.loads((FORMATS / "khassaf-2025-net.nodelink.json").read_text())
    data["nodes"][9]["kind"] = "rigth hepatic"
    data["edges"].append({"source": "zz", "target": "ao"})
    response = client.post(
        "/v1/classify", content=json.dumps(data), headers={"content-type": NODE_LINK}
    )
    assert errors(response) == [
        ("invalid_node_link", f"/edges/{len(data['edges']) - 1}/source"),
        ("unknown_kind", "/nodes/9/kind"),
    ]


def test_sidecar_problems_name_the_field_and_line(client: TestClient) -> None:
    sidecar = (
        (FORMATS / "khassaf-2025-net.sidecar.yaml").read_text().replace("kind: LHA", "kind: LHAX")
    )
    response = client.post("/v1/classify", content=swc_body(sidecar), headers={"content-type": SWC})
    assert errors(response) == [("unknown_kind", "/sidecar/vessels/7/kind")]
    entry = response.json()["errors"][0]
    assert entry["vessel"] == "lha"
    assert sidecar.splitlines()[entry["line"] - 1].count("LHAX") == 1


@pytest.mark.parametrize(
    "body",
    [{"swc": "1 0 0 0 0 1 -1"}, {"swc": 3, "sidecar": {}}, ["swc"]],
    ids=["no-sidecar", "swc-not-text", "not-an-object"],
)
def test_an_swc_body_has_two_members(client: TestClient, body: object) -> None:
    response = client.post("/v1/classify", content=json.dumps(body), headers={"content-type": SWC})
    assert [code for code, _ in errors(response)] == ["invalid_swc_body"]


def test_an_unreadable_sidecar_is_a_problem_of_the_sidecar(client: TestClient) -> None:
    body = json.dumps({"swc": "1 0 0 0 0 1 -1", "sidecar": "vessels: [\n"})
    response = client.post("/v1/classify", content=body, headers={"content-type": SWC})
    assert errors(response) == [("unreadable", "/sidecar")]


def test_graphml_with_entities_is_refused_unread(client: TestClient) -> None:
    body = b'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]><graphml>&a;</graphml>'
    response = client.post("/v1/classify", content=body, headers={"content-type": GRAPHML})
    assert response.status_code == 400
    assert "DTD or entities" in response.json()["detail"]


def test_the_vessel_limit_holds_for_every_format(client: TestClient) -> None:
    with TestClient(create_app(Settings(max_vessels=3))) as small:
        for media, body in [
            (NODE_LINK, (FORMATS / "khassaf-2025-net.nodelink.json").read_bytes()),
            (GRAPHML, (FORMATS / "khassaf-2025-net.graphml").read_bytes()),
            (SWC, swc_body().encode()),
        ]:
            response = small.post("/v1/classify", content=body, headers={"content-type": media})
            assert response.status_code == 413, (media, response.text)


MARK = "zz-secret-patient-9731"


def test_nothing_sent_is_echoed_from_any_format(client: TestClient) -> None:
    data = json.loads((FORMATS / "khassaf-2025-net.nodelink.json").read_text())
    # values only: a short unknown key is named in its pointer, as for a case file
    data["nodes"][9]["kind"] = MARK
    data["nodes"][9]["label"] = MARK
    data["nodes"][3]["supplies"] = [MARK]
    data["edges"][0]["weight"] = MARK
    data["graph"]["tumors"] = [{"id": "t1", "segments": [MARK]}]
    node_link = client.post(
        "/v1/classify", content=json.dumps(data), headers={"content-type": NODE_LINK}
    )
    sidecar = (FORMATS / "khassaf-2025-net.sidecar.yaml").read_text()
    sidecar = sidecar.replace("kind: LHA", f"kind: {MARK}, label: {MARK}").replace(
        "unit: mm", f"unit: {MARK}"
    )
    swc = client.post("/v1/classify", content=swc_body(sidecar), headers={"content-type": SWC})
    for response in (node_link, swc):
        assert response.status_code == 422, response.text
        assert MARK not in response.text


def test_the_tumor_limit_holds_for_node_link(client: TestClient) -> None:
    data = json.loads((FORMATS / "khassaf-2025-net.nodelink.json").read_text())
    with TestClient(create_app(Settings(max_tumors=1))) as small:
        response = small.post(
            "/v1/classify", content=json.dumps(data), headers={"content-type": NODE_LINK}
        )
    assert response.status_code == 413
