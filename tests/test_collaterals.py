"""Extrahepatic collateral priors (data/collaterals.yaml): one test per record, and the
lookups over them.

Numbers are anatomy-facts §6.2 (Chung 2006 S30, Zhao 2015 S31, Wang 2005 S32,
Chulalongkorn S33, Egyptian CTA S34, Tanabe 1998 S35).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from anatomy.case import parse_case
from anatomy.errors import ReferenceDataError
from anatomy.reference.collaterals import (
    _build,
    collateral_priors,
    collaterals_for,
    location_hints,
    ranking_rules,
    size_band,
)
from anatomy.reference.datafiles import load_yaml
from anatomy.reference.vocabulary import all_kinds
from anatomy.segments import Segment, parse_segment
from tests.trees import planned

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


RULES = collateral_priors().location_rules
# The seed report's tree (data/cases/khassaf-2025-net.yaml: replaced RHA from the SMA).
SEED_VESSELS = load_yaml("cases/khassaf-2025-net.yaml")["vessels"]


@pytest.mark.parametrize("rule", RULES, ids=[r.site for r in RULES])
def test_every_location_rule_puts_its_collateral_first_at_its_site(rule: Any) -> None:
    assert rule.sources and all(SKEY.match(s) for s in rule.sources) and rule.certainty
    for segment in rule.segments:
        found = collaterals_for({segment}, rule.locations)
        # Several rules may apply at one site: theirs come first, in the file's order.
        applying = ranking_rules({segment}, rule.locations)
        assert [c.id for c in found[: len(applying)]] == [r.first for r in applying]
        assert rule.first in [c.id for c in found[: len(applying)]]
        assert all(c.ranked_by is None for c in found[len(applying) :])


class TestRankingByLocation:
    """Anatomy-facts §6.2: the tumor's site decides which collateral to look for first
    (issue 10, item 9). Dome or bare area of S7/S8: right inferior phrenic (Chung 2006 S30,
    Tanabe 1998 S35); anterior subcapsular S4/S8: internal thoracic (Wang 2005 S32, Egyptian
    CTA S34, Ibukuro 1998 S36)."""

    def test_anterior_subcapsular_segment_iv_puts_the_internal_thoracic_first(self) -> None:
        found = collaterals_for(parse_segment("IV"), location_hints("anterior subcapsular"))
        assert found[0].id == "internal-thoracic"
        assert found[0].ranked_by is not None
        assert "[M] segments IV/VIII" in found[0].ranked_by.certainty  # less certain
        assert found[1].id == "right-inferior-phrenic" and found[1].ranked_by is None

    def test_without_a_location_segment_iv_keeps_the_reference_order(self) -> None:
        found = collaterals_for(parse_segment("IV"), ())
        assert [c.id for c in found[:2]] == ["right-inferior-phrenic", "internal-thoracic"]
        assert all(c.ranked_by is None for c in found)

    @pytest.mark.parametrize(
        ("segments", "label", "first"),
        [
            ("VII", "dome", "right-inferior-phrenic"),
            ("VIII", "subdiaphragmatic", "right-inferior-phrenic"),
            ("VII", "bare area", "right-inferior-phrenic"),
            ("VI", "posterior subcapsular", "intercostal-subcostal"),
            ("VII", "lateral surface", "intercostal-subcostal"),
            ("VI", "inferior surface", "omental"),
            ("V", "beside the gallbladder bed", "cystic"),
            ("IVb", "gallbladder bed", "cystic"),
            ("II", "left dome", "left-inferior-phrenic"),
            ("VIII", "anterior subcapsular", "internal-thoracic"),
        ],
    )
    def test_site_to_first_collateral(self, segments: str, label: str, first: str) -> None:
        found = collaterals_for(parse_segment(segments), location_hints(label))
        assert found[0].id == first and found[0].ranked_by is not None

    def test_a_dome_tumor_that_is_also_anterior_subcapsular_gets_both_first(self) -> None:
        found = collaterals_for(parse_segment("VIII"), {"dome", "subcapsular", "anterior"})
        assert [c.id for c in found[:2]] == ["right-inferior-phrenic", "internal-thoracic"]

    def test_the_same_site_in_another_segment_changes_nothing(self) -> None:
        # The internal-thoracic rule is for S4/S8; an anterior subcapsular S6 tumor keeps
        # the reference order of S6's collaterals.
        assert collaterals_for(parse_segment("VI"), {"subcapsular", "anterior"}) == (
            collaterals_for(parse_segment("VI"), ())
        )

    def test_stated_locations_and_label_words_combine(self) -> None:
        assert location_hints("subcapsular", {"anterior"}) == {"subcapsular", "anterior"}
        assert location_hints(None, {"dome"}) == {"dome"}


class TestThePlannerRanksByLocation:
    """The plan's collateral prompt follows the tumor's `location` (or label words)."""

    def check(self, tumor: dict[str, Any]) -> Any:
        plan = planned(parse_case({"vessels": SEED_VESSELS, "tumors": [tumor]}))
        (item,) = plan.tumors
        (check,) = [w for w in item.warnings if w.code == "collateral_check"]
        return check

    def test_an_anterior_subcapsular_segment_iv_tumor(self) -> None:
        # The seed's 85 mm segment IV tumor (Khassaf & Abed 2025), placed under the
        # anterior capsule.
        tumor = {"id": "t1", "segments": ["IV"], "diameter_mm": 85}
        plain = self.check(tumor)
        assert plain.collaterals[0].collateral.id == "right-inferior-phrenic"
        placed = self.check({**tumor, "location": ["subcapsular", "anterior"]})
        assert placed.collaterals[0].collateral.id == "internal-thoracic"
        assert "location: anterior, subcapsular" in placed.message
        assert "first for a tumor at the anterior surface under the capsule" in placed.message
        assert "[M] segments IV/VIII" in placed.message
        labelled = self.check({**tumor, "label": "anterior subcapsular metastasis"})
        assert labelled.collaterals == placed.collaterals

    def test_a_small_dome_tumor_is_prompted_phrenic_first(self) -> None:
        check = self.check({"id": "t1", "segments": ["VII"], "location": "dome"})
        assert check.collaterals[0].collateral.id == "right-inferior-phrenic"
        assert check.collaterals[0].collateral.ranked_by is not None


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

    def test_a_rule_must_name_a_collateral(self) -> None:
        raw = self.raw()
        raw["location_rules"][0]["first"] = "phrenic"
        with pytest.raises(ReferenceDataError, match=r"location_rules\[0\].*not a collateral id"):
            _build(raw)

    def test_a_rule_may_not_promote_a_collateral_beyond_its_own_row(self) -> None:
        raw = self.raw()
        raw["location_rules"][0]["segments"] = ["V"]  # the right inferior phrenic lists no V
        with pytest.raises(ReferenceDataError, match="must be among those of"):
            _build(raw)

    def test_ranks_must_follow_file_order(self) -> None:
        raw = self.raw()
        raw["collaterals"][0]["rank"], raw["collaterals"][1]["rank"] = 2, 1
        with pytest.raises(ReferenceDataError, match="ranks"):
            _build(raw)
