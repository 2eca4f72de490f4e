"""Plan safety and selectivity: positions an interventional radiologist would accept.

One test per item of issue 10, each with the case that showed it (DESIGN.md, "Planning:
the rules"; anatomy from shared/reference/anatomy-facts.md, keys S#). Items 8 (mRECIST new
lesions) and the collateral ranking of item 9 are tested in test_response.py and
test_collaterals.py.
"""

from __future__ import annotations

from typing import Any

from anatomy.case import parse_case
from anatomy.output.diagram import case_diagram
from anatomy.output.text import plan_text
from anatomy.pipeline import answer
from anatomy.planning.plan import Plan
from tests.trees import R, case, classified, planned

# The tree: a textbook Michels I with the GDA drawn, and the SMA.
MICHELS_I_WITH_GDA = [
    ("ao", "aorta", None, []),
    ("ct", "celiac trunk", "ao", []),
    ("cha", "CHA", "ct", []),
    ("gda", "GDA", "cha", []),
    ("pha", "PHA", "cha", []),
    ("rha", "RHA", "pha", R),
    ("lha", "LHA", "pha", ["II", "III", "IV"]),
    ("sma", "SMA", "ao", []),
]


def with_tumors(vessels: list[Any], *tumors: dict[str, Any]) -> dict[str, Any]:
    return case(*vessels, tumors=list(tumors))


def tips(plan: Plan, tumor_id: str) -> list[str]:
    item = next(t for t in plan.tumors if t.tumor.id == tumor_id)
    return [plan.positions[n - 1].position.vessel for n in item.targets]


def codes(plan: Plan, tumor_id: str) -> list[str]:
    return [w.code for t in plan.tumors if t.tumor.id == tumor_id for w in t.warnings]


def warnings(plan: Plan, code: str) -> list[Any]:
    return [w for t in plan.tumors for w in t.warnings if w.code == code] + [
        w for w in plan.warnings if w.code == code
    ]


class TestItem1ATipBeforeAPatentGda:
    def test_an_observed_feeder_on_the_axis_is_a_way_in(self) -> None:
        # The example: t1 in VI, 35 mm, the CHA observed feeding it. The tip belongs
        # in the RHA (heading for the segment VI branch), never the CHA with the GDA open.
        plan = planned(
            with_tumors(
                MICHELS_I_WITH_GDA,
                {"id": "t1", "segments": ["VI"], "diameter_mm": 35, "feeders": ["cha"]},
            )
        )
        assert tips(plan, "t1") == ["rha"]
        assert plan.cost.non_target == 0
        (way_in,) = warnings(plan, "way_in")
        assert way_in.vessel == "cha" and "rha" in way_in.message
        (superselect,) = warnings(plan, "superselect")
        assert "segment VI (A6)" in superselect.message and "cone-beam CT" in superselect.message

    def test_when_nothing_else_reaches_it_the_gda_is_protected_first(self) -> None:
        # The CHA itself feeds the caudate tumor (an unlisted branch): no tip beyond the GDA
        # reaches that feeder, so the CHA is listed only with the GDA protected first, with
        # the organ at risk and the options (data/non_target.yaml).
        vessels = [*MICHELS_I_WITH_GDA]
        vessels[2] = ("cha", "CHA", "ct", ["I"])
        plan = planned(with_tumors(vessels, {"id": "t1", "segments": ["I"], "diameter_mm": 20}))
        assert tips(plan, "t1") == ["cha"]
        (protect,) = warnings(plan, "protect_first")
        assert protect.vessel == "gda"
        for needed in ("duodenum", "coil embolization", "balloon occlusion", "anti-reflux"):
            assert needed in protect.message, needed
        text = plan_text(plan)
        assert "protected first" in text and "no non-target branch is drawn" not in text


