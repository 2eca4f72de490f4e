"""POST /v1/response and the report's follow-up: RECIST 1.1 and mRECIST over HTTP.

The seed report (Khassaf & Abed, Al-Rafidain J Med Sci 2025): the segment IV lesion
measured 85 mm before and 40 mm after one TACE. The report does not measure the II/III
lesion (47 mm) again; here it is entered unchanged, the least favourable reading short of
growth: (40 + 47 - 132) / 132 = -34.1 %, still a partial response (≤ -30 %).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from api.openapi import SEED_FOLLOWUP, seed_case
from tests.conftest import needs


def followup(*lesions: tuple[str, float], **extra: Any) -> dict[str, Any]:
    measured = [{"id": i, "diameter_mm": mm} for i, mm in lesions]
    return {"assessments": [{"interval": "after TACE 1", "lesions": measured, **extra}]}


def respond(client: TestClient, body: dict[str, Any]) -> Any:
    return client.post("/v1/response", json=body)


class TestResponse:
    def test_seed_is_a_partial_response_with_the_arithmetic(self, client: TestClient) -> None:
        answer = respond(client, {"case": seed_case(), "followup": SEED_FOLLOWUP})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["case"]["id"] == "khassaf-2025-net"
        recist = body["response"]["assessments"][0]["recist"]
        assert recist["category"] == "PR"
        assert recist["baseline_sum_mm"] == 132 and recist["current_sum_mm"] == 87
        assert recist["change_vs_baseline_pct"] == -34.1
        assert any("(87 - 132) / 132 = -34.1 %" in line for line in recist["arithmetic"])
        assert "RECIST 1.1 PR" in body["text"]
        assert body["tool_version"] and body["data_version"].startswith("sha256:")

    def test_yaml_body(self, client: TestClient) -> None:
        text = yaml.safe_dump({"case": seed_case(), "followup": SEED_FOLLOWUP})
        answer = client.post(
            "/v1/response", content=text, headers={"content-type": "application/yaml"}
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["response"]["assessments"][0]["recist"]["category"] == "PR"

    def test_an_unmeasured_target_is_not_evaluable(self, client: TestClient) -> None:
        answer = respond(client, {"case": seed_case(), "followup": followup(("t1", 40))})
        assert answer.json()["response"]["assessments"][0]["recist"]["category"] == "NE"

    def test_an_unequivocal_new_lesion_is_progression(self, client: TestClient) -> None:
        new = {"new_lesions": [{"segments": ["VII"], "diameter_mm": 15, "unequivocal": True}]}
        body = {"case": seed_case(), "followup": followup(("t1", 40), ("t2", 47), **new)}
        found = respond(client, body).json()["response"]["assessments"][0]
        assert found["recist"]["category"] == "PD"

    def test_a_new_lesion_not_said_to_be_unequivocal_is_followed(self, client: TestClient) -> None:
        # RECIST 1.1 needs an unequivocal new lesion (issue 10, item 8): one the file does
        # not qualify is "new lesion, unequivocal?", to be followed, never silently PD.
        new = {"new_lesions": [{"segments": ["VII"], "diameter_mm": 15}]}
        body = {"case": seed_case(), "followup": followup(("t1", 40), ("t2", 47), **new)}
        found = respond(client, body).json()["response"]["assessments"][0]
        assert found["recist"]["category"] == "PR"

    def test_followup_problems_point_into_the_followup(self, client: TestClient) -> None:
        bad = {
            "assessments": [
                {"interval": "2025-03-01", "lesions": [{"id": "t9", "diameter_mm": -1}]}
            ]
        }
        answer = respond(client, {"case": seed_case(), "followup": bad})
        assert answer.status_code == 422
        problem = answer.json()
        assert problem["type"] == "urn:hepatic:problem:invalid-followup"
        pointers = {e["pointer"]: e for e in problem["errors"]}
        assert set(pointers) == {
            "/followup/assessments/0/interval",
            "/followup/assessments/0/lesions/0/diameter_mm",
            "/followup/assessments/0/lesions/0/id",
        }
        assert pointers["/followup/assessments/0/lesions/0/id"]["code"] == "unknown_tumor"
        # Nothing sent is echoed: not the date, not the unknown id.
        assert "2025" not in answer.text and "t9" not in answer.text

    def test_case_problems_point_into_the_case(self, client: TestClient) -> None:
        case = {
            "vessels": [
                {"id": "ao", "kind": "aorta"},
                {"id": "x", "kind": "nonsense", "parent": "ao"},
            ]
        }
        answer = respond(client, {"case": case, "followup": SEED_FOLLOWUP})
        assert answer.status_code == 422
        problem = answer.json()
        assert problem["type"] == "urn:hepatic:problem:invalid-case"
        assert [e["pointer"] for e in problem["errors"]] == ["/case/vessels/1/kind"]

    def test_a_followup_for_another_case_is_refused(self, client: TestClient) -> None:
        other = {**SEED_FOLLOWUP, "case": "another-case"}
        answer = respond(client, {"case": seed_case(), "followup": other})
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["code"] == "wrong_case"
        assert "another-case" not in answer.text

    @pytest.mark.parametrize(
        ("body", "pointer"),
        [
            ({"case": {"vessels": [{"id": "ao"}]}}, "/followup"),
            ({"followup": SEED_FOLLOWUP}, "/case"),
            ({"case": {"vessels": [{"id": "ao"}]}, "followup": {}, "extra": 1}, ""),
        ],
    )
    def test_the_envelope_is_checked(
        self, client: TestClient, body: dict[str, Any], pointer: str
    ) -> None:
        answer = respond(client, body)
        assert answer.status_code == 422
        assert pointer in [e["pointer"] for e in answer.json()["errors"]]
        assert "extra" not in answer.text

    def test_a_bare_case_is_not_enough(self, client: TestClient) -> None:
        assert respond(client, seed_case()).status_code == 422


@needs("dot")
class TestReportWithFollowUp:
    def test_the_report_shows_the_response(self, client: TestClient) -> None:
        answer = client.post("/v1/report", json={"case": seed_case(), "followup": SEED_FOLLOWUP})
        assert answer.status_code == 200, answer.text
        section = answer.text[answer.text.index("<h2>Response</h2>") :]
        assert "after TACE 1" in section and "<b>PR</b>" in section

    def test_a_bare_case_still_reports_without_response(self, client: TestClient) -> None:
        answer = client.post("/v1/report", json=seed_case())
        assert answer.status_code == 200
        assert "<h2>Response</h2>" not in answer.text

    def test_followup_may_be_null(self, client: TestClient) -> None:
        answer = client.post("/v1/report", json={"case": seed_case(), "followup": None})
        assert answer.status_code == 200
        assert "<h2>Response</h2>" not in answer.text

    def test_the_route_starts_at_the_access_site(self, client: TestClient) -> None:
        answer = client.post(
            "/v1/report?access=radial",
            json={"case": seed_case(), "followup": SEED_FOLLOWUP},
        )
        assert "L radial &gt; brachial &gt; axillary &gt; L SCA &gt; arch" in answer.text

    def test_a_bad_followup_is_a_problem(self, client: TestClient) -> None:
        body = {"case": seed_case(), "followup": followup(("t9", 40))}
        answer = client.post("/v1/report", json=body)
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["pointer"] == "/followup/assessments/0/lesions/0/id"
