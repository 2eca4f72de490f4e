"""No input escapes as anything but the project's own errors (issue 16): the reader
(YAML and JSON text), validation, the classifier, the planner and the DOT writer, on
valid and broken case files from tests/strategies.py; and valid trees always classify."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anatomy.case import Case, parse_case, parse_case_text
from anatomy.errors import CaseError, HepaticError
from anatomy.output.diagram import case_diagram
from anatomy.pipeline import answer
from tests.strategies import (
    accesses,
    as_text,
    broken_documents,
    case_documents,
    garbage_texts,
    repeated_key_texts,
)

syntaxes = st.sampled_from(["json", "yaml"])


def case_or_problems(read: Callable[[], Case]) -> Case | None:
    """The case read, or None when it is refused: then with problems that say what is
    wrong and what would fix it."""
    try:
        return read()
    except CaseError as exc:
        problems = exc.problems
    assert problems
    assert all(p.message and p.fix for p in problems)
    return None


def every_stage(case: Case, access: str = "femoral") -> None:
    """Classify, plan and draw: each may refuse only with a HepaticError."""
    done = answer(case, with_plan=True, access=access)
    assert done.classification.outcome
    case_diagram(case, done.classification, plan=done.plan)


class TestValidCases:
    @settings(max_examples=100, deadline=None)
    @given(document=case_documents(), syntax=syntaxes, access=accesses)
    def test_always_read_classified_planned_and_drawn(
        self, document: dict[str, Any], syntax: str, access: str
    ) -> None:
        case = parse_case_text(as_text(document, syntax))
        assert len(case.vessels) == len(document["vessels"])
        every_stage(case, access)


class TestBrokenCases:
    @settings(max_examples=150, deadline=None)
    @given(document=broken_documents())
    def test_a_document_is_a_case_or_a_case_error(self, document: Any) -> None:
        case = case_or_problems(lambda: parse_case(document))
        if case is not None:
            with contextlib.suppress(HepaticError):
                every_stage(case)

    @settings(max_examples=100, deadline=None)
    @given(document=broken_documents(), syntax=syntaxes)
    def test_as_text_too(self, document: Any, syntax: str) -> None:
        try:
            text = as_text(document, syntax)
        except (ValueError, OverflowError):  # not JSON (a float too large): nothing to send
            return
        with contextlib.suppress(HepaticError):
            every_stage(parse_case_text(text))

    @settings(max_examples=80, deadline=None)
    @given(text=garbage_texts)
    def test_garbage_text(self, text: str | bytes) -> None:
        with contextlib.suppress(HepaticError):
            every_stage(parse_case_text(text))

    @settings(max_examples=40, deadline=None)
    @given(text=repeated_key_texts())
    def test_a_repeated_key_is_a_problem(self, text: str) -> None:
        with pytest.raises(CaseError) as caught:
            parse_case_text(text)
        assert "duplicate_key" in {p.code for p in caught.value.problems}
