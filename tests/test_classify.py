"""Classification: every Michels type in every style, variants outside Michels,
completeness, and the warnings that territory and stated status produce."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from anatomy.case import load_case
from anatomy.classification.classify import Classification
from anatomy.output.wording import reasons, summary_text
from tests import trees
from tests.test_case import SEED
from tests.trees import classified

HIATT = {
    "I": 1,
    "II": 2,
    "V": 2,
    "III": 3,
    "VI": 3,
    "IV": 4,
    "VII": 4,
    "VIIIa": 4,
    "VIIIb": 4,
    "IX": 5,
    "X": None,
}


def run(document: dict[str, Any]) -> Classification:
    return classified(document)


def codes(result: Classification) -> dict[str, set[str | None]]:
    out: dict[str, set[str | None]] = {}
    for finding in result.findings:
        out.setdefault(finding.code, set()).add(finding.vessel)
    return out


class TestMichelsTypes:
    @pytest.mark.parametrize("style", ["as drawn", *trees.STYLES])
    @pytest.mark.parametrize("michels", list(trees.MICHELS))
    def test_each_type_in_each_style(self, michels: str, style: str) -> None:
        document = trees.MICHELS[michels]
        if style != "as drawn":
            document = trees.STYLES[style](document)
        result = run(document)
        expected = "VIII" if michels.startswith("VIII") else michels
        assert result.outcome == "classified", reasons(result)
        assert result.michels == expected
        assert result.michels_subtype == (michels if michels.startswith("VIII") else None)
        assert result.hiatt == HIATT[michels]

    @pytest.mark.parametrize(("first", "second"), list(itertools.permutations(trees.STYLES, 2)))
    @pytest.mark.parametrize("michels", list(trees.MICHELS))
    def test_each_type_in_two_styles_at_once(self, michels: str, first: str, second: str) -> None:
        # e.g. unnamed arteries *and* an unnamed pass-through above the SMA: the artery is
        # below the last named vessel carrying liver territory, not above the SMA.
        document = trees.STYLES[second](trees.STYLES[first](trees.MICHELS[michels]))
        expected = "VIII" if michels.startswith("VIII") else michels
        assert run(document).michels == expected

    def test_seed_is_type_iii_with_replaced_rha_from_sma(self) -> None:
        result = classified(load_case(SEED))
        assert (result.michels, result.hiatt) == ("III", 3)
        (finding,) = [f for f in result.findings if f.vessel == "rrha"]
        assert finding.code == "replaced_right_hepatic"
        assert (finding.status, finding.origin, finding.origin_vessel) == (
            "replaced",
            "superior_mesenteric",
            "sma",
        )
        assert finding.segments == ("V", "VI", "VII", "VIII")

    def test_replaced_and_accessory_statuses(self) -> None:
        result = run(trees.TYPE_VIIIA)
        status = {f.vessel: f.status for f in result.findings if f.code.endswith("_hepatic")}
        assert status == {"rrha": "replaced", "alha": "accessory", "lha": "normal"}

    def test_accessory_of_one_sector_is_accessory(self) -> None:
        # Li 2019 (Surg Radiol Anat 41:969): an accessory RHA from the SMA supplying only
        # the right anterior sector beside a normal RHA.
        document = trees.case(
            *[
                (v["id"], v.get("kind"), v.get("parent"), v.get("supplies", []))
                for v in trees.TYPE_I["vessels"]
                if v["id"] not in ("rha",)
            ],
            ("rha", "RHA", "pha", ["VI", "VII"]),
            ("arha", None, "sma", ["V", "VIII"]),
        )
        result = run(document)
        assert result.michels == "VI"


class TestBranchingOfTypeI:
    def test_trifurcation_is_type_i_with_a_finding(self) -> None:
        result = run(trees.TRIFURCATION)
        assert result.michels == "I"
        assert "trifurcation" in codes(result)

    def test_segment_iv_artery_origin(self) -> None:
        (finding,) = [f for f in run(trees.TYPE_I).findings if f.code == "segment_iv_supply"]
        assert (finding.vessel, finding.origin_vessel) == ("mha", "lha")
        (finding,) = [f for f in run(trees.TYPE_II).findings if f.code == "segment_iv_supply"]
        assert finding.origin_vessel == "rha"

    def test_segment_iv_from_two_sources(self) -> None:
        document = trees.case(
            *[
                (v["id"], v.get("kind"), v.get("parent"), v.get("supplies", []))
                for v in trees.TYPE_I["vessels"]
            ],
            ("a4r", None, "rha", ["IVa"]),
        )
        assert "segment_iv_dual_supply" in codes(run(document))

    def test_names_only_assumes_usual_territories(self) -> None:
        result = run(trees.NAMES_ONLY_TYPE_I)
        assert result.michels == "I"
        assumed = dict(result.anatomy.territories.assumed)
        assert {s.value for s in assumed["lha"]} == {"II", "III", "IVa", "IVb"}
        assert all(f.assumed for f in result.findings if f.code.endswith("_hepatic"))

    def test_left_hepatic_assumes_iv_only_when_nothing_else_supplies_it(self) -> None:
        document = trees.case(
            *[
                (v["id"], v.get("kind"), v.get("parent"), [])
                for v in trees.NAMES_ONLY_TYPE_I["vessels"]
            ],
            ("mha", "MHA", "rha", []),
        )
        assumed = dict(run(document).anatomy.territories.assumed)
        assert {s.value for s in assumed["lha"]} == {"II", "III"}
        assert {s.value for s in assumed["mha"]} == {"IVa", "IVb"}

    def test_a_second_unnamed_trunk_spanning_both_sides_is_not_the_axis(self) -> None:
        # Two unnamed trunks each reach right and left liver; the one giving the GDA is
        # the hepatic axis (Song 2010), the other's branches are separate arteries.
        document = trees.case(
            ("ao", "aorta", None, []),
            ("ct", "celiac trunk", "ao", []),
            ("t1", None, "ct", []),
            ("gda", "GDA", "t1", []),
            ("r1", None, "t1", ["V", "VI", "VII"]),
            ("l1", None, "t1", ["II"]),
            ("sma", "SMA", "ao", []),
            ("t2", None, "sma", []),
            ("r2", None, "t2", ["VIII"]),
            ("l2", None, "t2", ["III"]),
        )
        result = run(document)
        assert result.anatomy.axis == ("t1",)
        assert codes(result)["second_hepatic_trunk"] == {"t2"}
        arteries = {a.vessel: (a.side, a.status, a.origin) for a in result.anatomy.arteries}
        assert arteries == {
            "r1": ("right", "normal", "t1"),
            "l1": ("left", "normal", "t1"),
            "r2": ("right", "accessory", "sma"),
            "l2": ("left", "accessory", "sma"),
        }

    def test_extrahepatic_branches_of_hepatic_arteries_are_findings(self) -> None:
        result = run(trees.with_extrahepatic(trees.TYPE_I))
        assert {"cys-rha", "falc-lha", "alga-lha", "rga-pha"} <= codes(result)["non_target_branch"]


class TestOutsideMichels:
    @pytest.mark.parametrize(
        ("fixture", "variant", "nearest"),
        [
            (trees.RHA_FROM_GDA, "rha-from-gda", "III"),
            (trees.RHA_FROM_PDA, "rha-from-pancreaticoduodenal", "III"),
            (trees.RHA_FROM_CELIAC, "rha-from-celiac", "III"),
            (trees.RHA_FROM_AORTA, "rha-from-aorta", "III"),
            (trees.CHA_FROM_AORTA, "cha-from-aorta", "I"),
            (trees.PHA_FROM_SMA, "pha-from-sma-gda-from-celiac", "IX"),
            (trees.DOUBLE_HEPATIC, "double-hepatic-arteries", None),
        ],
    )
    def test_named_variant_with_nearest_types(
        self, fixture: dict[str, Any], variant: str, nearest: str | None
    ) -> None:
        result = run(fixture)
        assert result.michels is None
        assert result.outcome == "unclassified"
        assert variant in {p.id for p in result.named_variants}
        if nearest is not None:
            assert nearest in {d.michels for d in result.nearest}
            first = next(d for d in result.nearest if d.michels == nearest)
            assert first.differences, "the nearest type must say exactly what differs"

    def test_cha_from_aorta_is_hiatt_6(self) -> None:
        result = run(trees.CHA_FROM_AORTA)
        assert (result.michels, result.hiatt) == (None, 6)

    def test_two_replaced_sectoral_arteries(self) -> None:
        result = run(trees.REPLACED_SECTORS_FROM_SMA_AND_GDA)
        status = {
            f.vessel: (f.status, f.origin)
            for f in result.findings
            if f.code.endswith("right_hepatic")
        }
        assert status == {
            "rasa": ("replaced", "superior_mesenteric"),
            "rpsa": ("replaced", "gastroduodenal"),
        }
        assert result.michels is None
        (near,) = [d for d in result.nearest if d.michels == "III"]
        assert any("gastroduodenal" in d.lower() or "GDA" in d for d in near.differences)

    def test_nested_aberrant_territory_is_accessory(self) -> None:
        # DESIGN.md: with no normal supply, an aberrant artery whose territory lies inside
        # another's is accessory.
        document = trees.case(
            *[
                (v["id"], v.get("kind"), v.get("parent"), v.get("supplies", []))
                for v in trees.TYPE_III["vessels"]
            ],
            ("x", None, "gda", ["VI"]),
        )
        status = {
            f.vessel: f.status for f in run(document).findings if f.code.endswith("right_hepatic")
        }
        assert status == {"rrha": "replaced", "x": "accessory"}

    def test_equal_territories_without_stated_status_are_ambiguous(self) -> None:
        document = trees.case(
            *[
                (v["id"], v.get("kind"), v.get("parent"), v.get("supplies", []))
                for v in trees.TYPE_III["vessels"]
            ],
            ("x", None, "gda", trees.R),
        )
        assert "ambiguous_status" in codes(run(document))

    def test_stated_status_breaks_a_tie(self) -> None:
        document = trees.case(
            *[
                (v["id"], v.get("kind"), v.get("parent"), v.get("supplies", []))
                for v in trees.TYPE_III["vessels"]
            ],
            ("x", "aRHA", "gda", trees.R),
        )
        result = run(document)
        assert "ambiguous_status" not in codes(result)
        status = {f.vessel: f.status for f in result.findings if f.code.endswith("right_hepatic")}
        assert status == {"rrha": "replaced", "x": "accessory"}


def open_types(result: Classification) -> set[str]:
    return {t.type for t in result.completeness.open_types}


class TestCompleteness:
    """A missing run can only add arteries from the trunk it would show (DESIGN.md,
    "Completeness"; issue 10 item 6)."""

    def test_celiac_only_study_with_no_right_supply(self) -> None:
        # The celiac run shows an LHA (II–IV) from the axis and nothing for the right liver:
        # only a replaced RHA from the SMA can supply it; a replaced LHA is excluded (the
        # left has normal supply), and so are an SMA-borne trunk and VI (the axis shows no
        # RHA, so no normal right supply for an accessory artery to join).
        result = run(trees.CELIAC_ONLY)
        assert result.michels is None
        assert result.outcome == "incomplete"
        assert open_types(result) == {"III"}
        assert {"V", "VI", "VII", "VIII"} <= set(result.unsupplied)
        assert "III" in {d.michels for d in result.nearest}

    @pytest.mark.parametrize(
        ("with_lga", "still_open"), [(True, {"VI"}), (False, {"V", "VI", "VII"})]
    )
    def test_complete_celiac_rha_and_lha(self, with_lga: bool, still_open: set[str]) -> None:
        # Issue 10 item 6: a selective celiac run, CHA with an RHA (V–VIII) and an LHA
        # (II–IV). Every replaced artery and an SMA-borne trunk are excluded; an accessory
        # RHA from the SMA stays open, and an accessory LHA from the LGA while the LGA is
        # not shown. The headline type is provisional.
        vessels = [
            ("ct", "celiac_trunk", None, []),
            ("cha", "CHA", "ct", []),
            ("rha", "RHA", "cha", trees.R),
            ("lha", "LHA", "cha", ["II", "III", "IV"]),
        ]
        if with_lga:
            vessels.append(("lga", "LGA", "ct", []))
        result = run(trees.case(*vessels))
        assert result.michels == "I" and result.provisional
        assert open_types(result) == still_open
        (vi,) = [t for t in result.completeness.open_types if t.type == "VI"]
        assert vi.runs == ("superior_mesenteric",)
        assert vi.could_show == ("an accessory right hepatic artery from the SMA",)
        assert "provisional" in summary_text(result)

    def test_no_left_gastric_in_study(self) -> None:
        document = dict(trees.TYPE_III)
        document = {"vessels": [v for v in document["vessels"] if v["id"] != "lga"]}
        result = run(document)
        assert result.michels == "III" and result.provisional
        # The left has normal supply and the right a replaced RHA: only an accessory LHA
        # from the LGA can be added (VIIIa).
        assert open_types(result) == {"VIIIa"}

    def test_study_rooted_at_the_hepatic_trunk_leaves_its_origin_open(self) -> None:
        # A selective hepatic run: the trunk's origin is not shown, so IX, X and Hiatt 6
        # stay open beside I, each needing a different run.
        result = run(
            trees.case(
                ("cha", "CHA", None, []),
                ("rha", "RHA", "cha", trees.R),
                ("lha", "LHA", "cha", ["II", "III", "IV"]),
            )
        )
        assert result.michels is None and result.outcome == "incomplete"
        assert {"I", "IX", "X", "Hiatt 6"} <= open_types(result)
        assert "III" not in open_types(result)

    def test_full_study_excludes_everything(self) -> None:
        result = run(trees.TYPE_I)
        assert result.completeness.open_types == () and not result.provisional

    def test_unsupplied_segments_say_where_to_look(self) -> None:
        from anatomy.classification.completeness import usual_feeders_for

        result = run(trees.TYPE_I)
        assert result.unsupplied == ("I",)
        assert usual_feeders_for("I")


class TestWarnings:
    def test_label_contradicted_by_territory(self) -> None:
        result = run(trees.MISLABELLED_RHA)
        (warning,) = [w for w in result.warnings if w.vessel == "x"]
        assert warning.code == "kind_contradicted"
        assert "left hepatic artery" in warning.message
        assert result.michels == "III"

    def test_stated_status_contradicted(self) -> None:
        document = trees.case(
            *[
                (v["id"], v.get("kind"), v.get("parent"), v.get("supplies", []))
                for v in trees.TYPE_III["vessels"]
                if v["id"] != "rrha"
            ],
            ("rrha", "aRHA", "sma", trees.R),
        )
        result = run(document)
        assert result.michels == "III"
        assert [w.code for w in result.warnings if w.vessel == "rrha"] == ["status_contradicted"]

    def test_collateral_feeder_does_not_change_type(self) -> None:
        # Chung 2006, Zhao 2015: the right inferior phrenic artery is the commonest
        # extrahepatic collateral; it feeds tumours, not the hepatic arterial pattern.
        document = trees.case(
            *[
                (v["id"], v.get("kind"), v.get("parent"), v.get("supplies", []))
                for v in trees.TYPE_I["vessels"]
            ],
            ("ripa", "RIPA", "ao", []),
            ("ripa-br", None, "ripa", ["VII"]),
        )
        result = run(document)
        assert result.michels == "I"
        assert "collateral_supply" in codes(result)


class TestGastrohepaticStem:
    """DESIGN.md: a short common stem of the LGA and a hepatic artery that arises from the
    celiac trunk and gives no CHA is the LGA's stem (type II or V); one that gives the CHA
    is a celiac-trunk variant."""

    @staticmethod
    def tree(stem_kind: str | None, cha_parent: str) -> dict[str, Any]:
        return trees.case(
            ("ao", "aorta", None, []),
            ("ct", "celiac_trunk", "ao", []),
            ("spl", "splenic", "ct", []),
            ("stem", stem_kind, "ct", []),
            ("lga", "LGA", "stem", []),
            ("lha", "LHA", "stem", ["II", "III"]),
            ("cha", "CHA", cha_parent, []),
            ("pha", "PHA", "cha", []),
            ("rha", "RHA", "pha", trees.R),
            ("mha", "middle hepatic", "pha", ["IV"]),
            ("sma", "SMA", "ao", []),
        )

    @pytest.mark.parametrize("stem_kind", [None, "gastrohepatic trunk"])
    def test_an_lha_from_the_stem_arises_from_the_lga(self, stem_kind: str | None) -> None:
        result = run(self.tree(stem_kind, "ct"))
        assert (result.michels, result.hiatt) == ("II", 2)
        (lha,) = [f for f in result.findings if f.vessel == "lha"]
        assert lha.origin == "left_gastric" and lha.origin_vessel == "lga"

    def test_a_trunk_that_gives_the_cha_stays_a_celiac_variant(self) -> None:
        result = run(self.tree("gastrohepatic trunk", "stem"))
        (lha,) = [f for f in result.findings if f.vessel == "lha"]
        assert lha.origin != "left_gastric"
        assert any(f.code == "celiac_variant" for f in result.findings)
