"""GET /v1/vocabulary: the kinds a case may name, as the editor's picker reads them."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from anatomy.reference.collaterals import location_hints
from anatomy.reference.vocabulary import all_kinds, lookup


@pytest.fixture(scope="module")
def body(client: TestClient) -> dict[str, Any]:
    answer = client.get("/v1/vocabulary")
    assert answer.status_code == 200
    result: dict[str, Any] = answer.json()
    return result


def test_every_kind_is_listed_in_the_files_order(body: dict[str, Any]) -> None:
    assert [k["name"] for k in body["kinds"]] == [k.name for k in all_kinds()]


def test_every_written_form_listed_is_read_as_its_kind(body: dict[str, Any]) -> None:
    # What the picker offers, the reader must accept as the same kind.
    for item in body["kinds"]:
        for term in (item["name"], item["label"], *item["abbreviations"], *item["synonyms"]):
            assert lookup(term).kind.name == item["name"], term


def test_a_hepatic_kind_has_side_territory_and_status_words(body: dict[str, Any]) -> None:
    rha = next(k for k in body["kinds"] if k["name"] == "right_hepatic")
    assert rha["abbreviations"][0] == "RHA"
    assert rha["group"] == "hepatic" and rha["side"] == "right"
    assert rha["territory"] == ["V", "VI", "VII", "VIII"]
    assert rha["status_words"] is True


def test_tumor_locations_are_read_from_a_label(body: dict[str, Any]) -> None:
    names = {item["name"] for item in body["tumor_locations"]}
    assert {"dome", "subcapsular", "bare_area"} <= names
    for item in body["tumor_locations"]:
        # The editor writes the first word into the label; the planner must read it back.
        assert item["name"] in location_hints(f"tumor, {item['words'][0]}"), item
