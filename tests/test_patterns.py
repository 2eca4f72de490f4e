"""The pattern data: one test per record (httpx's test_whatwg style)."""

from __future__ import annotations

import pytest

from anatomy.reference.datafiles import data_version
from anatomy.reference.patterns import (
    MICHELS_ORDER,
    Pattern,
    hiatt_types,
    michels_patterns,
    pattern,
    patterns,
    usual_feeders,
)
from anatomy.segments import Segment
from tests.trees import classified

PATTERNS = patterns()


@pytest.mark.parametrize("item", PATTERNS, ids=lambda p: p.id)
def test_example_classifies_as_its_own_pattern(item: Pattern) -> None:
    result = classified(item.example)
    if item.scheme == "michels":
        assert result.michels == item.michels
        assert (result.michels_subtype or result.michels) == item.type
        assert result.hiatt == item.hiatt
    else:
        assert result.michels is None
        assert item.id in {p.id for p in result.named_variants}
    assert not result.warnings, [w.message for w in result.warnings]


@pytest.mark.parametrize("item", PATTERNS, ids=lambda p: p.id)
def test_every_prevalence_has_a_source(item: Pattern) -> None:
    for row in item.prevalence:
        assert row.source.strip()
        if row.percent is not None:
            assert 0 <= row.percent <= 100
        if row.n is not None and row.of:
            assert row.n <= row.of


@pytest.mark.parametrize("item", michels_patterns(), ids=lambda p: p.id)
def test_michels_types_cite_michels_and_a_modern_series(item: Pattern) -> None:
    sources = " ".join(row.source for row in item.prevalence)
    assert "Michels" in sources
    assert len(item.prevalence) >= 2
    assert item.teaching and item.catheter_route


def test_each_michels_type_once() -> None:
    assert tuple(p.type for p in michels_patterns()) == MICHELS_ORDER


def test_lookup_by_id_or_type() -> None:
    assert pattern("III") is pattern("michels-iii")
    assert pattern("viiib").type == "VIIIb"
    with pytest.raises(KeyError):
        pattern("XI")


def test_hiatt_types_sum_to_the_series() -> None:
    # Hiatt 1994: 1000 grafts, types 1-6 (757, 97, 106, 23, 15, 2).
    types = hiatt_types()
    assert [t.type for t in types] == [1, 2, 3, 4, 5, 6]
    assert round(sum(t.percent or 0 for t in types), 1) == 100.0
    mapped = {m for t in types for m in t.michels}
    assert mapped == set(MICHELS_ORDER) - {"X"}


def test_usual_feeders_cover_every_segment() -> None:
    table = usual_feeders()
    for segment in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII"):
        assert table[segment], segment
        assert all(f.source for f in table[segment])
    assert len(Segment) == 9


def test_data_version_is_a_hash() -> None:
    assert data_version().startswith("sha256:")
    assert len(data_version()) == len("sha256:") + 16
