"""An instructor's own cases (anatomy/teaching/collection.py): a folder whose valid files
join the library, and whose bad files are set aside with one line each (the file, the
field, the fix), never stopping the others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from anatomy.reference.datafiles import data_dir
from anatomy.teaching import build_library, teaching_cases

SEED = "khassaf-2025-rrha-sma-net-tace"


def seed_copy(new_id: str) -> dict[str, Any]:
    """The seed report's teaching case under another id (the instructor's own file)."""
    path = data_dir() / "teaching_cases" / f"{SEED}.yaml"
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["id"] = new_id
    raw["teaching"]["followup"]["case"] = new_id
    return raw


def write(folder: Path, name: str, document: dict[str, Any] | str) -> Path:
    path = folder / name
    text = document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


class TestBuildLibrary:
    def test_no_folder_is_the_built_in_library(self) -> None:
        library = build_library(None)
        assert library.cases == teaching_cases()
        assert (library.folder, library.rejected, library.instructor) == (None, (), frozenset())

    def test_a_valid_file_joins_the_library(self, tmp_path: Path) -> None:
        write(tmp_path, "my-case.yaml", seed_copy("my-case"))
        library = build_library(tmp_path)
        assert "my-case" in library and library.instructor == {"my-case"}
        assert library.case("my-case").answer.michels == "III"
        assert len(library.cases) == len(teaching_cases()) + 1
        assert library.rejected == ()

    def test_json_files_join_too(self, tmp_path: Path) -> None:
        import json

        (tmp_path / "as-json.json").write_text(json.dumps(seed_copy("as-json")))
        assert "as-json" in build_library(tmp_path)

    def test_a_missing_folder_is_reported_not_raised(self, tmp_path: Path) -> None:
        library = build_library(tmp_path / "nowhere")
        assert library.cases == teaching_cases()
        (rejected,) = library.rejected
        assert "does not exist" in rejected.problem and "Fix:" in rejected.problem


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        ("broken.yaml", "vessels: [\n", "broken.yaml"),  # not YAML at all
        (
            "no-block.yaml",
            {"id": "no-block", "vessels": [{"id": "ao", "kind": "aorta"}]},
            "teaching",
        ),
        ("wrong-answer.yaml", "wrong-answer", "teaching.answer"),
        ("bad-field.yaml", "bad-field", "teaching.difficulty"),
        (f"{SEED}.yaml", SEED, "already the id of another case"),
        ("status.yaml", "status", "reserved"),
        ("notes.txt", "some notes", "ends in .yaml"),
    ],
)
def test_a_bad_file_is_set_aside_with_one_line(
    tmp_path: Path, name: str, content: dict[str, Any] | str, field: str
) -> None:
    if isinstance(content, str) and name.endswith(".yaml") and "\n" not in content:
        document = seed_copy(content)
        if content == "wrong-answer":
            document["teaching"]["answer"].update(michels="II", hiatt=2)  # it is III
        if content == "bad-field":
            document["teaching"]["difficulty"] = "hard"
        content = document
    write(tmp_path, name, content)
    write(tmp_path, "good-one.yaml", seed_copy("good-one"))
    library = build_library(tmp_path)
    assert "good-one" in library  # the others still join
    (rejected,) = library.rejected
    assert rejected.file == name
    assert "\n" not in rejected.problem
    assert rejected.problem.startswith(name)
    assert field in rejected.problem
    assert "Fix:" in rejected.problem
    assert str(tmp_path) not in rejected.problem  # the file by its name in the folder
