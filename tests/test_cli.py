"""The `hepatic` command line: output people read, JSON machines read, clean errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from anatomy.cli.main import main
from anatomy.formats.document import MAX_DEPTH, MAX_FILE_BYTES, NEEDED_DEPTH
from tests.test_case import SEED


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


class TestClassify:
    def test_json_has_the_keys_others_rely_on(self) -> None:
        code, out, _ = invoke("classify", "--json", str(SEED))
        assert code == 0
        document = json.loads(out)
        classification = document["classification"]
        assert classification["michels"] == "III"
        assert classification["hiatt"] == 3
        rrha = [f for f in classification["findings"] if f["vessel"] == "rrha"]
        assert rrha[0]["code"] == "replaced_right_hepatic"
        assert rrha[0]["origin"] == "superior_mesenteric"
        assert document["tool_version"] and document["data_version"].startswith("sha256:")

    def test_text_is_short_and_says_the_type(self) -> None:
        code, out, _ = invoke("classify", str(SEED))
        assert code == 0
        assert "Michels III" in out and "Hiatt: 3" in out
        assert "Replaced right hepatic artery rrha from SMA" in out
        assert len(out.splitlines()) < 25

    def test_bad_file_lists_all_problems_and_exits_2(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            "vessels:\n  - {id: ao, kind: aorta}\n  - {id: x, kind: RHAA, parent: ao}\n"
            "  - {id: y, parent: zz}\n"
        )
        code, out, err = invoke("classify", str(bad))
        assert code == 2
        assert "2 problems" in err
        assert "vessel 'x'" in err and "vessel 'y'" in err
        assert "Traceback" not in err + out

    def test_missing_file(self, tmp_path: Path) -> None:
        code, _, err = invoke("classify", str(tmp_path / "none.yaml"))
        assert code == 2
        assert "cannot read the file" in err


class TestValidate:
    @pytest.mark.parametrize("suffix", [".yaml", ".json"])
    def test_deep_nesting_names_the_cause(self, tmp_path: Path, suffix: str) -> None:
        deep = tmp_path / f"deep{suffix}"
        deep.write_text("[" * 100_000 + "]" * 100_000)
        code, out, err = invoke("validate", str(deep))
        assert code == 2
        assert f"nested deeper than {MAX_DEPTH} levels" in err and f"needs {NEEDED_DEPTH}" in err
        assert "Traceback" not in err + out

    def test_repeated_key_is_a_problem(self, tmp_path: Path) -> None:
        twice = tmp_path / "twice.yaml"
        twice.write_text("vessels:\n  - {id: ao, kind: aorta, kind: celiac}\n")
        code, _, err = invoke("validate", str(twice))
        assert code == 2
        assert "vessels[0].kind" in err and "more than once" in err

    def test_valid(self) -> None:
        code, out, _ = invoke("validate", str(SEED))
        assert code == 0
        assert "valid (10 vessels, 2 tumors)" in out

    def test_invalid(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.json"
        bad.write_text('{"vessels": [{"id": "ao"}, {"id": "ao"}]}')
        code, _, err = invoke("validate", str(bad))
        assert code == 2
        assert "duplicate" in err


class TestVariants:
    def test_list(self) -> None:
        code, out, _ = invoke("variants")
        assert code == 0
        assert "michels-iii" in out and "rha-from-gda" in out

    def test_one(self) -> None:
        code, out, _ = invoke("variants", "III")
        assert code == 0
        assert "Prevalence" in out and "Michels" in out

    def test_unknown(self) -> None:
        code, _, err = invoke("variants", "XI")
        assert code == 2
        assert "Known:" in err


class TestVocabulary:
    def test_lookup(self) -> None:
        code, out, _ = invoke("vocabulary", "rRHA")
        assert code == 0
        assert "right_hepatic" in out and "replaced" in out

    def test_unknown(self) -> None:
        code, _, err = invoke("vocabulary", "rigth hepatc")
        assert code == 2
        assert "Closest" in err

    def test_shows_how_a_term_is_read(self) -> None:
        code, out, _ = invoke("vocabulary", "right accessory hepatic artery")
        assert code == 0
        assert "kind:   right_hepatic" in out
        assert "side:   right" in out
        assert "status: accessory" in out

    def test_a_paired_artery_keeps_its_side(self) -> None:
        code, out, _ = invoke("vocabulary", "right renal capsular artery")
        assert code == 0
        assert "kind:   renal_capsular" in out and "side:   right" in out

    def test_a_generic_name_lists_the_choices(self) -> None:
        code, _, err = invoke("vocabulary", "pancreaticoduodenal artery")
        assert code == 2
        assert "superior_pancreaticoduodenal" in err and "inferior_pancreaticoduodenal" in err


class TestNeverATraceback:
    """Issue 16: an output path that cannot be written and an input too large to read are
    one clear line each and exit status 2."""

    @pytest.mark.parametrize("command", ["render", "report"])
    def test_output_in_a_missing_folder(self, tmp_path: Path, command: str) -> None:
        target = tmp_path / "missing" / ("out.dot" if command == "render" else "out.html")
        result = CliRunner().invoke(main, [command, str(SEED), "-o", str(target)])
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
        (line,) = result.stderr.strip().splitlines()
        assert str(target) in line and "does not exist" in line and "Fix" in line

    def test_output_under_a_regular_file(self, tmp_path: Path) -> None:
        (tmp_path / "file").write_text("")
        target = tmp_path / "file" / "out.dot"
        code, _, err = invoke("render", str(SEED), "-o", str(target))
        assert code == 2
        assert str(target) in err and "not a folder" in err and "Traceback" not in err

    def test_summary_that_cannot_be_written_stops_before_the_batch(self, tmp_path: Path) -> None:
        records = tmp_path / "records.jsonl"
        code, _, err = invoke(
            "batch", str(SEED), "-o", str(records), "--summary", str(tmp_path / "no" / "s.json")
        )
        assert code == 2 and "does not exist" in err and not records.exists()

    def test_output_in_a_folder_without_permission(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        folder = tmp_path / "locked"
        folder.mkdir(mode=0o555)
        if os.geteuid() == 0:  # root may write anywhere (CI runs as root): the OS says no
            real_access = os.access
            monkeypatch.setattr(
                os, "access", lambda p, mode: False if Path(p) == folder else real_access(p, mode)
            )
        code, _, err = invoke("render", str(SEED), "-o", str(folder / "out.dot"))
        assert code == 2 and "permission" in err and str(folder) in err

    def test_an_endless_input_is_refused(self) -> None:
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero here")
        code, _, err = invoke("validate", "/dev/zero")
        assert code == 2 and "larger than" in err and "MiB" in err

    def test_a_too_large_file_is_refused_unread(self, tmp_path: Path) -> None:
        huge = tmp_path / "huge.yaml"
        with huge.open("wb") as handle:  # sparse: no disk space used
            handle.truncate(MAX_FILE_BYTES + 1)
        code, _, err = invoke("classify", str(huge))
        assert code == 2 and "larger than" in err and str(huge) in err
