"""The quiz's reference data: the only door to data/quiz.yaml.

Per question kind: its title, how many choices it offers, its sources and parameters (the
segments a catheter question puts a tumor in, the runs a not-excluded question takes
away); the words an answer may use; the response exercises (a baseline and a follow-up
whose category the response criteria compute). Validated with pydantic when first read;
a malformed file is a ReferenceDataError naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import load_yaml, validated
from anatomy.reference.vocabulary import all_kinds
from anatomy.segments import parse_segment

__all__ = ["KIND_IDS", "Exercise", "KindData", "QuizData", "quiz_data"]

KIND_IDS = ("name_type", "replaced_or_accessory", "catheter", "not_excluded", "response")
_FILE = "quiz.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _KindIn(_Strict):
    title: str = Field(min_length=1, max_length=60)
    choices: int = Field(ge=2, le=5)
    sources: list[str] = []
    segments: list[str] = []
    runs: list[str] = []


class _KindsIn(_Strict):
    name_type: _KindIn
    replaced_or_accessory: _KindIn
    catheter: _KindIn
    not_excluded: _KindIn
    response: _KindIn


class _AnswersIn(_Strict):
    unclassified: list[str] = Field(min_length=1)
    words: dict[str, list[str]]


class _ExerciseIn(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    lesson: str = Field(min_length=1, max_length=600)
    criteria: list[Literal["recist", "mrecist"]] = Field(min_length=1)
    baseline: list[dict[str, Any]] = Field(min_length=1)
    followup: dict[str, Any]


class _QuizIn(_Strict):
    format: Literal["hepatic-quiz/1"]
    kinds: _KindsIn
    answers: _AnswersIn
    response_exercises: list[_ExerciseIn] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class KindData:
    """One question kind as the data gives it."""

    id: str
    title: str
    choices: int
    sources: tuple[str, ...]
    segments: tuple[str, ...]  # catheter: segments a tumor is put in
    runs: tuple[str, ...]  # not_excluded: trunk kinds a complete study loses


@dataclass(frozen=True, slots=True)
class Exercise:
    """A response exercise: baseline tumors and a follow-up, as documents; parsed and
    checked by the quiz with the case and follow-up readers."""

    id: str
    lesson: str
    criteria: tuple[str, ...]
    baseline: tuple[Mapping[str, Any], ...]
    followup: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class QuizData:
    kinds: Mapping[str, KindData]
    unclassified: tuple[str, ...]
    words: Mapping[str, tuple[str, ...]]  # answer value -> the phrases that mean it
    exercises: tuple[Exercise, ...]


@cache
def quiz_data() -> QuizData:
    """data/quiz.yaml, read and checked once."""
    raw: _QuizIn = validated(_QuizIn, load_yaml(_FILE), _FILE)
    known = {k.name for k in all_kinds()}
    kinds = {}
    for name in KIND_IDS:
        item: _KindIn = getattr(raw.kinds, name)
        for segment in item.segments:
            try:
                parse_segment(segment)
            except ValueError:
                raise ReferenceDataError(
                    f"{_FILE}: kinds.{name}.segments: '{segment}' is not a Couinaud segment"
                ) from None
        for run in item.runs:
            if run not in known:
                raise ReferenceDataError(
                    f"{_FILE}: kinds.{name}.runs: '{run}' is not a vessel kind of the vocabulary"
                )
        kinds[name] = KindData(
            name,
            item.title,
            item.choices,
            tuple(item.sources),
            tuple(item.segments),
            tuple(item.runs),
        )
    ids = [e.id for e in raw.response_exercises]
    if len(set(ids)) != len(ids):
        raise ReferenceDataError(f"{_FILE}: response_exercises: each id is used once")
    return QuizData(
        kinds=kinds,
        unclassified=tuple(raw.answers.unclassified),
        words={value: tuple(words) for value, words in raw.answers.words.items()},
        exercises=tuple(
            Exercise(e.id, e.lesson, tuple(e.criteria), tuple(e.baseline), e.followup)
            for e in raw.response_exercises
        ),
    )
