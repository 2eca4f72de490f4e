"""Teaching: the library of cases written from the literature, for class and quiz.

``library`` is the one door to ``data/teaching_cases/``: each file is a case
(``hepatic-case/1``) with a ``teaching`` block (question, the answer the classifier must
give, explanation, references, difficulty, tags, an optional follow-up). ``collection``
adds an instructor's folder of such files (``build_library``); ``quiz`` makes questions
of five kinds from the library and the pattern files and checks answers; ``figures``
draws a case with or without its answer; ``documents`` gives them all as JSON. The
``hepatic cases`` and ``hepatic quiz`` commands and the API's teaching routes read them.

>>> from anatomy.teaching import teaching_case
>>> teaching_case("khassaf-2025-rrha-sma-net-tace").answer.michels
'III'
"""

from __future__ import annotations

from anatomy.teaching.collection import Library, Rejected, build_library, builtin_library
from anatomy.teaching.library import (
    Answer,
    Reference,
    TeachingCase,
    load_teaching_case,
    teaching_case,
    teaching_cases,
)
from anatomy.teaching.question import Choice, Question, Solution
from anatomy.teaching.quiz import (
    KIND_IDS,
    Check,
    Pool,
    Score,
    build_pool,
    builtin_pool,
    check,
    questions,
    score,
)

__all__ = [
    "KIND_IDS",
    "Answer",
    "Check",
    "Choice",
    "Library",
    "Pool",
    "Question",
    "Reference",
    "Rejected",
    "Score",
    "Solution",
    "TeachingCase",
    "build_library",
    "build_pool",
    "builtin_library",
    "builtin_pool",
    "check",
    "load_teaching_case",
    "questions",
    "score",
    "teaching_case",
    "teaching_cases",
]
