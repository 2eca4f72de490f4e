"""Every classify and plan answer matches its declared model.

The two routes write their JSON with pydantic's serializer and do not validate each
answer again at run time (api.schemas.json_body), so this checks, for every pattern
example and literature case with a tumor in every segment, that the answer validates
against ClassifyOut and PlanOut exactly as FastAPI's per-request check would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel
from starlette.testclient import TestClient

from anatomy.reference.patterns import patterns
from api.schemas import ClassifyOut, PlanOut

LITERATURE = Path(__file__).resolve().parent / "literature"
TUMORS = [
    {"id": f"t{s.lower()}", "segments": [s]}
    for s in ("I", "II", "III", "IVa", "IVb", "V", "VI", "VII", "VIII")
]


def cases() -> dict[str, dict[str, Any]]:
    out = {f"pattern-{p.id}": dict(p.example) for p in patterns() if p.example}
    for path in sorted(LITERATURE.glob("*.yaml")):
        if path.name != "expected.yaml":
            out[f"literature-{path.stem}"] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return out


CASES = cases()
JSON = {"content-type": "application/json"}


ENDPOINTS: dict[str, tuple[type[BaseModel], bool]] = {
    "/v1/classify": (ClassifyOut, False),
    "/v1/plan": (PlanOut, True),
}


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_answer_matches_its_model(client: TestClient, path: str, name: str) -> None:
    model, with_tumors = ENDPOINTS[path]
    case = {**CASES[name], "tumors": TUMORS} if with_tumors else CASES[name]
    answer = client.post(path, content=json.dumps(case), headers=JSON)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    model.model_validate_json(answer.content, strict=True)
    # Compact UTF-8, as FastAPI's own path writes it.
    assert (
        answer.content
        == json.dumps(answer.json(), ensure_ascii=False, separators=(",", ":")).encode()
    )
