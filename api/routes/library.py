"""Built-in cases: the seed report and the teaching cases shipped in data/, to start from.

Every case file in ``data/cases/`` (and ``data/teaching_cases/`` when the release has it)
is listed with its id, title, source and tags (its collection, its Michels type, and a
teaching case's own tags), and served so the web page can open it in the editor: the case
(``hepatic-case/1``) and, when a teaching case has one, its follow-up. A teaching case's
``teaching`` block (question, answer, explanation: docs/data-schemas.md) is not part of
the case and is not served here. A file there that is not a valid case is a defect of the
release: the list answers 503 naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from anatomy.case import parse_case
from anatomy.errors import CaseError, ReferenceDataError
from anatomy.formats.document import read_document
from anatomy.output.documents import versions
from anatomy.pipeline import answer
from anatomy.reference.datafiles import data_dir
from api.problems import ApiProblem, responses
from api.schemas import BuiltinCasesOut, CaseDetailOut

router = APIRouter(prefix="/v1/cases", tags=["built-in cases"])

# Folder under data/ and the tag its cases carry, in the order the list shows them.
COLLECTIONS = (("cases", "seed report"), ("teaching_cases", "teaching case"))
_SUFFIXES = frozenset({".yaml", ".yml", ".json"})


@dataclass(frozen=True, slots=True)
class BuiltinCase:
    id: str
    title: str | None
    source: str | None
    tags: tuple[str, ...]
    document: dict[str, Any]
    followup: dict[str, Any] | None

    def head(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "source": self.source, "tags": list(self.tags)}


@cache
def builtin_cases() -> dict[str, BuiltinCase]:
    """Every built-in case by id, read and classified once."""
    found: dict[str, BuiltinCase] = {}
    root = data_dir()
    for folder, tag in COLLECTIONS:
        for path in sorted((root / folder).glob("*")) if (root / folder).is_dir() else ():
            if path.suffix.lower() not in _SUFFIXES:
                continue
            item = _read(path, tag)
            if item.id in found:
                raise ReferenceDataError(f"{path.name}: the case id {item.id} is used twice.")
            found[item.id] = item
    return found


def _read(path: Path, tag: str) -> BuiltinCase:
    try:
        raw = read_document(path.read_bytes())
        document, teaching = raw, None
        if isinstance(raw, dict) and "teaching" in raw:
            document = {k: v for k, v in raw.items() if k != "teaching"}
            teaching = raw["teaching"]
        case = parse_case(document, source=path.name)
    except (OSError, CaseError) as exc:
        raise ReferenceDataError(f"{path.name} is not a usable case file: {exc}") from None
    assert isinstance(document, dict)  # parse_case accepted it
    teaching = teaching if isinstance(teaching, dict) else {}
    result = answer(case).classification
    michels = f"Michels {result.michels_subtype or result.michels}" if result.michels else None
    tags = [tag, michels or result.outcome]
    if case.tumors:
        tags.append("tumors")
    tags += [str(t) for t in teaching.get("tags") or () if str(t) not in tags]
    followup = teaching.get("followup")
    return BuiltinCase(
        case.id or path.stem,
        case.title,
        case.source,
        tuple(tags),
        document,
        followup if isinstance(followup, dict) else None,
    )


async def find_case(case_id: str) -> BuiltinCase:
    found = builtin_cases().get(case_id)
    if found is None:
        raise ApiProblem(
            "case-not-found",
            "No built-in case has this id; GET /v1/cases lists them.",
        )
    return found


BuiltinCaseDep = Annotated[BuiltinCase, Depends(find_case)]


@router.get("", response_model=BuiltinCasesOut, responses=responses("not-ready"))
async def list_cases() -> dict[str, Any]:
    """The cases shipped with the package: the seed report, then the teaching cases."""
    return {**versions(), "cases": [c.head() for c in builtin_cases().values()]}


@router.get(
    "/{case_id}",
    response_model=CaseDetailOut,
    responses=responses("case-not-found", "not-ready"),
)
async def get_case(item: BuiltinCaseDep) -> dict[str, Any]:
    """One built-in case (hepatic-case/1), to open in an editor or send to /v1, with its
    follow-up (hepatic-followup/1) when a teaching case gives one."""
    return {**versions(), **item.head(), "case": item.document, "followup": item.followup}
