"""A quiz question, its solution kept apart, and how a student's answer is read.

A ``Question`` is what a student sees: its id, kind, prompt, choices and the figure or
case it refers to. Its ``Solution`` (the answer, the explanation, the sources, and a
reader for free text) is held separately, so that nothing that sends a question out can
send the answer with it. Answers are read tolerantly: a choice's letter ("B"), its text,
or words that mean the same ("type 3", "III" and "Michels III" are one answer; "partial"
is "PR"). A reader returns the value an answer means, or None when it means none or
several; the answer is right when that value is one the solution accepts.

>>> reader = types_reader()
>>> [reader.read(text) for text in ("type 3", "Michels III", "8a", "VIII", "no type")]
['III', 'III', 'VIIIa', 'VIII', 'unclassified']
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from anatomy.reference.patterns import MICHELS_ORDER
from anatomy.reference.quiz_data import quiz_data
from anatomy.teaching.figures import Figure

__all__ = [
    "Choice",
    "PhraseReader",
    "Question",
    "Reader",
    "Solution",
    "question_id",
    "shuffled",
    "tokens",
    "types_reader",
    "words_reader",
]

_TOKEN = re.compile(r"[a-z0-9]+")
_LETTER = re.compile(r"^\(?([a-z])[).:]?$")
_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_ROMAN = {name: i for i, name in enumerate(_NUMERALS, start=1)}


@dataclass(frozen=True, slots=True)
class Choice:
    """One offered answer: the text shown, and the value it means."""

    text: str
    value: str


@dataclass(frozen=True, slots=True)
class Question:
    """What a student sees. ``about`` names the library case or pattern the question is
    made from, when naming it gives nothing away (None for a figure to be read)."""

    id: str
    kind: str
    title: str  # the kind's title, "Name the type"
    prompt: str
    choices: tuple[Choice, ...]
    figure: Figure | None
    about: str | None


class Reader(Protocol):
    def read(self, text: str) -> str | None:
        """The value an answer means, or None (none, or several)."""
        ...


@dataclass(frozen=True, slots=True)
class Solution:
    """What the question is checked against, and what a student is told afterwards."""

    answer: str  # the right answer as shown
    accepted: frozenset[str]  # values counted right
    explanation: str
    sources: tuple[str, ...]
    reader: Reader
    subject: str  # the case or pattern (or exercise) the question is made from

    def value_of(self, question: Question, text: str) -> str | None:
        """The value a written answer means: a choice's letter or text, else the reader's."""
        cleaned = " ".join(text.split()).strip()
        letter = _LETTER.match(cleaned.lower())
        if letter and question.choices:
            index = ord(letter.group(1)) - ord("a")
            if index < len(question.choices):
                return question.choices[index].value
        for choice in question.choices:
            if tokens(choice.text) == tokens(cleaned) and tokens(cleaned):
                return choice.value
        return self.reader.read(cleaned)


def tokens(text: str) -> tuple[str, ...]:
    """Lower-case words and numbers: what matching compares."""
    return tuple(_TOKEN.findall(text.lower()))


@dataclass(frozen=True)
class PhraseReader:
    """Reads an answer by the phrases it contains: each value has phrases; a phrase found
    inside a longer phrase found does not count; exactly one value must remain."""

    phrases: Mapping[str, tuple[tuple[str, ...], ...]]  # value -> phrases as tokens

    def read(self, text: str) -> str | None:
        words = tokens(text)
        found: list[tuple[int, int, str]] = []
        for value, phrases in self.phrases.items():
            for phrase in phrases:
                size = len(phrase)
                found += [
                    (start, start + size, value)
                    for start in range(len(words) - size + 1)
                    if words[start : start + size] == phrase
                ]
        kept = {
            value
            for start, end, value in found
            if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in found)
        }
        return next(iter(kept)) if len(kept) == 1 else None


def words_reader(values: Iterable[str]) -> PhraseReader:
    """A reader for answers in words (statuses, response categories), from data/quiz.yaml."""
    words = quiz_data().words
    return PhraseReader({v: tuple(tokens(p) for p in (v, *words.get(v, ()))) for v in values})


@cache
def types_reader() -> PhraseReader:
    """A reader for Michels types (I … X, VIIIa, VIIIb, and VIII for either) and
    "unclassified", in Roman or Arabic numerals."""
    phrases: dict[str, tuple[tuple[str, ...], ...]] = {}
    for name in (*MICHELS_ORDER, "VIII"):
        sub = name[4:] if name.startswith("VIII") else ""  # VIIIa, VIIIb: "a", "b"
        base = name[: len(name) - len(sub)]
        forms: list[tuple[str, ...]] = []
        for numeral in (base.lower(), str(_ROMAN[base])):
            forms.append((numeral + sub,))  # "viiia", "8a"
            if sub:
                forms.append((numeral, sub))  # "VIII a", "8-a"
        phrases[name] = tuple(forms)
    phrases["unclassified"] = tuple(tokens(p) for p in quiz_data().unclassified)
    return PhraseReader(phrases)


def question_id(key: str) -> str:
    """A stable, opaque id for a question made from ``key`` (which may name the answer)."""
    return "q" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def shuffled(choices: Sequence[Choice], key: str) -> tuple[Choice, ...]:
    """The choices in an order fixed by the question's key: the same on every server."""
    out = list(choices)
    random.Random(key).shuffle(out)
    return tuple(out)
