"""Segment spellings (case-format.md §Segments) and display."""

from __future__ import annotations

import pytest

from anatomy.segments import SEGMENT_IV, Segment, describe, parse_segment, segment_names


class TestParseSegment:
    @pytest.mark.parametrize(
        ("written", "expected"),
        [
            ("I", {Segment.I}),
            ("viii", {Segment.VIII}),
            ("IV", SEGMENT_IV),
            ("IVa", {Segment.IVa}),
            ("ivb", {Segment.IVb}),
            (4, SEGMENT_IV),
            ("4a", {Segment.IVa}),
            ("S4", SEGMENT_IV),
            ("s7", {Segment.VII}),
            ("segment 7", {Segment.VII}),
            ("Segment IVb", {Segment.IVb}),
            (1, {Segment.I}),
            ("8", {Segment.VIII}),
        ],
    )
    def test_accepted_spellings(self, written: object, expected: set[Segment]) -> None:
        assert parse_segment(written) == frozenset(expected)

    @pytest.mark.parametrize("written", ["IX", "9", "0", "Va", "S", "", "left", True, None, 4.5])
    def test_rejected(self, written: object) -> None:
        with pytest.raises(ValueError, match="not a"):
            parse_segment(written)


class TestDisplay:
    def test_halves_of_iv_are_written_as_iv(self) -> None:
        assert segment_names({Segment.IVb, Segment.II, Segment.IVa}) == ["II", "IV"]

    def test_one_half_stays(self) -> None:
        assert segment_names({Segment.IVb, Segment.VIII}) == ["IVb", "VIII"]

    def test_describe_empty(self) -> None:
        assert describe(()) == "none"
