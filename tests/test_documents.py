"""One document per answer: the CLI's ``--json`` and the API send the same document.

For every example (the seed, the pattern examples, the teaching cases; tumors in every
segment for those without), ``hepatic plan --json`` equals ``POST /v1/plan``'s body and
``hepatic classify --json`` equals ``POST /v1/classify``'s, key for key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from starlette.testclient import TestClient

from anatomy.cli.main import main
from anatomy.reference.datafiles import data_dir
from anatomy.reference.patterns import patterns
from anatomy.teaching.library import teaching_cases
from tests.test_case import SEED

EVERY_SEGMENT = [{"id": f"t{n}", "segments": [s]} for n, s in enumerate(["I", "II", "IVa", "VI"])]


def examples() -> Iterator[Any]:
    yield pytest.param(yaml.safe_load(SEED.read_text()), id="seed")
    for item in patterns():
        yield pytest.param({**item.example, "tumors": EVERY_SEGMENT}, id=item.id)
    folder = data_dir() / "teaching_cases"
    for teaching in teaching_cases():
        document = yaml.safe_load((folder / f"{teaching.id}.yaml").read_text())
        document.pop("teaching", None)
        yield pytest.param(document, id=teaching.id)


def cli_json(tmp_path: Path, command: str, document: dict[str, Any]) -> Any:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document))
    result = CliRunner().invoke(main, [command, "--json", str(path)])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("document", list(examples()))
@pytest.mark.parametrize("command", ["plan", "classify"])
def test_cli_and_api_send_the_same_document(
    client: TestClient, tmp_path: Path, command: str, document: dict[str, Any]
) -> None:
    answer = client.post(f"/v1/{command}", json=document)
    assert answer.status_code == 200, answer.text
    assert cli_json(tmp_path, command, document) == answer.json()
