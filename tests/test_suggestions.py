"""Bounded "did you mean" (anatomy/suggestions.py) against the plain difflib answer."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from anatomy.suggestions import NameIndex, Suggestions, closest_plain

# Ids as case files write them (slugs), from a small alphabet so that names share letters.
slugs = st.from_regex(r"[a-e0-3][a-e0-3_-]{0,9}", fullmatch=True)


def ratio(word: str, name: str) -> float:
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    matcher.set_seq1(name)
    return matcher.ratio()


class TestNameIndex:
    @settings(max_examples=200, deadline=None)
    @given(names=st.lists(slugs, min_size=1, max_size=60, unique=True), data=st.data())
    def test_a_strong_match_is_difflibs_first_choice(
        self, names: list[str], data: st.DataObject
    ) -> None:
        # A typo of one of the names: one letter left out, added or changed.
        name = data.draw(st.sampled_from(names))
        at = data.draw(st.integers(0, len(name)))
        letter = data.draw(st.sampled_from("abcde0123_-"))
        edit = data.draw(st.sampled_from(["drop", "add", "change"]))
        tail = name[at + 1 :] if edit != "add" else name[at:]
        word = name[:at] + ("" if edit == "drop" else letter) + tail
        plain = closest_plain(word, names, n=1)
        if not plain or ratio(word, plain[0]) < 0.8 or word in names:
            return
        # Few candidates on purpose, so the index must choose which names to score.
        assert NameIndex(names, candidates=8).closest(word, n=1) == plain

    @settings(max_examples=60, deadline=None)
    @given(names=st.lists(slugs, max_size=40, unique=True), word=slugs)
    def test_up_to_candidates_names_it_is_difflib_itself(self, names: list[str], word: str) -> None:
        if word in names:
            return
        assert NameIndex(names, candidates=40).closest(word) == closest_plain(word, names)

    def test_a_name_equal_but_for_case_comes_first(self) -> None:
        names = ["Celiac", "celiacs", *(f"x{i}" for i in range(100))]
        assert NameIndex(names).closest("celiac")[0] == "Celiac"

    def test_the_closest_of_thousands(self) -> None:
        names = [f"branch-{i}" for i in range(5000)] + ["common-hepatic"]
        assert NameIndex(names).closest("comon-hepatic") == ["common-hepatic"]


class TestSuggestions:
    def test_only_the_first_questions_are_answered(self) -> None:
        ask = Suggestions(["celiac"], limit=2)
        answers = [ask.closest("celac") for _ in range(5)]
        assert answers == [("celiac",), ("celiac",), (), (), ()]

    def test_other_names_share_the_budget(self) -> None:
        ask = Suggestions(limit=2)
        assert ask.take()
        other = ask.over(["sma"])
        assert other.closest("smaa") == ("sma",)
        assert ask.left == 0 and other.closest("smaa") == ()
