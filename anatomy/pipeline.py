"""The spine in one call: Case → Tree → Anatomy → Classification | Plan.

Each stage has one entry point that takes the previous stage's typed result::

    anatomy = annotate(case.tree)          # territories, axis, arteries, origins, statuses
    result = classify(anatomy)             # Michels / Hiatt / unclassified, completeness
    planned = plan(anatomy, case.tumors)   # catheter positions, warnings, prompts

``answer`` runs them once for an adapter (the CLI, the API, a batch), so a request
annotates its tree once however many outputs it writes.

>>> from anatomy.case import parse_case
>>> done = answer(parse_case({"vessels": [{"id": "ao", "kind": "aorta"}]}))
>>> done.classification.outcome, done.plan is None
('incomplete', True)
"""

from __future__ import annotations

from dataclasses import dataclass

from anatomy.case import Case
from anatomy.classification.annotate import Anatomy, annotate
from anatomy.classification.classify import Classification, classify
from anatomy.planning.plan import Plan, plan
from anatomy.planning.positions import Access

__all__ = ["Answer", "answer"]


@dataclass(frozen=True, slots=True)
class Answer:
    """Every stage's result for one case."""

    case: Case
    anatomy: Anatomy
    classification: Classification
    plan: Plan | None


def answer(case: Case, *, with_plan: bool = False, access: Access = "femoral") -> Answer:
    """Annotate the case's tree once, classify it, and plan its tumors when asked."""
    anatomy = annotate(case.tree)
    planned = plan(anatomy, case.tumors, access) if with_plan else None
    return Answer(case, anatomy, classify(anatomy), planned)
