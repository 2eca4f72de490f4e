"""Bounded "did you mean": the names closest to a word, at a cost that does not grow with
the number of names times the number of words asked about.

``difflib.get_close_matches`` compares a word with every name. Asked once per problem
of a file with thousands of unknown parents, that is quadratic (8,000 took minutes).
Here the names are indexed once by their letters and letter pairs (:class:`NameIndex`):
a word's candidates are the ``CANDIDATES`` names that share most of them for their
length (the Dice similarity of the two sets), and only those are scored, by difflib's
own ratio and cut-off, in difflib's order. A name equal to the word but for letter case
comes first. One answer gets suggestions for its first ``SUGGESTED`` questions only
(:class:`Suggestions`); every problem is still reported, the later ones without
suggestions.

Where the answer may differ from plain difflib (:func:`closest_plain`, the old
computation): only when more than ``CANDIDATES`` names are at least as similar by
letters and pairs as a name difflib ranks higher, so that name is not scored. That
needs more than ``CANDIDATES`` names: up to that many, every name is scored and the
answer is difflib's, name for name. (A name sharing no letter with the word is never a
candidate, but difflib rates it 0 too.) Over the vocabulary's 388 terms and 3,000
random typos of them, the first suggestion differed twice, both weak matches (difflib
ratio 0.62 and 0.5), and lower places differ more often, among matches of ratio about
0.5 to 0.7; ``tests/test_suggestions.py`` checks that a strong match (ratio 0.8 or
more) is found as difflib finds it.

>>> NameIndex(["celiac", "common-hepatic", "sma"]).closest("celac")
['celiac']
"""

from __future__ import annotations

import difflib
import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

__all__ = ["CANDIDATES", "SUGGESTED", "NameIndex", "Suggestions", "closest_plain"]

CANDIDATES = 40  # names scored per word
SUGGESTED = 20  # questions per answer that get suggestions


def closest_plain(word: str, names: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The reference: difflib against every name (what the index answers, unbounded).

    >>> closest_plain("celac", ["celiac", "sma"])
    ['celiac']
    """
    return difflib.get_close_matches(word, list(names), n=n, cutoff=cutoff)


def _grams(word: str) -> frozenset[str]:
    """The letters of ``word`` and its letter pairs, the first and last one marked."""
    padded = f"\0{word}\0"
    return frozenset(word) | {padded[i : i + 2] for i in range(len(padded) - 1)}


class NameIndex:
    """Names indexed by their letters and letter pairs, built once (on the first
    question), then asked any number of times, each at a cost linear in the names'
    total length plus ``candidates`` difflib ratios."""

    def __init__(self, names: Iterable[str], candidates: int = CANDIDATES) -> None:
        # sorted: which of equally similar names are scored never depends on set order
        self.names: tuple[str, ...] = tuple(sorted(set(names)))
        self.candidates = candidates
        self._postings: dict[str, list[int]] | None = None
        self._sizes: list[int] = []
        self._folded: dict[str, list[str]] = {}

    def _build(self) -> dict[str, list[int]]:
        postings: dict[str, list[int]] = {}
        for number, name in enumerate(self.names):
            grams = _grams(name)
            self._sizes.append(len(grams))
            for gram in grams:
                postings.setdefault(gram, []).append(number)
            self._folded.setdefault(name.casefold(), []).append(name)
        self._postings = postings
        return postings

    def closest(self, word: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        """Up to ``n`` names closest to ``word``, best first: those equal to it but for
        letter case, then as ``difflib.get_close_matches`` ranks the candidates."""
        postings = self._postings if self._postings is not None else self._build()
        exact = sorted(self._folded.get(word.casefold(), ()))
        if len(self.names) <= self.candidates:
            pool: Iterable[str] = self.names
        else:
            grams = _grams(word)
            shared = Counter(chain.from_iterable(postings.get(g, ()) for g in grams))
            size = len(grams)
            # Dice similarity: sharing much *for its length*.
            best = heapq.nlargest(
                self.candidates,
                shared.items(),
                key=lambda item: (2 * item[1] / (size + self._sizes[item[0]]), -item[0]),
            )
            pool = [self.names[number] for number, _ in best]
        ranked = difflib.get_close_matches(word, list(pool), n=n + len(exact), cutoff=cutoff)
        return [*exact, *(name for name in ranked if name not in exact)][:n]


@dataclass
class _Budget:
    left: int


@dataclass
class Suggestions:
    """One answer's "did you mean": the closest of ``names`` for its first questions only
    (``SUGGESTED`` in all, shared with every :meth:`over` of it).

    >>> ask = Suggestions(["celiac", "sma"], limit=1)
    >>> ask.closest("celac"), ask.closest("smaa")
    (('celiac',), ())
    """

    names: Iterable[str] = ()
    limit: int = SUGGESTED
    _budget: _Budget = field(init=False, repr=False)
    _index: NameIndex | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._budget = _Budget(self.limit)

    @property
    def left(self) -> int:
        """How many questions may still be answered."""
        return self._budget.left

    def take(self) -> bool:
        """Count one question; whether it may be answered."""
        if self._budget.left <= 0:
            return False
        self._budget.left -= 1
        return True

    def over(self, names: Iterable[str]) -> Suggestions:
        """Suggestions among other names, from the same budget (``names`` is read, and
        indexed, on the first question)."""
        other = Suggestions(names, self.limit)
        other._budget = self._budget
        return other

    def closest(self, word: str, n: int = 3, cutoff: float = 0.6) -> tuple[str, ...]:
        """Up to ``n`` names closest to ``word`` while the budget lasts; () after."""
        if not self.take():
            return ()
        if self._index is None:
            self._index = NameIndex(self.names)
        return tuple(self._index.closest(word, n, cutoff))
