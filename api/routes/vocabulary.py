"""The vocabulary: the vessel kinds a case may name, for pickers and validators."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter

from anatomy.output.documents import versions
from anatomy.reference.collaterals import collateral_priors
from anatomy.reference.vocabulary import all_kinds
from anatomy.segments import segment_names
from api.problems import responses
from api.schemas import VocabularyOut

router = APIRouter(prefix="/v1", tags=["vocabulary"])


@router.get("/vocabulary", response_model=VocabularyOut, responses=responses("not-ready"))
async def vocabulary() -> dict[str, Any]:
    """Every vessel kind with its label, abbreviations, synonyms, group and side (what
    `kind` may say in a case), and the tumor locations the planner reads from a label."""
    return {**versions(), **_vocabulary()}


@cache
def _vocabulary() -> dict[str, Any]:
    kinds = [
        {
            "name": k.name,
            "label": k.label,
            "abbreviations": list(k.abbreviations),
            "synonyms": list(k.synonyms),
            "group": k.group,
            "side": k.side,
            "territory": segment_names(k.territory),
            "status_words": k.status_words,
            "organ_at_risk": k.organ_at_risk,
        }
        for k in all_kinds()
    ]
    locations = [
        {"name": name, "words": list(words)} for name, words in collateral_priors().location_words
    ]
    return {"kinds": kinds, "tumor_locations": locations}
