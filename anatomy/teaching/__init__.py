"""Teaching: the library of cases written from the literature, for class and quiz.

``library`` is the one door to ``data/teaching_cases/``: each file is a case
(``hepatic-case/1``) with a ``teaching`` block (question, the answer the classifier must
give, explanation, references, difficulty, tags, an optional follow-up). The quiz, the
``hepatic cases`` command and the API's teaching pages read the cases through it.

>>> from anatomy.teaching import teaching_case
>>> teaching_case("khassaf-2025-rrha-sma-net-tace").answer.michels
'III'
"""

from __future__ import annotations

from anatomy.teaching.library import (
    Answer,
    Reference,
    TeachingCase,
    load_teaching_case,
    teaching_case,
    teaching_cases,
)

__all__ = [
    "Answer",
    "Reference",
    "TeachingCase",
    "load_teaching_case",
    "teaching_case",
    "teaching_cases",
]
