"""The teaching library (data/teaching_cases/, anatomy/teaching/library.py).

Every case was written from a published case report or series (its ``source`` and first
reference) and its answer from the paper read against Michels' definitions and this
project's classification rules, never from the classifier's output: a failure of
``test_the_classifier_gives_the_stated_answer`` means the classifier and the literature
disagree. The coverage tests say what a class needs from the library; the loader tests
say how a malformed file is refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import data_dir
from anatomy.reference.patterns import MICHELS_ORDER
from anatomy.response.assess import assess
from anatomy.response.followup import looks_like_date
from anatomy.teaching import TeachingCase, load_teaching_case, teaching_case, teaching_cases
from tests.trees import classified

CASES = teaching_cases()
FOLDER = data_dir() / "teaching_cases"
FILES = sorted(FOLDER.glob("*.yaml"))
LITERATURE = Path(__file__).resolve().parent / "literature"
SEED = "khassaf-2025-rrha-sma-net-tace"

CATEGORIES = {"CR", "PR", "SD", "PD", "NE", "non-CR/non-PD"}
CASE_KEYS = {"format", "id", "title", "modality", "source", "notes", "vessels", "tumors"}
TEACHING_KEYS = {
    "question",
    "answer",
    "explanation",
    "references",
    "difficulty",
    "tags",
    "followup",
}
# What a class must find in the library: every variant outside Michels named in the
# project's issue, the celiac-trunk variants, partial studies, dual supply and TACE.
REQUIRED_TAGS = {
    "rha-from-gda",
    "rha-from-celiac",
    "rha-from-aorta",
    "rha-from-pancreaticoduodenal",
    "cha-from-aorta",
    "double-hepatic-arteries",
    "lha-from-gda",
    "pha-from-sma-gda-from-celiac",
    "trifurcation",
    "celiac-variant",
    "hepatosplenic-trunk",
    "celiacomesenteric-trunk",
    "gastrosplenic-trunk",
    "partial-study",
    "dual-supply",
    "tace",
    "followup",
}
HEPATIC_ARTERY_CODES = {
    f"{status}_{side}_hepatic"
    for status in ("normal", "replaced", "accessory")
    for side in ("right", "left")
}
# Bibliographic identifiers may read like dates (10.1016/j.aanat.2009.06.006); they are
# not dates of a patient and are left out of the check, as the loader leaves them out.
IDENTIFIER = re.compile(r"\b10\.\d{4,9}/\S+|https?://\S+")
AGE = re.compile(r"\b(\d{1,3})[- ]?(?:year|yr)s?[- ]old\b", re.IGNORECASE)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _strings(document: object) -> list[tuple[str, str]]:
    """Every (path, text) in a parsed document, walked without recursion."""
    out: list[tuple[str, str]] = []
    stack: list[tuple[str, object]] = [("", document)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack += [(f"{where}.{key}", item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [(f"{where}[{i}]", item) for i, item in enumerate(value)]
        elif isinstance(value, str):
            out.append((where, value))
    return out


def _tree_kinds(item: TeachingCase) -> set[str | None]:
    return {v.kind for v in item.case.vessels}


class TestEveryCase:
    @pytest.mark.parametrize("item", CASES, ids=lambda c: c.id)
    def test_the_classifier_gives_the_stated_answer(self, item: TeachingCase) -> None:
        result = classified(item.case)
        assert (result.michels, result.hiatt, result.outcome) == (
            item.answer.michels,
            item.answer.hiatt,
            item.answer.outcome,
        )
        assert {p.id for p in result.named_variants} == set(item.answer.variants)

    @pytest.mark.parametrize("item", CASES, ids=lambda c: c.id)
    def test_the_case_id_is_its_file_name(self, item: TeachingCase) -> None:
        assert (FOLDER / f"{item.id}.yaml").is_file()
        assert item.case.id == item.id

    @pytest.mark.parametrize("item", CASES, ids=lambda c: c.id)
    def test_the_case_report_is_the_first_reference(self, item: TeachingCase) -> None:
        assert item.case.source
        assert _norm(item.case.source).startswith(_norm(item.references[0].citation)[:60])

    @pytest.mark.parametrize("item", CASES, ids=lambda c: c.id)
    def test_the_tags_name_the_answer(self, item: TeachingCase) -> None:
        result = classified(item.case)
        if result.michels is not None:
            assert f"michels-{(result.michels_subtype or result.michels).lower()}" in item.tags
        assert set(item.answer.variants) <= set(item.tags)
        assert ("non-michels" in item.tags) == (item.answer.outcome == "unclassified")
        assert ("tace" in item.tags) == bool(item.case.tumors)
        assert ("followup" in item.tags) == (item.followup is not None)

    @pytest.mark.parametrize(
        "item", [c for c in CASES if c.followup is not None], ids=lambda c: c.id
    )
    def test_the_followup_is_assessed(self, item: TeachingCase) -> None:
        assert item.followup is not None
        response = assess(item.case.tumors, item.followup)
        assert response.assessments
        for point in response.assessments:
            assert point.recist.category in CATEGORIES
            assert point.mrecist.category in CATEGORIES

    @pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
    def test_no_dates_no_ages_over_89_no_fields_outside_the_format(self, path: Path) -> None:
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(raw) <= CASE_KEYS | {"teaching"}
        assert set(raw["teaching"]) <= TEACHING_KEYS
        for where, text in _strings(raw):
            if where.endswith((".doi", ".url")):
                continue
            assert not looks_like_date(IDENTIFIER.sub(" ", text)), where
            assert all(int(age) <= 89 for age in AGE.findall(text)), where


class TestTheSeed:
    def test_the_largest_lesion_fell_from_85_to_40_mm(self) -> None:
        item = teaching_case(SEED)
        assert item.followup is not None
        point = assess(item.case.tumors, item.followup).assessments[0]
        assert ("t1", 85.0, 40.0) in point.recist.lesions
        # The report gives no second size of the II/III lesion, the second target: RECIST
        # cannot call the time point until it is measured.
        assert ("t2", 47.0, None) in point.recist.lesions
        assert point.recist.category == "NE"

    def test_the_celiac_run_alone_leaves_the_seed_untyped(self) -> None:
        result = classified(teaching_case("khassaf-2025-celiac-run-only").case)
        assert result.outcome == "incomplete"
        assert {"V", "VI", "VII", "VIII"} <= set(result.unsupplied)


class TestCoverage:
    def test_at_least_30_cases(self) -> None:
        assert len(CASES) >= 30

    def test_every_michels_type_and_both_readings_of_viii(self) -> None:
        found = set()
        for item in CASES:
            result = classified(item.case)
            if result.michels is not None:
                found.add(result.michels_subtype or result.michels)
        assert found >= set(MICHELS_ORDER)

    def test_at_least_8_cases_outside_michels(self) -> None:
        assert sum(c.answer.outcome == "unclassified" for c in CASES) >= 8

    def test_required_topics_are_tagged(self) -> None:
        tags = {tag for item in CASES for tag in item.tags}
        assert tags >= REQUIRED_TAGS, sorted(REQUIRED_TAGS - tags)

    def test_tace_scenarios_with_tumors_and_a_followup(self) -> None:
        assert sum(bool(c.case.tumors) for c in CASES) >= 4
        # Only the seed report, of the TACE reports read so far, gives sizes before and
        # after treatment; raise this when a second one is added.
        assert sum(c.followup is not None for c in CASES) >= 1

    def test_partial_studies_start_below_the_aorta_without_an_sma(self) -> None:
        partial = [c for c in CASES if "partial-study" in c.tags]
        assert partial
        for item in partial:
            assert item.case.root.kind != "aorta"
            assert "superior_mesenteric" not in _tree_kinds(item)

    def test_dual_supply_cases_share_a_segment_between_two_arteries(self) -> None:
        dual = [c for c in CASES if "dual-supply" in c.tags]
        assert dual
        for item in dual:
            arteries = [
                f
                for f in classified(item.case).findings
                if f.code in HEPATIC_ARTERY_CODES and f.vessel is not None
            ]
            assert any(
                a.status == "accessory"
                and set(a.segments) & set(b.segments)
                and a.vessel != b.vessel
                for a in arteries
                for b in arteries
            ), item.id

    def test_at_least_15_publications_not_used_in_tests_literature(self) -> None:
        used = [
            _norm(yaml.safe_load(p.read_text(encoding="utf-8"))["source"])[:60]
            for p in LITERATURE.glob("*.yaml")
            if p.name != "expected.yaml"
        ]
        new = {
            _norm(c.references[0].citation)[:60]
            for c in CASES
            if not any(_norm(c.case.source or "").startswith(u) for u in used)
        }
        assert len(new) >= 15, sorted(new)


class TestLookup:
    def test_sorted_by_id_and_read_once(self) -> None:
        assert [c.id for c in CASES] == sorted(c.id for c in CASES)
        assert teaching_cases() is CASES

    def test_by_id(self) -> None:
        assert teaching_case(SEED).answer.michels == "III"
        assert teaching_case(SEED).title.startswith("Replaced RHA from the SMA")
        with pytest.raises(KeyError):
            teaching_case("no-such-case")


def _write(tmp_path: Path, document: dict[str, Any], name: str = "tmp-case") -> Path:
    document["id"] = document.get("id", name)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    return path


def _seed() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load((FOLDER / f"{SEED}.yaml").read_text(encoding="utf-8"))
    raw["id"] = "tmp-case"
    raw["teaching"]["followup"]["case"] = "tmp-case"
    return raw


class TestLoadTeachingCase:
    def test_a_valid_copy_loads(self, tmp_path: Path) -> None:
        item = load_teaching_case(_write(tmp_path, _seed()))
        assert item.id == "tmp-case"
        assert item.answer.outcome == "classified"

    def test_a_malformed_answer_is_refused_with_file_and_field(self, tmp_path: Path) -> None:
        raw = _seed()
        raw["teaching"]["answer"]["outcome"] = "solved"
        with pytest.raises(ReferenceDataError, match=r"tmp-case\.yaml(.|\n)*answer\.outcome"):
            load_teaching_case(_write(tmp_path, raw))

    def test_a_missing_field_is_refused_with_file_and_field(self, tmp_path: Path) -> None:
        raw = _seed()
        del raw["teaching"]["references"]
        with pytest.raises(ReferenceDataError, match=r"tmp-case\.yaml(.|\n)*references"):
            load_teaching_case(_write(tmp_path, raw))

    def test_the_type_and_the_outcome_must_agree(self, tmp_path: Path) -> None:
        raw = _seed()
        raw["teaching"]["answer"]["outcome"] = "unclassified"
        with pytest.raises(ReferenceDataError, match=r"(?s)tmp-case\.yaml.*answer.*michels"):
            load_teaching_case(_write(tmp_path, raw))

    def test_a_field_outside_the_teaching_block_format_is_refused(self, tmp_path: Path) -> None:
        raw = _seed()
        raw["teaching"]["author"] = "someone"
        with pytest.raises(ReferenceDataError, match=r"(?s)tmp-case\.yaml.*author"):
            load_teaching_case(_write(tmp_path, raw))

    def test_a_field_outside_the_case_format_is_refused(self, tmp_path: Path) -> None:
        raw = _seed()
        raw["patient"] = "someone"
        with pytest.raises(ReferenceDataError, match=r"(?s)tmp-case\.yaml.*patient"):
            load_teaching_case(_write(tmp_path, raw))

    def test_a_date_anywhere_is_refused_with_its_field(self, tmp_path: Path) -> None:
        raw = _seed()
        raw["teaching"]["explanation"] += " Seen again on 3 March."
        with pytest.raises(ReferenceDataError, match=r"tmp-case\.yaml: teaching\.explanation"):
            load_teaching_case(_write(tmp_path, raw))

    def test_an_unknown_variant_is_refused(self, tmp_path: Path) -> None:
        raw = _seed()
        raw["teaching"]["answer"]["variants"] = ["rha-from-nowhere"]
        with pytest.raises(ReferenceDataError, match=r"teaching\.answer\.variants\[0\]"):
            load_teaching_case(_write(tmp_path, raw))

    def test_the_id_must_be_the_file_name(self, tmp_path: Path) -> None:
        raw = _seed()
        path = _write(tmp_path, raw, name="other-name")
        with pytest.raises(ReferenceDataError, match=r"other-name\.yaml: id: 'tmp-case'"):
            load_teaching_case(path)

    def test_a_case_without_a_teaching_block_is_refused(self, tmp_path: Path) -> None:
        raw = _seed()
        del raw["teaching"]
        with pytest.raises(ReferenceDataError, match=r"tmp-case\.yaml: the `teaching` block"):
            load_teaching_case(_write(tmp_path, raw))

    def test_a_followup_must_measure_the_cases_tumors(self, tmp_path: Path) -> None:
        raw = _seed()
        raw["teaching"]["followup"]["assessments"][0]["lesions"][0]["id"] = "t9"
        with pytest.raises(ReferenceDataError, match=r"(?s)teaching\.followup.*lesions\[0\]\.id"):
            load_teaching_case(_write(tmp_path, raw))

    def test_a_key_written_twice_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "tmp-case.yaml"
        text = (FOLDER / f"{SEED}.yaml").read_text(encoding="utf-8")
        text = text.replace(f"id: {SEED}", "id: tmp-case").replace(
            f"case: {SEED}", "case: tmp-case"
        )
        path.write_text(text.replace("  difficulty:", "  tags: [a]\n  difficulty:", 1))
        with pytest.raises(ReferenceDataError, match=r"teaching: the key 'tags'"):
            load_teaching_case(path)
