"""Extrahepatic collateral priors (data/collaterals.yaml): one test per record, and the
lookups over them.

Numbers are anatomy-facts §6.2 (Chung 2006 S30, Zhao 2015 S31, Wang 2005 S32,
Chulalongkorn S33, Egyptian CTA S34, Tanabe 1998 S35).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from anatomy.errors import ReferenceDataError
from anatomy.reference.collaterals import (
    _build,
    collateral_priors,
    collaterals_for,
    location_hints,
    size_band,
)
from anatomy.reference.datafiles import load_yaml
from anatomy.reference.vocabulary import all_kinds
from anatomy.segments import Segment, parse_segment

ROWS = collateral_priors().collaterals
KNOWN_KINDS = {k.name for k in all_kinds()}
SKEY = re.compile(r"^S\d+$")


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_every_row_has_sources_kinds_and_sites(row: Any) -> None:
    assert row.sources and all(SKEY.match(s) for s in row.sources)
    assert set(row.kinds) <= KNOWN_KINDS
    assert row.segments and row.study and row.evidence and row.certainty


def test_right_inferior_phrenic_is_ranked_first() -> None:
    assert ROWS[0].id == "right-inferior-phrenic"
    assert [r.rank for r in ROWS] == list(range(1, len(ROWS) + 1))


def test_five_centimetres_is_the_threshold() -> None:
    assert collateral_priors().size_threshold_mm == 50


class TestLookups:
    @pytest.mark.parametrize(
        ("segment", "first"),
        [
            ("VII", "right-inferior-phrenic"),
            ("VIII", "right-inferior-phrenic"),
            ("II", "left-inferior-phrenic"),
            ("V", "omental"),
            ("VI", "intercostal-subcostal"),
        ],
    )
    def test_segment_to_collaterals(self, segment: str, first: str) -> None:
        assert collaterals_for(parse_segment(segment), ())[0].id == first

    def test_every_segment_has_a_collateral_to_look_for(self) -> None:
        for segment in Segment:
            assert collaterals_for({segment}, ()), segment

    def test_location_words(self) -> None:
        assert location_hints("Subcapsular lesion at the dome") == {"subcapsular", "dome"}
        assert location_hints("bare-area, near the IVC") == {"bare_area"}
        assert location_hints("central") == frozenset()
        assert location_hints(None) == frozenset()

    @pytest.mark.parametrize(
        ("size", "percent"),
        [
            (85, 61.8),
            (50, 43.2),
            (49.9, 5.5),
            (120, 93.4),
            (25, 2.7),
            (10, None),
            (None, None),
        ],
    )
    def test_size_bands_zhao_2015(self, size: float | None, percent: float | None) -> None:
        band = size_band(size)
        assert (band.percent if band else None) == percent


class TestMalformedData:
    def raw(self) -> dict[str, Any]:
        data: dict[str, Any] = load_yaml("collaterals.yaml")
        return data

    def test_a_row_without_an_s_key_is_refused(self) -> None:
        raw = self.raw()
        raw["collaterals"][0]["sources"] = ["Kim 2005"]
        with pytest.raises(ReferenceDataError, match="S-keys"):
            _build(raw)

    def test_an_unknown_kind_is_refused(self) -> None:
        raw = self.raw()
        raw["collaterals"][0]["kinds"] = ["phrenic_thing"]
        with pytest.raises(ReferenceDataError, match="unknown vessel kinds"):
            _build(raw)

    def test_ranks_must_follow_file_order(self) -> None:
        raw = self.raw()
        raw["collaterals"][0]["rank"], raw["collaterals"][1]["rank"] = 2, 1
        with pytest.raises(ReferenceDataError, match="ranks"):
            _build(raw)
