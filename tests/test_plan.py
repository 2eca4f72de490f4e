"""The TACE planner: feeders, catheter positions, the recommended plan and its warnings.

Fixtures are small literal trees named for what they show; each cites where its anatomy
comes from (keys of shared/reference/anatomy-facts.md §11).
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from anatomy.case import Case, Tumor, load_case, parse_case
from anatomy.classification.annotate import annotate
from anatomy.cli.main import main
from anatomy.output.documents import dumps, plan_dict, plan_document
from anatomy.output.text import plan_text
from anatomy.planning.plan import Plan
from anatomy.planning.routes import _non_target_below, chain, route_map
from anatomy.reference.patterns import michels_patterns, non_michels_patterns
from anatomy.reference.vocabulary import kind
from anatomy.segments import Segment, parse_segment
from anatomy.tree import Tree
from tests import trees
from tests.trees import classified, planned

SEED = Path(__file__).resolve().parents[1] / "data" / "cases" / "khassaf-2025-net.yaml"
LITERATURE = Path(__file__).resolve().parent / "literature"
NO_TIP = {"aortic", "visceral_trunk", "access"}
R = ["V", "VI", "VII", "VIII"]


def seed_case() -> dict[str, Any]:
    """Khassaf & Abed 2025 (the seed report): replaced RHA from the SMA, Michels III."""
    return {
        "id": "khassaf-2025-net",
        "vessels": [
            {"id": "ao", "kind": "aorta"},
            {"id": "ct", "kind": "celiac trunk", "parent": "ao"},
            {"id": "lga", "kind": "LGA", "parent": "ct"},
            {"id": "spl", "kind": "splenic", "parent": "ct"},
            {"id": "cha", "kind": "CHA", "parent": "ct"},
            {"id": "gda", "kind": "GDA", "parent": "cha"},
            {"id": "pha", "kind": "PHA", "parent": "cha"},
            {"id": "lha", "kind": "LHA", "parent": "pha", "supplies": ["II", "III", "IV"]},
            {"id": "sma", "kind": "SMA", "parent": "ao"},
            {"id": "rrha", "kind": "replaced RHA", "parent": "sma", "supplies": R},
        ],
        "tumors": [
            {"id": "t1", "segments": ["IV"], "diameter_mm": 85, "short_axis_mm": 70},
            {"id": "t2", "segments": ["II", "III"], "diameter_mm": 47, "short_axis_mm": 44},
        ],
    }


def every_segment(diameter: float = 30.0) -> tuple[Tumor, ...]:
    return tuple(
        Tumor(f"t-{s.value.lower()}", frozenset({s}), diameter_mm=diameter) for s in Segment
    )


def plan_of(document: dict[str, Any], access: str = "femoral") -> Plan:
    return planned(document, access)  # type: ignore[arg-type]


def tumor(plan: Plan, tumor_id: str) -> Any:
    return next(t for t in plan.tumors if t.tumor.id == tumor_id)


def targets(plan: Plan, tumor_id: str) -> list[str]:
    item = tumor(plan, tumor_id)
    return [plan.positions[n - 1].position.vessel for n in item.targets]


def codes(plan: Plan, tumor_id: str) -> list[str]:
    return [w.code for w in tumor(plan, tumor_id).warnings]


def check_routes(tree: Tree, plan: Plan) -> None:
    """The invariants every plan keeps, checked from first principles.

    Every route is a real path from the root, never ends on a visceral trunk, the aorta or
    an access artery, passes through the replaced/accessory artery of every feeder it
    serves, and every reachable feeder of every tumor is reached; a feeder that cannot
    hold a tip and a segment with no feeder get a warning instead of a route.
    """
    note = plan.anatomy
    own = note.territories.own
    arteries = {a.vessel: a for a in note.arteries}
    for target in plan.positions:
        tip = target.position
        assert tip.path == tree.path(tip.vessel)
        assert [s.vessel for s in tip.route if s.vessel is not None] == list(tip.path)
        name = note.effective_kind.get(tip.vessel)
        assert name is None or kind(name).group not in NO_TIP, tip.vessel
    for item in plan.tumors:
        mine = [plan.positions[n - 1].position for n in item.targets]
        expected = {n for n in tree.preorder if own[n] & item.tumor.segments} | set(
            item.tumor.feeders
        )
        assert {f.vessel for f in item.feeders} == expected
        for feeder in item.feeders:
            node = feeder.vessel
            group = kind(note.effective_kind[node]).group if note.effective_kind.get(node) else None
            if group in NO_TIP:
                assert not feeder.reachable
                assert any(w.code == "feeder_is_trunk" and w.vessel == node for w in item.warnings)
                continue
            if feeder.way_in:
                # An observed feeder on the hepatic axis is passed through: a vessel below
                # it supplies the tumor, is a feeder too, and is reached (checked in turn).
                assert node in note.axis and feeder.observed
                assert any(w.code == "way_in" and w.vessel == node for w in item.warnings)
                assert any(f.segments and node in tree.path(f.vessel)[:-1] for f in item.feeders), (
                    node
                )
                continue
            above = list(tree.path(node))
            reaching = [t for t in mine if t.vessel in above]
            assert reaching, f"feeder {node} of {item.tumor.id} is not reached"
            tip = reaching[-1]
            between = above[above.index(tip.vessel) :]
            for step in between:
                step_kind = note.effective_kind.get(step)
                assert step_kind is None or kind(step_kind).group not in NO_TIP
            artery = arteries.get(note.artery_of.get(node, ""))
            if artery is not None and not artery.normal:
                assert artery.vessel in tip.path, (node, artery.vessel, tip.path)
        for segment in item.tumor.segments:
            if not any(own[n] & {segment} for n in tree.preorder):
                assert any(
                    w.code == "no_feeder"
                    and (
                        segment.value in w.segments
                        or ("IV" in w.segments and segment.value.startswith("IV"))
                    )
                    for w in item.warnings
                )


# -- the seed report (Khassaf & Abed 2025) ---------------------------------------------


class TestSeed:
    def test_t1_and_t2_are_reached_through_the_celiac_never_a_trunk(self) -> None:
        plan = plan_of(seed_case())
        for tumor_id in ("t1", "t2"):
            (tip,) = targets(plan, tumor_id)
            assert tip == "lha"
        route = plan.positions[0].position
        assert list(route.path) == ["ao", "ct", "cha", "pha", "lha"]
        assert route.route_text == "R femoral > EIA > CIA > Ao > CA > CHA > PHA > LHA"
        assert route.level == "lobar"
        check_routes(parse_case(seed_case()).tree, plan)

    def test_the_example_file(self) -> None:
        plan = planned(load_case(SEED))
        assert [targets(plan, t) for t in ("t1", "t2")] == [["lha"], ["lha"]]

    def test_a_segment_vii_tumor_goes_through_the_sma(self) -> None:
        document = seed_case()
        document["tumors"].append({"id": "t3", "segments": ["VII"], "diameter_mm": 20})
        plan = plan_of(document)
        (number,) = tumor(plan, "t3").targets
        tip = plan.positions[number - 1].position
        assert list(tip.path) == ["ao", "sma", "rrha"]
        assert tip.route_text == "R femoral > EIA > CIA > Ao > SMA > rRHA"
        assert "replaced-rha-from-sma" in [a.id for a in plan.positions[number - 1].advice]
        assert "variant_route" in codes(plan, "t3")

    def test_the_85_mm_tumor_prompts_for_collaterals_phrenic_first(self) -> None:
        plan = plan_of(seed_case())
        (check,) = [w for w in tumor(plan, "t1").warnings if w.code == "collateral_check"]
        assert check.collaterals[0].collateral.id == "right-inferior-phrenic"
        assert "61.8%" in check.message and "85 mm" in check.message
        assert "collateral_check" not in codes(plan, "t2")  # 47 mm, no location words

    def test_an_alternative_equal_to_the_plan_says_so(self) -> None:
        plan = plan_of(seed_case())
        by_name = {a.name: a for a in plan.alternatives}
        assert by_name["lobar"].same_as == "recommended"
        assert [p.vessel for p in by_name["whole_liver"].positions] == ["pha"]
        assert by_name["whole_liver"].same_as is None

    def test_the_text_reads_like_a_note(self) -> None:
        document = seed_case()
        document["tumors"].append({"id": "t3", "segments": ["VII"]})
        text = plan_text(plan_of(document), "khassaf-2025-net")
        assert "Route: R femoral > EIA > CIA > Ao > SMA > rRHA" in text
        assert "Route: R femoral > EIA > CIA > Ao > CA > CHA > PHA > LHA" in text
        assert "1. right inferior phrenic artery" in text
        assert "Select the SMA" in text
        assert "Avoid:" in text and "Look for:" in text


# -- every Michels type, tumors in every segment -----------------------------------------

PATTERN_EXAMPLES = [
    pytest.param(p.example, id=p.id) for p in (*michels_patterns(), *non_michels_patterns())
]
LITERAL_TREES = [
    pytest.param(tree, id=f"trees-{name}")
    for name, tree in {
        **trees.MICHELS,
        "rha-from-gda": trees.RHA_FROM_GDA,
        "rha-from-pda": trees.RHA_FROM_PDA,
        "rha-from-celiac": trees.RHA_FROM_CELIAC,
        "rha-from-aorta": trees.RHA_FROM_AORTA,
        "cha-from-aorta": trees.CHA_FROM_AORTA,
        "pha-from-sma": trees.PHA_FROM_SMA,
        "double": trees.DOUBLE_HEPATIC,
    }.items()
]
LITERATURE_CASES = [
    pytest.param(p, id=p.stem) for p in sorted(LITERATURE.glob("*.yaml")) if p.stem != "expected"
]


def _without_tumors(document: Any) -> dict[str, Any]:
    out = dict(copy.deepcopy(document))
    out.pop("tumors", None)
    return out


@pytest.mark.parametrize("document", PATTERN_EXAMPLES + LITERAL_TREES)
def test_every_anatomy_with_tumors_everywhere_keeps_the_route_invariants(
    document: dict[str, Any],
) -> None:
    case = parse_case(_without_tumors(document))
    for access in ("femoral", "radial"):
        plan = planned(case, access, every_segment())  # type: ignore[arg-type]
        check_routes(case.tree, plan)


@pytest.mark.parametrize("path", LITERATURE_CASES)
def test_published_anatomies_keep_the_route_invariants(path: Path) -> None:
    case = load_case(path)
    check_routes(case.tree, planned(case, tumors=every_segment()))


@pytest.mark.parametrize(
    ("name", "artery", "via"),
    [
        ("III", "rrha", "sma"),
        ("IV", "rrha", "sma"),
        ("IV", "rlha", "lga"),
        ("VIIIa", "rrha", "sma"),
        ("VIIIb", "rlha", "lga"),
        ("II", "rlha", "lga"),
        ("IX", "cha", "sma"),
        ("X", "cha", "lga"),
    ],
)
def test_aberrant_routes_run_through_their_trunk(name: str, artery: str, via: str) -> None:
    """Michels 1966 (S1 via S2, S3): where each aberrant artery arises."""
    plan = planned(trees.MICHELS[name], tumors=every_segment())
    paths = [t.position.path for t in plan.positions]
    through = [p for p in paths if artery in p]
    assert through and all(p[p.index(artery) - 1] == via for p in through)


# -- fixtures named for what they show ---------------------------------------------------


def celiac_with(*vessels: tuple[str, str | None, str, list[str]], **extra: Any) -> dict[str, Any]:
    base = [
        ("ao", "aorta", None, []),
        ("ct", "celiac_trunk", "ao", []),
        ("lga", "left_gastric", "ct", []),
        ("spl", "splenic", "ct", []),
        ("sma", "superior_mesenteric", "ao", []),
        ("cha", "common_hepatic", "ct", []),
        ("gda", "gastroduodenal", "cha", []),
        ("pha", "proper_hepatic", "cha", []),
    ]
    return trees.case(*base, *vessels, **extra)


# The cystic artery from the RHA (70-80 %, S50); the right gastric (S61, S62) and the hepatic
# falciform artery (AJR 1999: LHA 14/16, S38) from the LHA. Lobar arteries that supply
# their segments directly: the only tip is lobar, with those branches downstream.
LOBAR_WITH_NON_TARGET_BRANCHES = celiac_with(
    ("rha", "right_hepatic", "pha", R),
    ("cys", "cystic", "rha", []),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
    ("rga", "right_gastric", "lha", []),
    ("hfa", "hepatic_falciform", "lha", []),
)
# The same, with sectoral and segmental arteries beyond those branches (S23, S52, S53).
SEGMENTAL_BEYOND_NON_TARGET_BRANCHES = celiac_with(
    ("rha", "right_hepatic", "pha", []),
    ("cys", "cystic", "rha", []),
    ("ras", "right_anterior_sectoral", "rha", []),
    ("a5", "segment_5_artery", "ras", ["V"]),
    ("a8", "segment_8_artery", "ras", ["VIII"]),
    ("rps", "right_posterior_sectoral", "rha", []),
    ("a6", "segment_6_artery", "rps", ["VI"]),
    ("a7", "segment_7_artery", "rps", ["VII"]),
    ("lha", "left_hepatic", "pha", []),
    ("rga", "right_gastric", "lha", []),
    ("hfa", "hepatic_falciform", "lha", []),
    ("a2", "segment_2_artery", "lha", ["II"]),
    ("a3", "segment_3_artery", "lha", ["III"]),
    ("a4", "middle_hepatic", "lha", ["IV"]),
)
# Michels VI with an accessory RHA sharing segments VI and VII with the native RHA
# (Li 2019, S59: an accessory RHA may supply part of the right liver).
ACCESSORY_RHA_SHARING_SEGMENTS = celiac_with(
    ("rha", "right_hepatic", "pha", R),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
    ("arha", "accessory RHA", "sma", ["VI", "VII"]),
)
# A right inferior phrenic artery from the aorta seen feeding a dome tumor in VII
# (the commonest extrahepatic collateral: Chung 2006, S30; Tanabe 1998, S35).
PHRENIC_COLLATERAL = celiac_with(
    ("rha", "right_hepatic", "pha", R),
    ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
    ("ripa", "right_inferior_phrenic", "ao", []),
    tumors=[
        {"id": "t1", "segments": ["VII"], "diameter_mm": 30, "feeders": ["ripa"], "label": "dome"}
    ],
)
# The seed's anatomy studied with a celiac run only: the right liver shows no feeder.
CELIAC_RUN_ONLY = celiac_with(("lha", "left_hepatic", "pha", ["II", "III", "IV"]))


def with_tumors(document: dict[str, Any], *tumors: dict[str, Any]) -> dict[str, Any]:
    return {**copy.deepcopy(document), "tumors": list(tumors)}


class TestNonTargetBranches:
    def test_downstream_of_a_lobar_position_they_are_warned(self) -> None:
        right = plan_of(
            with_tumors(LOBAR_WITH_NON_TARGET_BRANCHES, {"id": "r", "segments": ["VII"]})
        )
        left = plan_of(
            with_tumors(LOBAR_WITH_NON_TARGET_BRANCHES, {"id": "l", "segments": ["III"]})
        )
        assert targets(right, "r") == ["rha"] and targets(left, "l") == ["lha"]
        rha, lha = right.positions[0].position, left.positions[0].position
        assert rha.level == lha.level == "lobar"
        assert [b.vessel for b in rha.downstream] == ["cys"]
        assert [b.vessel for b in lha.downstream] == ["hfa", "rga"]
        assert {b.advice for b in lha.downstream} == {"advance_beyond"}
        # No tip beyond them reaches the tumor (the lobar artery feeds it itself): each
        # branch is to be protected first, with its organ at risk and the options.
        for plan, tumor_id, vessels in ((right, "r", ["cys"]), (left, "l", ["hfa", "rga"])):
            found = [w for w in tumor(plan, tumor_id).warnings if w.code == "protect_first"]
            assert [w.vessel for w in found] == vessels
            assert all("organ at risk" in w.message and "Options:" in w.message for w in found)
        (hfa,) = [w for w in tumor(left, "l").warnings if w.vessel == "hfa"]
        assert "ice pack" in hfa.message  # data/non_target.yaml: the falciform's skin
        assert right.cost.non_target == 1 and left.cost.non_target == 2

    def test_one_injection_for_both_lobes_is_never_preferred(self) -> None:
        # Tumors in VII and III: RHA + LHA treat exactly what the PHA treats, with the same
        # non-target branches downstream. Selectivity comes before the number of positions:
        # one tip per tumor, lobar, and the advice to stage the lobes (CIRSE 2021, S72).
        plan = plan_of(
            with_tumors(
                LOBAR_WITH_NON_TARGET_BRANCHES,
                {"id": "r", "segments": ["VII"]},
                {"id": "l", "segments": ["III"]},
            )
        )
        assert targets(plan, "r") == ["rha"] and targets(plan, "l") == ["lha"]
        assert plan.cost.bilobar == 0
        (stage,) = [w for w in plan.warnings if w.code == "stage_lobes"]
        assert "S72" in stage.sources
        whole = next(a for a in plan.alternatives if a.name == "whole_liver")
        assert [p.vessel for p in whole.positions] == ["pha"] and whole.cost.bilobar == 1

    def test_a_segmental_position_beyond_them_is_not_warned(self) -> None:
        plan = plan_of(
            with_tumors(
                SEGMENTAL_BEYOND_NON_TARGET_BRANCHES,
                {"id": "r", "segments": ["VII"]},
                {"id": "l", "segments": ["II", "III"]},
                {"id": "m", "segments": ["IV"]},
            )
        )
        assert targets(plan, "r") == ["a7"]
        assert targets(plan, "l") == ["a2", "a3"]  # two tips rather than the RGA and HFA
        assert targets(plan, "m") == ["a4"]
        for tumor_id in ("r", "l", "m"):
            assert "protect_first" not in codes(plan, tumor_id)
        assert plan.cost.non_target == 0
        a7 = plan.positions[tumor(plan, "r").targets[0] - 1].position
        assert a7.level == "segmental" and a7.non_tumor_segments == frozenset()
        assert list(a7.branch_points) == ["ao", "ct", "cha", "pha", "rha", "rps"]

    def test_alternatives_show_the_trade_off(self) -> None:
        plan = plan_of(
            with_tumors(
                SEGMENTAL_BEYOND_NON_TARGET_BRANCHES, {"id": "r", "segments": ["VII", "VIII"]}
            )
        )
        assert sorted(targets(plan, "r")) == ["a7", "a8"]
        by_name = {a.name: a for a in plan.alternatives}
        lobar = by_name["lobar"]
        assert [p.vessel for p in lobar.positions] == ["rha"]
        assert lobar.cost.non_target == 1  # the cystic artery
        assert lobar.cost.non_tumor_segments == 2  # V and VI
        whole = by_name["whole_liver"]
        assert [p.vessel for p in whole.positions] == ["pha"]
        assert whole.positions[0].level == "whole_liver"


class TestSupply:
    def test_dual_supply_reaches_both_arteries(self) -> None:
        plan = plan_of(
            with_tumors(ACCESSORY_RHA_SHARING_SEGMENTS, {"id": "t1", "segments": ["VII"]})
        )
        assert sorted(targets(plan, "t1")) == ["arha", "rha"]
        found = codes(plan, "t1")
        assert "dual_supply" in found and "accessory_and_native" in found
        assert "accessory-rha-from-sma" in [w.advice for w in tumor(plan, "t1").warnings]

    def test_observed_collateral_feeder_is_a_position(self) -> None:
        plan = plan_of(PHRENIC_COLLATERAL)
        assert sorted(targets(plan, "t1")) == ["rha", "ripa"]
        ripa = next(t.position for t in plan.positions if t.position.vessel == "ripa")
        assert list(ripa.path) == ["ao", "ripa"]
        assert ripa.tip_non_target is not None and ripa.segments == parse_segment("VII")
        assert ripa.level == "extrahepatic"  # a collateral tip, never "segmental"
        found = codes(plan, "t1")
        assert "protect_first" in found and "collateral_check" in found
        (check,) = [w for w in tumor(plan, "t1").warnings if w.code == "collateral_check"]
        assert check.collaterals[0].seen == ("ripa",)

    def test_segment_with_no_feeder_is_warned_never_routed(self) -> None:
        plan = plan_of(with_tumors(CELIAC_RUN_ONLY, {"id": "t1", "segments": ["VII"]}))
        assert targets(plan, "t1") == []
        (warning,) = [w for w in tumor(plan, "t1").warnings if w.code == "no_feeder"]
        assert warning.segments == ("VII",)
        assert any("SMA" in u.study for u in warning.usual_feeders)
        assert plan.positions == ()

    def test_a_trunk_supplying_a_segment_gets_a_warning_not_a_route(self) -> None:
        document = celiac_with(("lha", "left_hepatic", "pha", ["II", "III", "IV"]))
        document["vessels"][4]["supplies"] = ["VI"]  # sma: an unlisted branch feeds VI
        assert document["vessels"][4]["id"] == "sma"
        plan = plan_of(with_tumors(document, {"id": "t1", "segments": ["VI"]}))
        assert targets(plan, "t1") == []
        assert "feeder_is_trunk" in codes(plan, "t1")

    def test_segment_iv_means_both_halves(self) -> None:
        document = celiac_with(
            ("lha", "left_hepatic", "pha", ["II", "III"]),
            ("a4a", "segment_4a_artery", "lha", ["IVa"]),
            ("a4b", "segment_4b_artery", "lha", ["IVb"]),
            ("rha", "right_hepatic", "pha", R),
        )
        plan = plan_of(with_tumors(document, {"id": "t1", "segments": ["IV"]}))
        assert targets(plan, "t1") == ["a4a", "a4b"]

    def test_assumed_territory_is_marked(self) -> None:
        document = celiac_with(
            ("rha", "right_hepatic", "pha", []), ("lha", "left_hepatic", "pha", ["II", "III", "IV"])
        )
        plan = plan_of(with_tumors(document, {"id": "t1", "segments": ["VI"]}))
        (feeder,) = tumor(plan, "t1").feeders
        assert feeder.vessel == "rha" and feeder.assumed == parse_segment("VI")
        assert "assumed_territory" in codes(plan, "t1")


class TestRoutes:
    @pytest.mark.parametrize(
        ("access", "way_in"),
        [
            ("femoral", "R femoral > EIA > CIA"),
            ("right-femoral", "R femoral > EIA > CIA"),
            ("left-femoral", "L femoral > EIA > CIA"),
            ("radial", "L radial > brachial > axillary > L SCA > arch > DTA"),
            ("left-radial", "L radial > brachial > axillary > L SCA > arch > DTA"),
            ("right-radial", "R radial > brachial > axillary > R SCA > BCT > arch > DTA"),
        ],
    )
    def test_every_access_shares_the_tree_path(self, access: str, way_in: str) -> None:
        # data/access.yaml: from the right wrist through the brachiocephalic trunk, from
        # the left through the left subclavian artery straight to the arch.
        document = with_tumors(trees.TYPE_III, {"id": "t1", "segments": ["VII"]})
        planned_here = plan_of(document, access)
        tip = planned_here.positions[0].position
        assert tip.path == ("ao", "sma", "rrha")
        assert tip.route_text == f"{way_in} > Ao > SMA > rRHA"
        assert planned_here.access in ("femoral", "left-femoral", "radial", "right-radial")

    def test_an_unknown_access_is_refused_with_the_choices(self) -> None:
        with pytest.raises(ValueError, match="left-femoral"):
            plan_of(trees.TYPE_III, "elbow")

    def test_a_partial_study_implies_the_aorta(self) -> None:
        document = trees.case(
            ("ct", "celiac_trunk", None, []),
            ("cha", "common_hepatic", "ct", []),
            ("pha", "proper_hepatic", "cha", []),
            ("rha", "right_hepatic", "pha", R),
            ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
        )
        plan = plan_of(with_tumors(document, {"id": "t1", "segments": ["V"]}))
        tip = plan.positions[0].position
        assert tip.route_text == "R femoral > EIA > CIA > Ao > CA > CHA > PHA > RHA"
        assert [s.implied for s in tip.route].count(True) == 1
        assert "partial_study" in [w.code for w in plan.warnings]

    def test_narrowest_vessel_and_levels(self) -> None:
        document = with_tumors(
            SEGMENTAL_BEYOND_NON_TARGET_BRANCHES, {"id": "t1", "segments": ["VIII"]}
        )
        for item in document["vessels"]:
            item["diameter_mm"] = {
                "ao": 20,
                "cha": 5,
                "pha": 4,
                "rha": 3.5,
                "ras": 2.1,
                "a8": 1.4,
            }.get(item["id"], 6)
        plan = plan_of(document)
        tip = plan.positions[0].position
        assert tip.narrowest == ("a8", 1.4)
        assert {p.vessel: p.level for a in plan.alternatives for p in a.positions} == {
            "rha": "lobar",
            "pha": "whole_liver",
        }

    def test_subsegmental_branch(self) -> None:
        document = celiac_with(
            ("rha", "right_hepatic", "pha", R[:3]),
            ("a8", "segment_8_artery", "rha", []),
            ("a8v", None, "a8", ["VIII"]),
            ("a8d", None, "a8", ["VIII"]),
            ("lha", "left_hepatic", "pha", ["II", "III", "IV"]),
            tumors=[{"id": "t1", "segments": ["VIII"], "feeders": ["a8v"]}],
        )
        routes = route_map(annotate(parse_case(document).tree))
        assert chain(routes, "a8v") == ["a8v", "a8", "rha", "pha", "cha"]
        plan = plan_of(document)
        assert targets(plan, "t1") == ["a8"]  # a8v and a8d both feed VIII: one tip at A8
        from anatomy.planning.positions import level_of

        assert level_of(routes, "a8v", parse_segment("VIII")) == "subsegmental"


class TestOutput:
    def test_json_has_the_keys_other_tools_rely_on(self) -> None:
        case = parse_case(seed_case())
        document = json.loads(dumps(plan_document(case, classified(case), planned(case))))
        tumors = document["plan"]["tumors"]
        assert [t["id"] for t in tumors] == ["t1", "t2"]
        target = tumors[0]["targets"][0]
        assert target["vessel"] == "lha" and target["path"] == ["ao", "ct", "cha", "pha", "lha"]
        assert document["plan"]["positions"][0]["number"] == 1
        assert document["tool_version"] and document["data_version"].startswith("sha256:")

    def test_json_is_deterministic_and_order_independent(self) -> None:
        document = with_tumors(
            SEGMENTAL_BEYOND_NON_TARGET_BRANCHES,
            {"id": "a", "segments": ["VII", "II"], "diameter_mm": 60},
            {"id": "b", "segments": ["IV"], "label": "subcapsular"},
        )
        first = dumps(plan_dict(plan_of(document)))
        assert dumps(plan_dict(plan_of(document))) == first
        shuffled = copy.deepcopy(document)
        random.Random(7).shuffle(shuffled["vessels"])
        assert dumps(plan_dict(plan_of(shuffled))) == first

    def test_no_tumors_no_positions(self) -> None:
        plan = plan_of(trees.TYPE_I)
        assert plan.positions == () and plan.tumors == () and plan.warnings == ()
        assert "nothing to plan" in plan_text(plan)


class TestCli:
    def invoke(self, *args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(main, list(args))
        return result.exit_code, result.stdout, result.stderr

    def test_plan_text_and_json(self, tmp_path: Path) -> None:
        path = tmp_path / "case.json"
        path.write_text(json.dumps(seed_case()))
        code, out, _ = self.invoke("plan", str(path))
        assert code == 0 and "Michels III" in out and "CA > CHA > PHA > LHA" in out
        code, out, _ = self.invoke("plan", str(path), "--json", "--access", "radial")
        assert code == 0
        document = json.loads(out)
        assert document["classification"]["michels"] == "III"
        assert document["plan"]["access"]["site"] == "radial"

    def test_bad_case_is_a_clean_error(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.yaml"
        path.write_text("vessels:\n  - {id: ao, kind: aorta}\ntumors:\n  - {id: t1}\n")
        code, _out, err = self.invoke("plan", str(path))
        assert code == 2 and "Traceback" not in err and "segments" in err


def test_a_case_object_plans_too() -> None:
    case: Case = parse_case(seed_case())
    assert planned(case).cost.positions == 1
    assert case.tree.vessel["rrha"].status == "replaced"


class TestNonTargetCounts:
    """Non-target vessels below each position: walked up from each one when they are few,
    counted in one post-order pass when walking would cost more; both give the same."""

    @staticmethod
    def reference(groups: list[str | None], up: list[int]) -> list[int]:
        below = [int(g in ("extrahepatic", "collateral", "visceral_trunk")) for g in groups]
        for i in range(len(up) - 1, 0, -1):
            below[up[i]] += below[i]
        return below

    @pytest.mark.parametrize("deep", [False, True])
    @pytest.mark.parametrize("share", [0.0, 0.01, 0.5, 1.0])
    def test_both_ways_agree(self, share: float, deep: bool) -> None:
        # Shallow random trees walk up (few, short walks); deep chains fall back to the pass.
        rng = random.Random(7)
        n = 2000
        up = [-1] + [rng.randrange(max(0, i - 3) if deep else 0, i) for i in range(1, n)]
        groups: list[str | None] = [
            "extrahepatic" if rng.random() < share else None for _ in range(n)
        ]
        named = [i for i, group in enumerate(groups) if group is not None]
        assert _non_target_below(groups, named, up) == self.reference(groups, up)
