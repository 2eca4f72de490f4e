"""Batches: one record per case in input order, bad cases as records, resumable output,
the summary, the documented Dask example, and the `hepatic batch/generate` commands."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from click.testing import CliRunner

from anatomy.batch import Options, Summary, classify_line, classify_record, run_batch
from anatomy.case import parse_case
from anatomy.cli.main import main
from anatomy.errors import BatchError
from anatomy.output.documents import classification_dict, plan_dict
from anatomy.pipeline import answer
from anatomy.reference.patterns import patterns
from anatomy.teaching.generator import generate
from tests.test_case import SEED

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs" / "batch.md"
AORTA = {"id": "ao", "kind": "aorta"}
BAD_KIND = {"id": "bad-kind", "vessels": [AORTA, {"id": "x", "kind": "wonder", "parent": "ao"}]}


def seed_case() -> dict[str, Any]:
    return dict(yaml.safe_load(SEED.read_text()))


def write_lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def read_records(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def generated(path: Path, count: int, seed: int = 1) -> Path:
    return write_lines(
        path, [orjson.dumps(g.case) for g in generate("michels-1966", count, seed=seed)]
    )


class TestRecords:
    def test_a_case_gets_the_keys_tools_rely_on(self) -> None:
        record = classify_record(seed_case())
        assert record["status"] == "ok" and record["id"] == "khassaf-2025-net"
        got = record["classification"]
        assert (got["michels"], got["hiatt"], got["outcome"]) == ("III", 3, "classified")
        assert {"code": "replaced_right_hepatic", "vessel": "rrha"} in got["findings"]
        assert record["data_version"].startswith("sha256:")

    @pytest.mark.parametrize("item", patterns(), ids=lambda p: p.id)
    def test_the_record_is_the_full_document_cut_down(self, item: Any) -> None:
        # every key of the short record holds what the whole document holds there
        case = parse_case(dict(item.example))
        full = classification_dict(answer(case).classification)
        short = classify_record(dict(item.example))["classification"]
        for key, value in short.items():
            assert _subset(value, full[key]), key
        assert classify_record(dict(item.example), full=True)["classification"] == full

    def test_with_plan(self) -> None:
        record = classify_record(seed_case(), with_plan=True)
        case = parse_case(seed_case())
        whole = plan_dict(answer(case, with_plan=True).plan)  # type: ignore[arg-type]
        assert [t["id"] for t in record["plan"]["tumors"]] == ["t1", "t2"]
        for short, full in zip(record["plan"]["tumors"], whole["tumors"], strict=True):
            assert [t["vessel"] for t in short["targets"]] == [t["vessel"] for t in full["targets"]]
            assert all(t["path"][0] == "ao" for t in short["targets"])

    def test_a_bad_case_is_a_record_with_its_problems(self) -> None:
        record = classify_record(BAD_KIND)
        assert (record["status"], record["id"]) == ("error", "bad-kind")
        (problem,) = record["problems"]
        assert (problem["code"], problem["vessel"]) == ("unknown_kind", "x")
        assert problem["fix"]

    def test_not_json_and_not_a_mapping(self) -> None:
        assert classify_line(b'{"vessels": [')["problems"][0]["code"] == "unreadable"
        assert classify_line(b"[1, 2]")["problems"][0]["code"] == "wrong_type"
        assert (
            classify_line('{"id": "a", "id": "b", "vessels": [{"id": "ao"}]}')["problems"][0][
                "code"
            ]
            == "duplicate_key"
        )

    def test_pure_and_picklable(self) -> None:
        # an engine ships the function to its workers by pickling it
        for function in (classify_record, classify_line, Summary.of, Summary.merged):
            assert pickle.loads(pickle.dumps(function)) == function
        document = seed_case()
        first = classify_record(document)
        assert document == seed_case()  # the input is not changed
        assert classify_record(document) == first

    def test_a_defect_is_a_record_not_a_crash(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def broken(*args: Any, **kwargs: Any) -> Any:
            raise KeyError("boom")

        monkeypatch.setattr("anatomy.batch.records.answer", broken)
        record = classify_record(seed_case())
        assert record["status"] == "error"
        assert record["problems"][0]["code"] == "internal_error"
        assert "KeyError" in record["problems"][0]["message"]


def _subset(short: Any, full: Any) -> bool:
    if isinstance(short, dict):
        return isinstance(full, dict) and all(_subset(v, full.get(k)) for k, v in short.items())
    if isinstance(short, list):
        return (
            isinstance(full, list)
            and len(short) == len(full)
            and all(_subset(s, f) for s, f in zip(short, full, strict=True))
        )
    return bool(short == full)


class TestRunner:
    @pytest.mark.parametrize("workers", [1, 2])
    def test_records_in_input_order_bad_lines_included(self, tmp_path: Path, workers: int) -> None:
        lines = [orjson.dumps(g.case) for g in generate("michels-1966", 300, seed=4)]
        lines[7] = b"{not json"
        lines[150] = orjson.dumps(BAD_KIND)
        lines.insert(20, b"   ")  # blank: skipped, still counted as a line
        source = write_lines(tmp_path / "in.jsonl", lines)
        out = tmp_path / "out.jsonl"
        result = run_batch(source, out, workers=workers)
        records = read_records(out)
        assert [r["line"] for r in records] == [n for n in range(1, 302) if n != 21]
        assert records[7]["status"] == "error" and records[7]["problems"][0]["code"] == "unreadable"
        assert records[150]["id"] == "bad-kind"
        assert records[0]["id"] == "gen.michels-1966.4.0000001"
        assert result.written == 300 and result.summary.outcomes["error"] == 2
        assert result.summary.problems == {"unreadable": 1, "unknown_kind": 1}

    def test_the_same_records_on_any_number_of_workers(self, tmp_path: Path) -> None:
        source = generated(tmp_path / "in.jsonl", 200)
        one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
        run_batch(source, one, workers=1)
        run_batch(source, two, workers=2, options=Options())
        assert one.read_bytes() == two.read_bytes()

    def test_a_folder_of_case_files(self, tmp_path: Path) -> None:
        folder = tmp_path / "cases"
        (folder / "b").mkdir(parents=True)
        (folder / "a.yaml").write_text(SEED.read_text())
        (folder / "b" / "c.json").write_text(json.dumps(BAD_KIND))
        (folder / "notes.txt").write_text("not a case")
        (folder / "b" / "d.yml").write_text("vessels: [")
        out = tmp_path / "out.jsonl"
        run_batch(folder, out, workers=2)
        records = read_records(out)
        assert [r["file"] for r in records] == ["a.yaml", "b/c.json", "b/d.yml"]
        assert records[0]["classification"]["michels"] == "III"
        assert [r["status"] for r in records] == ["ok", "error", "error"]

    def test_a_stopped_run_resumes_to_the_same_output(self, tmp_path: Path) -> None:
        source = generated(tmp_path / "in.jsonl", 150)
        whole = tmp_path / "whole.jsonl"
        run_batch(source, whole, workers=2)
        cut = whole.read_bytes()[: len(whole.read_bytes()) // 2]
        part = tmp_path / "part.jsonl"
        part.write_bytes(cut)  # ends inside a record, as a killed run leaves it
        done = cut.count(b"\n")
        result = run_batch(source, part, workers=2)
        assert part.read_bytes() == whole.read_bytes()
        assert (result.resumed, result.written) == (done, 150 - done)
        assert result.summary.cases == 150
        again = run_batch(source, part, workers=2)
        assert (again.resumed, again.written) == (150, 0)

    def test_resuming_another_input_is_refused(self, tmp_path: Path) -> None:
        out = tmp_path / "out.jsonl"
        run_batch(generated(tmp_path / "a.jsonl", 20, seed=1), out, workers=1)
        with pytest.raises(BatchError, match="does not continue this input"):
            run_batch(generated(tmp_path / "b.jsonl", 20, seed=2), out, workers=1)
        with pytest.raises(BatchError, match="--plan"):
            run_batch(tmp_path / "a.jsonl", out, options=Options(with_plan=True), workers=1)
        restarted = run_batch(tmp_path / "b.jsonl", out, restart=True, workers=1)
        assert restarted.resumed == 0 and restarted.written == 20

    def test_records_of_another_version_are_refused(self, tmp_path: Path) -> None:
        source = generated(tmp_path / "in.jsonl", 5)
        out = tmp_path / "out.jsonl"
        run_batch(source, out, workers=1)
        text = re.sub(rb'"data_version":"[^"]*"', b'"data_version":"sha256:0"', out.read_bytes())
        out.write_bytes(text)
        with pytest.raises(BatchError, match="data_version"):
            run_batch(source, out, workers=1)

    def test_an_unreadable_input_is_a_clear_error(self, tmp_path: Path) -> None:
        with pytest.raises(BatchError, match="cannot read the input"):
            run_batch(tmp_path / "missing.jsonl", tmp_path / "out.jsonl")


class TestSummary:
    def test_counts_merge_and_round_trip(self, tmp_path: Path) -> None:
        source = generated(tmp_path / "in.jsonl", 100)
        records = [classify_line(line) for line in source.read_bytes().splitlines()]
        whole = Summary.of(records)
        halves = Summary.merged([Summary.of(records[:40]), Summary.of(records[40:])])
        assert halves.as_dict() == whole.as_dict()
        assert Summary.from_dict(whole.as_dict()).as_dict() == whole.as_dict()
        assert whole.cases == 100
        assert sum(whole.michels.values()) == whole.outcomes["classified"]

    def test_text_names_types_and_problems(self) -> None:
        total = Summary.of([classify_record(seed_case()), classify_record(BAD_KIND)])
        text = total.text()
        assert "2 cases: 1 classified, 1 error" in text
        assert re.search(r"III\s+1\s+100\.0 %", text)
        assert "unknown_kind 1" in text


class TestCommands:
    def test_generate_batch_expect(self, tmp_path: Path) -> None:
        runner = CliRunner()
        cases = tmp_path / "cases.jsonl"
        made = runner.invoke(main, ["generate", "-n", "120", "--seed", "3", "-o", str(cases)])
        assert made.exit_code == 0, made.output
        answers = tmp_path / "cases.answers.jsonl"
        assert len(answers.read_bytes().splitlines()) == 120
        out, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
        args = ["batch", str(cases), "-o", str(out), "--summary", str(summary)]
        done = runner.invoke(main, [*args, "--expect", str(answers)])
        assert done.exit_code == 0, done.stderr
        assert "Expected answers: 120 agree, 0 differ." in done.stderr
        assert "120 cases:" in done.stderr
        document = json.loads(summary.read_text())
        assert document["format"] == "hepatic-batch-summary/1" and document["cases"] == 120
        assert document["run"]["written"] == 120 and document["run"]["resumed"] == 0
        # a wrong expected answer is a disagreement and exit status 1
        expected = [json.loads(x) for x in answers.read_text().splitlines()]
        expected[5]["michels"] = "XI"
        answers.write_text("".join(json.dumps(e) + "\n" for e in expected))
        wrong = runner.invoke(main, [*args, "--expect", str(answers)])
        assert wrong.exit_code == 1
        assert "1 differ" in wrong.stderr and expected[5]["id"] in wrong.stderr
        assert "0 records written to" in wrong.stderr and "after 120 already there" in wrong.stderr

    def test_standard_input_and_output(self) -> None:
        lines = json.dumps(seed_case()) + "\n" + json.dumps(BAD_KIND) + "\n"
        done = CliRunner().invoke(main, ["batch", "-", "-o", "-"], input=lines)
        assert done.exit_code == 0
        records = [json.loads(x) for x in done.stdout.splitlines()]
        assert [(r["line"], r["status"]) for r in records] == [(1, "ok"), (2, "error")]

    def test_generate_a_folder_of_yaml_files(self, tmp_path: Path) -> None:
        folder = tmp_path / "cases"
        done = CliRunner().invoke(main, ["generate", "-n", "5", "--tumors", "-o", str(folder)])
        assert done.exit_code == 0
        files = sorted(folder.glob("*.yaml"))
        assert len(files) == 5 and (folder / "answers.jsonl").is_file()
        planned = CliRunner().invoke(main, ["batch", str(folder), "-o", "-", "--plan"])
        records = [json.loads(x) for x in planned.stdout.splitlines()]
        assert all(r["plan"]["tumors"] for r in records)

    def test_errors_are_clean(self, tmp_path: Path) -> None:
        runner = CliRunner()
        done = runner.invoke(main, ["generate", "--table", "nope", "-o", str(tmp_path / "x.jsonl")])
        assert done.exit_code == 2 and "michels-1966" in done.stderr
        done = runner.invoke(main, ["generate", "-o", str(tmp_path / "x.json")])
        assert done.exit_code == 2 and ".jsonl file, or to a folder" in done.stderr
        done = runner.invoke(main, ["batch", str(tmp_path / "none.jsonl"), "-o", "-"])
        assert done.exit_code == 2 and "cannot read the input" in done.stderr
        assert "Traceback" not in done.output


class TestDask:
    def test_the_documented_example_runs(self, tmp_path: Path) -> None:
        example = re.findall(r"```python\n(.*?)```", DOCS.read_text(), re.S)[0]
        assert "dask.bag" in example and "classify_line" in example
        (tmp_path / "example.py").write_text(example)
        made = list(generate("michels-1966", 300, seed=8))
        write_lines(tmp_path / "cases.jsonl", [orjson.dumps(g.case) for g in made])
        subprocess.run(
            [sys.executable, "example.py"], cwd=tmp_path, check=True, capture_output=True
        )
        records = [r for p in sorted(tmp_path.glob("records-*.jsonl")) for r in read_records(p)]
        assert [r["id"] for r in records] == [g.case["id"] for g in made]
        batch = tmp_path / "batch.jsonl"
        run_batch(tmp_path / "cases.jsonl", batch, workers=1)
        assert [{k: v for k, v in r.items() if k != "line"} for r in read_records(batch)] == records
        summary = Summary.from_dict(json.loads((tmp_path / "summary.json").read_text()))
        assert summary.as_dict() == Summary.of(records).as_dict()
