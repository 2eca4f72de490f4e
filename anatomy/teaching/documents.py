"""The JSON documents of the teaching library and the quiz, one shape for the command's
``--json`` and the API's bodies.

A case's summary is what a list shows and filters on; its detail adds the question and
the case itself, and the answer only when asked for. A question's document never holds
its answer; a check's document does, with the explanation and the sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from anatomy.teaching.collection import Library
from anatomy.teaching.figures import case_document
from anatomy.teaching.library import TeachingCase
from anatomy.teaching.question import Question
from anatomy.teaching.quiz import Check, Score

__all__ = [
    "answer_label",
    "case_detail",
    "case_summary",
    "check_document",
    "matches",
    "question_document",
    "read_as",
    "score_document",
]


def answer_label(item: TeachingCase) -> str:
    """The answer in a word or two: "Michels III", "unclassified", "incomplete"."""
    return f"Michels {item.answer.michels}" if item.answer.michels else item.answer.outcome


def matches(item: TeachingCase, *, tag: str | None = None, type_: str | None = None) -> bool:
    """Whether a case has the tag and the answer type ("III", "VIIIa", "unclassified",
    "incomplete"; a subtype of VIII is read from the case's type tag)."""
    if tag is not None and tag not in item.tags:
        return False
    if type_ is None:
        return True
    if type_ in ("unclassified", "incomplete"):
        return item.answer.outcome == type_
    if type_.startswith("VIII") and type_ != "VIII":
        return f"michels-{type_.lower()}" in item.tags
    return item.answer.michels == type_


def case_summary(item: TeachingCase, library: Library | None = None) -> dict[str, Any]:
    """What a list shows of a case: enough to find it, nothing that answers its question
    beyond the type a class filters by."""
    return {
        "id": item.id,
        "title": item.title,
        "source": item.case.source,
        "modality": item.case.modality,
        "difficulty": item.difficulty,
        "tags": list(item.tags),
        "type": answer_label(item),
        "origin": "instructor"
        if library is not None and item.id in library.instructor
        else "built-in",
    }


def case_detail(
    item: TeachingCase, library: Library | None = None, *, with_answer: bool = False
) -> dict[str, Any]:
    """A case with its question; the answer, explanation and references when asked."""
    document = case_document(item.case)
    if not with_answer:
        document.pop("notes", None)  # the notes say what the paper found
    out: dict[str, Any] = {
        **case_summary(item, library),
        "question": item.question,
        "case": document,
        "followup": dict(item.followup_document) if item.followup_document else None,
        "answer": None,
    }
    if with_answer:
        out["answer"] = {
            "michels": item.answer.michels,
            "hiatt": item.answer.hiatt,
            "outcome": item.answer.outcome,
            "variants": list(item.answer.variants),
            "explanation": item.explanation,
            "references": [
                {"citation": r.citation, "doi": r.doi, "url": r.url} for r in item.references
            ],
        }
    return out


def question_document(question: Question, figure: str | None = None) -> dict[str, Any]:
    """A question without its answer; ``figure`` is where its figure is (a URL), if any."""
    return {
        "id": question.id,
        "kind": question.kind,
        "title": question.title,
        "prompt": question.prompt,
        "choices": [
            {"key": chr(ord("A") + i), "text": c.text} for i, c in enumerate(question.choices)
        ],
        "figure": figure,
        "about": question.about,
    }


def check_document(found: Check) -> dict[str, Any]:
    """An answer checked: right or not, the answer, the explanation and its sources."""
    return {
        "question": found.question.id,
        "read_as": read_as(found),
        "correct": found.correct,
        "answer": found.answer,
        "answer_key": None if found.answer_choice is None else chr(ord("A") + found.answer_choice),
        "explanation": found.explanation,
        "sources": list(found.sources),
    }


def read_as(found: Check) -> str | None:
    """How the answer was understood: the choice it names, or the value; None when it
    named nothing (or several things) the question knows."""
    if found.value is None:
        return None
    for choice in found.question.choices:
        if choice.value == found.value:
            return choice.text
    return found.value


def score_document(checks: Iterable[Check], total: Score) -> dict[str, Any]:
    return {
        "results": [check_document(c) for c in checks],
        "score": {"correct": total.correct, "total": total.total, "percent": total.percent},
    }
