"""GET /v1/cases: the built-in cases (the seed report, later the teaching cases)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import data_dir
from api.main import create_app
from api.openapi import seed_case
from api.routes import library
from api.settings import Settings


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as test_client:
        yield test_client


def test_the_seed_is_listed_with_its_type(client: TestClient) -> None:
    answer = client.get("/v1/cases")
    assert answer.status_code == 200
    cases = {c["id"]: c for c in answer.json()["cases"]}
    seed = cases["khassaf-2025-net"]
    assert seed["source"].startswith("Khassaf MS, Abed NY")
    assert seed["tags"] == ["seed report", "Michels III", "tumors"]


def test_every_case_file_is_listed() -> None:
    files = [
        p
        for folder, _ in library.COLLECTIONS
        if (data_dir() / folder).is_dir()
        for p in (data_dir() / folder).iterdir()
        if p.suffix in (".yaml", ".yml", ".json")
    ]
    assert files
    assert len(library.builtin_cases()) == len(files)


def test_one_case_whole(client: TestClient) -> None:
    answer = client.get("/v1/cases/khassaf-2025-net")
    assert answer.status_code == 200
    assert answer.json()["case"] == seed_case()
    assert answer.json()["followup"] is None


def test_unknown_case_is_a_404_problem(client: TestClient) -> None:
    answer = client.get("/v1/cases/no-such-case")
    assert answer.status_code == 404
    assert answer.json()["type"] == "urn:hepatic:problem:case-not-found"


def test_a_teaching_case_is_served_without_its_teaching_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The teaching library's files (docs/data-schemas.md): a case plus a `teaching` block
    # with tags and, optionally, a follow-up.
    folder = tmp_path / "teaching_cases"
    folder.mkdir()
    (folder / "example.yaml").write_text(
        "format: hepatic-case/1\nid: example\ntitle: An example\nsource: A source.\n"
        "vessels:\n  - {id: ao, kind: aorta}\n  - {id: ct, kind: celiac trunk, parent: ao}\n"
        "tumors:\n  - {id: t1, segments: [II], diameter_mm: 30}\n"
        "teaching:\n  question: What is it?\n  tags: [partial-study, tace]\n"
        "  followup:\n    assessments:\n      - interval: week 6\n"
        "        lesions: [{id: t1, diameter_mm: 20}]\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(library, "data_dir", lambda: tmp_path)
    library.builtin_cases.cache_clear()
    try:
        item = library.builtin_cases()["example"]
    finally:
        library.builtin_cases.cache_clear()
    assert item.tags[0] == "teaching case" and item.tags[-2:] == ("partial-study", "tace")
    assert "teaching" not in item.document and item.document["id"] == "example"
    assert item.followup is not None
    assert item.followup["assessments"][0]["lesions"] == [{"id": "t1", "diameter_mm": 20}]


def test_a_broken_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "broken.yaml").write_text("vessels: []\n", encoding="utf-8")
    monkeypatch.setattr(library, "data_dir", lambda: tmp_path)
    library.builtin_cases.cache_clear()
    try:
        with pytest.raises(ReferenceDataError, match=r"broken\.yaml"):
            library.builtin_cases()
    finally:
        library.builtin_cases.cache_clear()
