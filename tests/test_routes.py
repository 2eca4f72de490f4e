"""The route map and single positions (planning/routes.py, planning/positions.py): where a
tip may sit, how far a chain runs, and what a tip at a vessel means."""

from __future__ import annotations

from anatomy.planning.positions import level_of, position
from anatomy.planning.routes import chain, route_map
from anatomy.segments import parse_segment
from tests import trees
from tests.trees import R, annotated, case

SEED_LIKE = case(
    ("ao", "aorta", None, []),
    ("ct", "celiac_trunk", "ao", []),
    ("cha", "CHA", "ct", []),
    ("gda", "GDA", "cha", []),
    ("pha", "PHA", "cha", []),
    ("lha", "LHA", "pha", ["II", "III", "IV"]),
    ("rga", "right gastric", "lha", []),
    ("sma", "SMA", "ao", []),
    ("rrha", "RHA", "sma", R),
)


def test_no_tip_in_the_aorta_or_a_visceral_trunk() -> None:
    routes = route_map(annotated(SEED_LIKE))
    allowed = dict(zip(routes.order, routes.allowed_at, strict=True))
    assert not allowed["ao"] and not allowed["ct"] and not allowed["sma"]
    assert allowed["cha"] and allowed["lha"] and allowed["rrha"]


def test_a_normal_artery_chains_up_the_axis_an_aberrant_one_stops_at_itself() -> None:
    routes = route_map(annotated(SEED_LIKE))
    assert chain(routes, "lha") == ["lha", "pha", "cha"]
    assert chain(routes, "rrha") == ["rrha"]


def test_non_target_vessels_are_counted_below_each_position() -> None:
    routes = route_map(annotated(SEED_LIKE))
    below = routes.non_target_below
    assert below["lha"] == 1 and below["pha"] == 1 and below["cha"] == 2  # rga; rga + gda


def test_a_position_names_its_route_and_what_lies_downstream() -> None:
    routes = route_map(annotated(SEED_LIKE))
    tip = position(routes, "lha", "femoral", parse_segment("III"), parse_segment("III"))
    assert tip.route_text == "R femoral > EIA > CIA > Ao > CA > CHA > PHA > LHA"
    assert [b.vessel for b in tip.downstream] == ["rga"]
    assert tip.downstream[0].protection[0].id == "advance_beyond"  # data/non_target.yaml
    assert tip.level == "segmental"  # it treats III only


def test_levels_follow_the_territory_treated() -> None:
    routes = route_map(annotated(trees.TYPE_I))
    assert level_of(routes, "pha", parse_segment("V") | parse_segment("II")) == "whole_liver"
    assert level_of(routes, "rha", frozenset().union(*map(parse_segment, R))) == "lobar"
    assert level_of(routes, "rha", parse_segment("VI") | parse_segment("VII")) == "sectoral"