class TestItem2OneInjectionForBothLobes:
    def test_lobar_tips_and_staging_not_one_whole_liver_injection(self) -> None:
        # The example: 18 mm in III, 22 mm in VI. Two lobar tips and one PHA tip
        # treat the same segments; selectivity comes before the number of positions.
        plan = planned(
            with_tumors(
                MICHELS_I_WITH_GDA,
                {"id": "t1", "segments": ["III"], "diameter_mm": 18},
                {"id": "t2", "segments": ["VI"], "diameter_mm": 22},
            )
        )
        assert tips(plan, "t1") == ["lha"] and tips(plan, "t2") == ["rha"]
        assert [t.position.level for t in plan.positions] == ["lobar", "lobar"]
        (stage,) = warnings(plan, "stage_lobes")
        assert "staged" in stage.message and stage.sources == ("S72",)
        # Each lobar tip is chosen only because no finer branch is drawn: it says so.
        assert {w.vessel for w in warnings(plan, "superselect")} == {"lha", "rha"}

    def test_a_drawn_segment_branch_is_used(self) -> None:
        vessels = [*MICHELS_I_WITH_GDA[:5], ("rha", "RHA", "pha", [])]
        vessels += [("a6", None, "rha", ["VI"]), ("rx", None, "rha", ["V", "VII", "VIII"])]
        vessels += [("lha", "LHA", "pha", ["II", "III", "IV"])]
        plan = planned(with_tumors(vessels, {"id": "t1", "segments": ["VI"]}))
        assert tips(plan, "t1") == ["a6"]
        assert plan.positions[0].position.level == "segmental"
        assert warnings(plan, "superselect") == []


class TestItem3NotRecordedIsNotAbsent:
    def test_the_right_gastric_from_the_lha_when_the_rha_is_replaced(self) -> None:
        # Michels III: the RGA arises from the LHA in 89% when the RHA is replaced (S37).
        document = case(
            ("ao", "aorta", None, []),
            ("ct", "celiac trunk", "ao", []),
            ("lga", "LGA", "ct", []),
            ("cha", "CHA", "ct", []),
            ("gda", "GDA", "cha", []),
            ("pha", "PHA", "cha", []),
            ("lha", "LHA", "pha", ["II", "III", "IV"]),
            ("sma", "SMA", "ao", []),
            ("rrha", "RHA", "sma", R),
            tumors=[{"id": "t1", "segments": ["III"], "diameter_mm": 30}],
        )
        plan = planned(document)
        assert tips(plan, "t1") == ["lha"]
        prompted = " ".join(w.message for w in warnings(plan, "not_shown"))
        assert "right gastric artery" in prompted and "accessory left gastric artery" in prompted
        (rga,) = [w for w in warnings(plan, "not_shown") if "right gastric" in w.message]
        assert "89%" in rga.message and "S37" in rga.sources
        assert "lies downstream" not in plan_text(plan)

    def test_a_drawn_branch_is_not_prompted(self) -> None:
        vessels = [*MICHELS_I_WITH_GDA, ("cys", "cystic", "rha", [])]
        plan = planned(with_tumors(vessels, {"id": "t1", "segments": ["VI"]}))
        prompted = " ".join(w.message for w in warnings(plan, "not_shown"))
        assert "cystic" not in prompted
        assert [w.vessel for w in warnings(plan, "protect_first")] == ["cys"]


class TestItem4ThePlanUsesTheClassifiersReading:
    def test_a_vessel_written_lha_that_feeds_the_right_liver(self) -> None:
        document = case(
            ("ao", "aorta", None, []),
            ("ct", "celiac trunk", "ao", []),
            ("cha", "CHA", "ct", []),
            ("pha", "PHA", "cha", []),
            ("x", "LHA", "pha", R),
            ("lha", "LHA", "pha", ["II", "III", "IV"]),
            ("sma", "SMA", "ao", []),
            tumors=[{"id": "t1", "segments": ["VII"]}],
        )
        done = answer(parse_case(document), with_plan=True)
        assert done.plan is not None
        tip = done.plan.positions[0].position
        assert tip.vessel == "x" and tip.name == "RHA" and tip.route_text.endswith("> PHA > RHA")
        (said,) = warnings(done.plan, "name_reread")
        assert "right hepatic artery" in said.message
        dot = case_diagram(parse_case(document), done.classification, plan=done.plan)
        assert "<B>RHA</B>" in dot.split('"x" [', 1)[1].split("\n", 1)[0]


