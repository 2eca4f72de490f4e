"""`hepatic cases` and `hepatic quiz`, and teaching case files read by the other commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from anatomy.cli.main import main
from anatomy.reference.datafiles import data_dir
from anatomy.teaching import builtin_pool, questions
from tests.test_teaching_collection import seed_copy, write

SEED_FILE = data_dir() / "teaching_cases" / "khassaf-2025-rrha-sma-net-tace.yaml"


def invoke(*args: str, input_text: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input_text, env={"HEPATIC_CASES_DIR": ""})
    return result.exit_code, result.stdout, result.stderr


class TestCasesList:
    def test_lists_at_least_thirty_literature_cases(self) -> None:
        code, out, _ = invoke("cases", "list")
        assert code == 0
        rows = out.splitlines()[:-1]
        assert len(rows) >= 30
        assert re.search(r"^khassaf-2025-rrha-sma-net-tace\s+Michels III\s+introductory", out, re.M)
        assert out.splitlines()[-1].startswith(f"{len(rows)} of {len(rows)} cases")

    @pytest.mark.parametrize("written", ["III", "type 3", "Michels III", "3"])
    def test_filters_by_type_read_tolerantly(self, written: str) -> None:
        code, out, _ = invoke("cases", "list", "--type", written, "--json")
        assert code == 0
        found = json.loads(out)
        assert found and {c["type"] for c in found} == {"Michels III"}

    def test_filters_by_tag_and_subtype(self) -> None:
        code, out, _ = invoke("cases", "list", "--tag", "partial-study", "--json")
        assert code == 0 and all("partial-study" in c["tags"] for c in json.loads(out))
        code, out, _ = invoke("cases", "list", "--type", "VIIIb", "--json")
        assert [c["id"] for c in json.loads(out)] == ["ajr-2005-schematic-michels-viiib"]

    def test_an_unknown_type_is_a_usage_error(self) -> None:
        code, _, err = invoke("cases", "list", "--type", "XI")
        assert code == 2 and "is not a Michels type" in err

    def test_an_instructors_folder_joins_and_its_bad_files_are_named(self, tmp_path: Path) -> None:
        write(tmp_path, "my-case.yaml", seed_copy("my-case"))
        write(tmp_path, "broken.yaml", "vessels: [\n")
        result = CliRunner().invoke(
            main, ["cases", "list", "--tag", "tace"], env={"HEPATIC_CASES_DIR": str(tmp_path)}
        )
        assert result.exit_code == 0
        assert re.search(r"^my-case .* \*$", result.stdout, re.M)
        assert "not in the library: broken.yaml: (file): not valid YAML" in result.stderr


class TestCasesShow:
    def test_shows_the_question_and_the_tree_without_names(self) -> None:
        code, out, _ = invoke("cases", "show", "srinivasarao-2013-accessory-rha-sma")
        assert code == 0
        assert "Question: Both a PHA-borne RHA and an artery from the SMA" in out
        assert "└─ SMA\n   └─ f → V–VIII" in out  # the accessory RHA, by letter
        assert "accessory RHA" not in out and "Answer:" not in out

    def test_answer_adds_the_answer_notes_and_references(self) -> None:
        code, out, _ = invoke("cases", "show", "srinivasarao-2013-accessory-rha-sma", "--answer")
        assert code == 0
        assert "Answer: Michels VI (Hiatt 3)" in out
        assert "accessory RHA → V–VIII" in out
        assert "References:\n- Srinivasarao Y" in out

    def test_json_holds_the_answer_only_when_asked(self) -> None:
        _, out, _ = invoke("cases", "show", "khassaf-2025-rrha-sma-net-tace", "--json")
        assert json.loads(out)["answer"] is None
        _, out, _ = invoke("cases", "show", "khassaf-2025-rrha-sma-net-tace", "--json", "--answer")
        assert json.loads(out)["answer"]["michels"] == "III"

    def test_an_unknown_case(self) -> None:
        code, _, err = invoke("cases", "show", "no-such-case")
        assert code == 2 and "No teaching case 'no-such-case'" in err


class TestQuiz:
    def test_answers_from_a_file_are_checked_and_scored(self, tmp_path: Path) -> None:
        pool = builtin_pool()
        asked = questions(pool, count=3, seed=9)
        right = pool.solution(asked[0].id).answer
        answers = tmp_path / "answers.txt"
        answers.write_text(f"{right}\nnothing at all\n")  # the third is not answered
        code, out, _ = invoke("quiz", "--count", "3", "--seed", "9", "--answers", str(answers))
        assert code == 0
        assert out.startswith("3 questions, seed 9 (repeat with --seed 9).")
        assert out.count("Question ") == 3
        assert f"Right: {right}." in out
        assert out.count("Source: ") == 3
        assert out.rstrip().endswith("Score: 1/3")

    def test_interactive_answers_come_from_prompts(self) -> None:
        pool = builtin_pool()
        (first,) = questions(pool, count=1, seed=4, kinds=["response"])
        code, out, _ = invoke(
            "quiz", "--count", "1", "--seed", "4", "--kinds", "response", input_text="Z\n"
        )
        assert code == 0
        assert "Your answer > Z" in out
        assert f"The answer: {pool.solution(first.id).answer}" in out
        assert "Score: 0/1" in out

    def test_a_figure_is_printed_as_text(self, tmp_path: Path) -> None:
        answers = tmp_path / "answers.txt"
        answers.write_text("A\n")
        _, out, _ = invoke(
            "quiz", "--count", "1", "--seed", "2", "--kinds", "name_type", "--answers", str(answers)
        )
        assert "├─ " in out and "Which Michels type is it?" in out

    def test_an_unknown_kind_is_a_usage_error(self) -> None:
        code, _, err = invoke("quiz", "--kinds", "name_type,trivia")
        assert code == 2 and "unknown kind trivia" in err


class TestTeachingCaseFiles:
    def test_classify_reads_a_teaching_case(self) -> None:
        code, out, _ = invoke("classify", str(SEED_FILE))
        assert code == 0 and "Michels III" in out

    def test_validate_checks_the_teaching_block(self, tmp_path: Path) -> None:
        code, out, _ = invoke("validate", str(SEED_FILE))
        assert code == 0 and out.rstrip().endswith("teaching block valid")
        document = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
        document["teaching"]["tags"] = []
        bad = tmp_path / "khassaf-2025-rrha-sma-net-tace.yaml"
        bad.write_text(yaml.safe_dump(document))
        code, _, err = invoke("validate", str(bad))
        assert code == 2 and "teaching.tags" in err

    def test_other_unknown_keys_are_still_refused(self, tmp_path: Path) -> None:
        document = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
        document["teachng"] = document.pop("teaching")
        bad = tmp_path / "typo.yaml"
        bad.write_text(yaml.safe_dump(document))
        code, _, err = invoke("classify", str(bad))
        assert code == 2 and "unknown key 'teachng'" in err
