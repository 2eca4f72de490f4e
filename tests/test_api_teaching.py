"""The teaching API: /v1/cases (the library, an instructor's folder and its status),
/v1/quiz (questions without answers, checks with them) and the /class/ pages."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.main import create_app
from api.routes.classroom import CLASS, PAGES
from api.routes.page import PAGE_HEADERS
from api.settings import Settings
from tests.test_teaching_collection import seed_copy, write

SEED = "khassaf-2025-rrha-sma-net-tace"


def problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == f"urn:hepatic:problem:{slug}"
    return body


class TestCases:
    def test_the_list_has_the_literature_cases(self, client: TestClient) -> None:
        found = client.get("/v1/cases").json()
        assert len(found["cases"]) >= 30
        seed = next(c for c in found["cases"] if c["id"] == SEED)
        assert seed["type"] == "Michels III" and seed["origin"] == "built-in"
        assert seed["source"].startswith("Khassaf MS, Abed NY.")
        assert found["data_version"].startswith("sha256:")

    def test_filters(self, client: TestClient) -> None:
        found = client.get("/v1/cases", params={"type": "III", "tag": "tace"}).json()["cases"]
        assert [c["id"] for c in found] == [SEED]
        problem(client.get("/v1/cases", params={"type": "XI"}), 422, "invalid-parameter")

    def test_a_case_without_then_with_its_answer(self, client: TestClient) -> None:
        plain = client.get(f"/v1/cases/{SEED}").json()
        assert plain["question"].startswith("The celiac run fills the left liver only")
        assert plain["answer"] is None and "notes" not in plain["case"]
        assert len(plain["case"]["vessels"]) == 10
        full = client.get(f"/v1/cases/{SEED}", params={"answer": "true"}).json()
        assert full["answer"]["michels"] == "III" and full["answer"]["hiatt"] == 3
        assert full["answer"]["references"][0]["citation"].startswith("Khassaf MS")
        assert full["case"]["notes"]

    def test_an_unknown_case_is_a_404_problem(self, client: TestClient) -> None:
        body = problem(client.get("/v1/cases/no-such-case"), 404, "case-not-found")
        assert "GET /v1/cases" in body["detail"]

    def test_the_figure_hides_the_hepatic_names_until_the_answer(self, client: TestClient) -> None:
        hidden = client.get(f"/v1/cases/{SEED}/diagram")
        assert hidden.status_code == 200 and hidden.headers["content-type"] == "image/svg+xml"
        assert "Michels" not in hidden.text and "replaced RHA" not in hidden.text
        shown = client.get(f"/v1/cases/{SEED}/diagram", params={"answer": "true"})
        assert "Michels III" in shown.text and "replaced RHA" in shown.text

    def test_status_without_a_folder(self, client: TestClient) -> None:
        found = client.get("/v1/cases/status").json()
        assert found["folder"] is None and found["rejected"] == []
        assert found["cases"] >= 30 and found["instructor_cases"] == 0


class TestInstructorsFolder:
    def test_good_files_join_and_bad_ones_are_logged_and_listed(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        write(tmp_path, "my-case.yaml", seed_copy("my-case"))
        bad = seed_copy("bad-case")
        bad["teaching"]["answer"]["michels"] = "XI"
        write(tmp_path, "bad-case.yaml", bad)
        with caplog.at_level(logging.WARNING, logger="hepatic.teaching"):
            app = create_app(Settings(cases_dir=str(tmp_path)))
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1
        assert re.match(
            r"instructor case not loaded: bad-case\.yaml: teaching\.answer\.michels: ", warnings[0]
        )
        assert "Fix:" in warnings[0] and "\n" not in warnings[0]
        with TestClient(app) as client:
            status = client.get("/v1/cases/status").json()
            assert status["instructor_cases"] == 1
            assert [r["file"] for r in status["rejected"]] == ["bad-case.yaml"]
            listed = client.get("/v1/cases", params={"tag": "tace"}).json()["cases"]
            instructors = [c["id"] for c in listed if c["origin"] == "instructor"]
            assert instructors == ["my-case"]
            assert client.get("/v1/cases/my-case").status_code == 200
            assert client.get("/healthz").status_code == 200  # the server runs on

    def test_a_missing_folder_does_not_stop_the_server(self, tmp_path: Path) -> None:
        with TestClient(create_app(Settings(cases_dir=str(tmp_path / "nowhere")))) as client:
            (rejected,) = client.get("/v1/cases/status").json()["rejected"]
            assert "does not exist" in rejected["problem"]
            assert len(client.get("/v1/cases").json()["cases"]) >= 30

    def test_the_server_reads_the_folder_once(self, tmp_path: Path) -> None:
        # Importing api.main builds no app; `uvicorn api.main:app` builds one, once.
        write(tmp_path, "broken.yaml", "vessels: [\n")
        code = (
            "import logging, sys\n"
            "logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format='%(message)s')\n"
            "import api.main as main\n"
            "print('imported')\n"
            "assert main.app is main.app\n"
        )
        env = {**os.environ, "HEPATIC_CASES_DIR": str(tmp_path)}
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        lines = done.stdout.splitlines()
        assert lines[0] == "imported"
        assert [line for line in lines if "broken.yaml" in line] == lines[1:2]

    def test_the_setting_comes_from_the_environment(self) -> None:
        assert Settings.from_env({"HEPATIC_CASES_DIR": " /srv/cases "}).cases_dir == "/srv/cases"
        assert Settings.from_env({}).cases_dir is None


class TestQuiz:
    def test_questions_come_without_answers_and_the_seed_repeats_them(
        self, client: TestClient
    ) -> None:
        first = client.get("/v1/quiz", params={"count": 5, "seed": 17}).json()
        assert first["seed"] == 17 and len(first["questions"]) == 5
        again = client.get("/v1/quiz", params={"count": 5, "seed": 17}).json()
        assert [q["id"] for q in first["questions"]] == [q["id"] for q in again["questions"]]
        for question in first["questions"]:
            assert set(question) == {"id", "kind", "title", "prompt", "choices", "figure", "about"}
        fresh = client.get("/v1/quiz", params={"count": 2}).json()
        assert isinstance(fresh["seed"], int)

    def test_kinds(self, client: TestClient) -> None:
        found = client.get("/v1/quiz", params=[("kinds", "response"), ("count", "3")]).json()
        assert {q["kind"] for q in found["questions"]} == {"response"}
        assert all(q["figure"] is None for q in found["questions"])
        problem(client.get("/v1/quiz", params={"kinds": "trivia"}), 422, "invalid-parameter")

    def test_one_right_one_wrong_and_the_score(self, client: TestClient) -> None:
        from anatomy.teaching import builtin_pool

        pool = builtin_pool()
        asked = client.get("/v1/quiz", params={"count": 2, "seed": 3}).json()["questions"]
        right = pool.solution(asked[0]["id"]).answer
        checked = client.post(
            "/v1/quiz/check",
            json={
                "answers": [
                    {"question": asked[0]["id"], "answer": right},
                    {"question": asked[1]["id"], "answer": "certainly not this"},
                ]
            },
        ).json()
        first, second = checked["results"]
        assert first["correct"] and first["answer"] == right and first["sources"]
        assert not second["correct"] and second["read_as"] is None and second["explanation"]
        assert checked["score"] == {"correct": 1, "total": 2, "percent": 50}

    def test_an_unknown_question_is_a_404_problem_pointing_at_it(self, client: TestClient) -> None:
        asked = client.get("/v1/quiz", params={"count": 1, "seed": 1}).json()["questions"]
        body = problem(
            client.post(
                "/v1/quiz/check",
                json={
                    "answers": [
                        {"question": asked[0]["id"], "answer": "A"},
                        {"question": "q0123456789", "answer": "A"},
                    ]
                },
            ),
            404,
            "question-not-found",
        )
        assert [e["pointer"] for e in body["errors"]] == ["/answers/1/question"]
        assert "q0123456789" not in str(body)  # nothing sent is echoed

    def test_a_figure_draws_its_hepatic_vessels_by_letter(self, client: TestClient) -> None:
        asked = client.get("/v1/quiz", params={"count": 1, "seed": 8, "kinds": "name_type"}).json()[
            "questions"
        ]
        figure = client.get(asked[0]["figure"])
        assert figure.status_code == 200 and figure.headers["content-type"] == "image/svg+xml"
        assert "Michels" not in figure.text
        assert figure.headers["content-security-policy"].startswith("default-src 'none'")
        problem(client.get("/v1/quiz/questions/q0123456789/diagram"), 404, "question-not-found")


class TestClassPages:
    @pytest.mark.parametrize("path", sorted(PAGES))
    def test_pages_are_served_with_the_main_pages_headers(
        self, client: TestClient, path: str
    ) -> None:
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        for name, value in PAGE_HEADERS.items():
            assert response.headers[name] == value
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]

    @pytest.mark.parametrize("name", sorted(p.name for p in CLASS.iterdir()))
    def test_nothing_is_loaded_from_elsewhere(self, name: str) -> None:
        text = (CLASS / name).read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text)
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text)
        assert not re.search(r"""(import|from)\s*\(?\s*['"](https?:)?//""", text)
        assert "innerHTML" not in text  # case text is never parsed as HTML

    @pytest.mark.parametrize("name", sorted(PAGES.values()))
    def test_every_control_has_a_label_and_links_home(self, name: str) -> None:
        html = (CLASS / name).read_text(encoding="utf-8")
        for control in re.findall(r"<(?:select|textarea|input)\b[^>]*\bid=\"([^\"]+)\"", html):
            assert f'<label for="{control}"' in html, control
        assert 'href="/class/"' in html and '<script type="module" src="/static/class/' in html
        assert "<script>" not in html  # no inline script: the CSP allows none

    def test_assets_are_served(self, client: TestClient) -> None:
        for asset, media in (("class.css", "text/css"), ("quiz.js", "javascript")):
            response = client.get(f"/static/class/{asset}")
            assert response.status_code == 200 and media in response.headers["content-type"]


def test_a_case_with_a_follow_up_serves_it_for_the_editor(client: TestClient) -> None:
    # The seed report's teaching case carries its follow-up (85 -> 40 mm after one TACE):
    # the web page's "Start from" enters it in the follow-up step.
    answer = client.get("/v1/cases/khassaf-2025-rrha-sma-net-tace")
    assert answer.status_code == 200
    followup = answer.json()["followup"]
    assert followup["assessments"][0]["lesions"][0] == {"id": "t1", "diameter_mm": 40}