class TestItem5SupplyWrittenOnAVisceralTrunk:
    def test_an_sma_supplying_viii_and_ii_is_aberrant_on_both_sides(self) -> None:
        vessels = [*MICHELS_I_WITH_GDA]
        vessels[-1] = ("sma", "SMA", "ao", ["VIII", "II"])
        result = classified(case(*vessels))
        assert result.michels is None  # an accessory LHA from the SMA is not a Michels origin
        found = {(f.code, f.origin) for f in result.findings if f.vessel == "sma"}
        assert ("accessory_right_hepatic", "superior_mesenteric") in found
        assert ("accessory_left_hepatic", "superior_mesenteric") in found
        assert not any(f.code.endswith("caudate_artery") for f in result.findings)


class TestItem6PartialStudies:
    def test_a_celiac_run_plans_and_asks_for_the_sma_run(self) -> None:
        # Classification's side is in test_classify.py::TestCompleteness; the plan's
        # warning reads the same open types.
        document = case(
            ("ct", "celiac_trunk", None, []),
            ("cha", "CHA", "ct", []),
            ("rha", "RHA", "cha", R),
            ("lha", "LHA", "cha", ["II", "III", "IV"]),
            ("lga", "LGA", "ct", []),
            tumors=[{"id": "t1", "segments": ["VI"]}],
        )
        plan = planned(document)
        (missing,) = warnings(plan, "missing_run")
        assert missing.run == "superior_mesenteric"
        assert "accessory right hepatic artery from the SMA" in missing.message
        assert "Michels VI" in missing.message and "replaced" not in missing.message


class TestItem7HepaticTrunkWithTheGdaOnAHepaticBranch:
    def test_the_whole_trunk_from_the_sma_is_ix(self) -> None:
        # Omotehara 2021 (data/teaching_cases/omotehara-2021-cha-sma-gda-from-lha.yaml): the
        # hepatic trunk arises from the SMA and the GDA from its LHA.
        result = classified(
            case(
                ("ao", "aorta", None, []),
                ("ct", "celiac trunk", "ao", []),
                ("spl", "splenic", "ct", []),
                ("lga", "LGA", "ct", []),
                ("sma", "SMA", "ao", []),
                ("cha", "CHA", "sma", []),
                ("rha", "RHA", "cha", R),
                ("lha", "LHA", "cha", ["II", "III", "IV"]),
                ("gda", "GDA", "lha", []),
            )
        )
        assert (result.michels, result.hiatt) == ("IX", 5)
        assert any(f.code == "gastroduodenal_origin" for f in result.findings)

    def test_a_pha_from_the_sma_with_the_gda_from_the_celiac_is_not(self) -> None:
        # Covey 2002 lists it apart (no CHA in Song's sense): still not IX.
        result = classified(
            case(
                ("ao", "aorta", None, []),
                ("ct", "celiac trunk", "ao", []),
                ("gda", "GDA", "ct", []),
                ("sma", "SMA", "ao", []),
                ("pha", "PHA", "sma", []),
                ("rha", "RHA", "pha", R),
                ("lha", "LHA", "pha", ["II", "III", "IV"]),
            )
        )
        assert result.michels != "IX"


class TestItem9Levels:
    def test_an_accessory_lha_feeding_only_ii_treats_ii(self) -> None:
        document = case(
            ("ao", "aorta", None, []),
            ("ct", "celiac trunk", "ao", []),
            ("lga", "LGA", "ct", []),
            ("alha", "accessory LHA", "lga", ["II"]),
            ("cha", "CHA", "ct", []),
            ("pha", "PHA", "cha", []),
            ("rha", "RHA", "pha", R),
            ("lha", "LHA", "pha", ["III", "IV"]),
            ("sma", "SMA", "ao", []),
            tumors=[{"id": "t1", "segments": ["II"]}],
        )
        plan = planned(document)
        tip = plan.positions[0].position
        assert tip.vessel == "alha" and tip.level == "segmental"
        assert [s.value for s in sorted(tip.segments, key=lambda s: s.rank)] == ["II"]
