"""The quiz: every question the library and the patterns make, seeded question sets, and
answers checked with the explanation and its source.

``build_pool(library)`` makes every question of every kind (kinds.py) once; a server or a
command keeps the pool. ``questions(pool, count, seed, kinds)`` draws a set: the same
seed, count and kinds give the same questions in the same order, the kinds taken in turn
and no case twice while others remain. ``check(pool, id, text)`` reads the answer
tolerantly and returns whether it is right, the right answer, the explanation and its
sources; ``score`` sums the checks. A question's id is all a check needs, so a server
answering questions stores nothing between requests.

>>> pool = builtin_pool()
>>> first = questions(pool, count=1, seed=7, kinds=["name_type"])[0]
>>> first.kind, len(first.choices)
('name_type', 4)
>>> check(pool, first.id, pool.solution(first.id).answer).correct
True
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from anatomy.reference.quiz_data import KIND_IDS, quiz_data
from anatomy.teaching.collection import Library, builtin_library
from anatomy.teaching.kinds import GENERATORS, subjects
from anatomy.teaching.question import Question, Solution

__all__ = [
    "KIND_IDS",
    "Check",
    "Pool",
    "Score",
    "build_pool",
    "builtin_pool",
    "check",
    "questions",
    "score",
]


@dataclass(frozen=True, slots=True)
class Check:
    """One answer checked: what was given, whether it is right, and why."""

    question: Question
    given: str
    value: str | None  # what the answer was read as (None: nothing, or several things)
    correct: bool
    answer: str
    answer_choice: int | None  # the right choice's index (None: the question has none)
    explanation: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Score:
    correct: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0

    def __str__(self) -> str:
        return f"{self.correct}/{self.total} ({self.percent} %)"


class Pool:
    """Every question of a library, by kind in the order made, with its solution."""

    def __init__(self, items: Mapping[str, Sequence[tuple[Question, Solution]]]) -> None:
        self.by_kind: Mapping[str, tuple[Question, ...]] = {
            name: tuple(q for q, _ in found) for name, found in items.items()
        }
        self._questions = {q.id: q for found in items.values() for q, _ in found}
        self._solutions = {q.id: s for found in items.values() for q, s in found}

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError when there is none."""
        return self._questions[question_id]

    def solution(self, question_id: str) -> Solution:
        """Its solution: for checking, and for tests. Never sent with the question."""
        return self._solutions[question_id]

    def __len__(self) -> int:
        return len(self._questions)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._questions


def build_pool(library: Library) -> Pool:
    """Every question the library and the pattern files make (a second or two)."""
    data = quiz_data()
    found = subjects(library.cases)
    return Pool(
        {
            name: tuple(GENERATORS[name](found, data.kinds[name], data.exercises))
            for name in KIND_IDS
        }
    )


@cache
def builtin_pool() -> Pool:
    """The pool of the built-in library."""
    return build_pool(builtin_library())


def questions(
    pool: Pool, count: int, seed: int, kinds: Iterable[str] | None = None
) -> tuple[Question, ...]:
    """``count`` questions (fewer if the pool has fewer), drawn reproducibly by ``seed``.

    Kinds take turns in an order the seed shuffles; within a kind, questions come in an
    order the seed shuffles, and a case or pattern already asked about is passed over while
    another remains. Raises ValueError for an unknown kind.
    """
    wanted = list(dict.fromkeys(kinds or KIND_IDS))
    unknown = [k for k in wanted if k not in KIND_IDS]
    if unknown:
        raise ValueError(
            f"unknown question kind {', '.join(unknown)}; the kinds are {', '.join(KIND_IDS)}"
        )
    rng = random.Random(seed)
    queues = {}
    for name in wanted:
        order = list(pool.by_kind.get(name, ()))
        rng.shuffle(order)
        queues[name] = order
    turns = [name for name in wanted if queues[name]]
    rng.shuffle(turns)
    chosen: list[Question] = []
    used: set[str] = set()
    while len(chosen) < count and turns:
        for name in list(turns):
            if len(chosen) >= count:
                break
            queue = queues[name]
            fresh = next((q for q in queue if pool.solution(q.id).subject not in used), None)
            picked = fresh or queue[0]
            queue.remove(picked)
            chosen.append(picked)
            used.add(pool.solution(picked.id).subject)
            if not queue:
                turns.remove(name)
    return tuple(chosen)


def check(pool: Pool, question_id: str, text: str) -> Check:
    """Check an answer to a question of the pool (KeyError for an unknown id)."""
    question = pool.question(question_id)
    solution = pool.solution(question_id)
    value = solution.value_of(question, text)
    return Check(
        question=question,
        given=text,
        value=value,
        correct=value is not None and value in solution.accepted,
        answer=solution.answer,
        answer_choice=next(
            (i for i, c in enumerate(question.choices) if c.value in solution.accepted), None
        ),
        explanation=solution.explanation,
        sources=solution.sources,
    )


def score(checks: Iterable[Check]) -> Score:
    done = list(checks)
    return Score(sum(c.correct for c in done), len(done))
