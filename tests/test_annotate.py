"""Annotation (classification/annotate.py): the hepatic axis, the arteries, their origins
and statuses, and names read against territory (DESIGN.md, "Classification: the rules")."""

from __future__ import annotations

from anatomy.classification.annotate import Anatomy, annotate
from tests import trees
from tests.trees import R, annotated, case


def artery(anatomy: Anatomy, vessel: str) -> tuple[str, str, str]:
    (found,) = [a for a in anatomy.arteries if a.vessel == vessel]
    return found.side, found.status, found.origin_kind


def test_the_axis_is_the_cha_and_pha_top_down() -> None:
    anatomy = annotated(trees.TYPE_I)
    assert anatomy.axis == ("cha", "pha") and anatomy.axis_origin_kind == "celiac_trunk"


def test_an_unnamed_trunk_spanning_both_sides_is_the_axis_song_2010() -> None:
    anatomy = annotated(
        case(
            ("ao", "aorta", None, []),
            ("ct", "celiac_trunk", "ao", []),
            ("x", None, "ct", []),
            ("r", None, "x", R),
            ("l", None, "x", ["II", "III"]),
        )
    )
    assert anatomy.axis == ("x",)
    assert artery(anatomy, "r") == ("right", "normal", "hepatic_axis")
    assert artery(anatomy, "l") == ("left", "normal", "hepatic_axis")


def test_replaced_and_accessory_by_whether_normal_supply_reaches_the_side() -> None:
    assert artery(annotated(trees.TYPE_III), "rrha") == ("right", "replaced", "superior_mesenteric")
    assert artery(annotated(trees.TYPE_VI), "arha")[1] == "accessory"


def test_unnamed_branches_are_transparent_for_the_origin() -> None:
    anatomy = annotated(
        case(
            ("ao", "aorta", None, []),
            ("ct", "celiac_trunk", "ao", []),
            ("cha", "CHA", "ct", []),
            ("lha", "LHA", "cha", ["II", "III", "IV"]),
            ("sma", "SMA", "ao", []),
            ("b1", None, "sma", []),
            ("b2", None, "b1", R),
        )
    )
    assert artery(anatomy, "b1") == ("right", "replaced", "superior_mesenteric")


def test_a_name_its_territory_contradicts_is_reread_and_warned() -> None:
    anatomy = annotated(trees.MISLABELLED_RHA)
    (warning,) = [w for w in anatomy.warnings if w.code == "kind_contradicted"]
    assert warning.vessel is not None
    assert anatomy.effective(warning.vessel) == "left_hepatic"


def test_annotation_is_pure() -> None:
    tree = annotated(trees.TYPE_VII).tree
    assert annotate(tree) == annotate(tree)
