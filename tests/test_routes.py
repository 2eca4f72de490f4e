"""The route map and single positions (planning/routes.py, planning/positions.py): where a
tip may sit, how far a chain runs, and what a tip at a vessel means."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anatomy.case import parse_case
from anatomy.classification.annotate import Anatomy, annotate
from anatomy.planning.positions import level_of, position
from anatomy.planning.routes import _continues, chain, nearest_heads, route_map
from anatomy.reference.vocabulary import groups_with
from anatomy.segments import parse_segment
from tests import trees
from tests.test_plan_properties import random_case
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


# -- the route map against its definition, vessel by vessel ------------------------------


def plain_route_map(note: Anatomy) -> dict[str, list[Any]]:
    """The route map as defined, one vessel at a time in pre-order (the fast one looks only
    at the vessels outside the common case, and fills chain tops run by run)."""
    order, up = note.tree.preorder, note.tree.up
    tip_groups = groups_with("tip")
    allowed = [g is None or g in tip_groups for g in note.groups_at]
    axis, arteries = set(note.axis), {a.vessel: a for a in note.arteries}
    n = len(order)
    extends, top, lobar = [False] * n, list(range(n)), list(range(n))
    for i in range(1, n):
        j = up[i]
        if allowed[i] and allowed[j]:
            inside = note.artery_at[j] is not None and order[i] not in axis
            if (inside and order[i] not in arteries) or _continues(
                order[i], order[j], axis, arteries, note.artery_of, note.collateral
            ):
                extends[i] = True
                top[i] = top[j]
                lobar[i] = lobar[j] if order[j] not in axis else i
    return {"allowed_at": allowed, "extends_at": extends, "top_at": top, "lobar_at": lobar}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=random_case())
def test_the_route_map_is_its_definition(document: dict[str, Any]) -> None:
    note = annotate(parse_case(document).tree)
    routes = route_map(note)
    for field, expected in plain_route_map(note).items():
        assert list(getattr(routes, field)) == expected, field


def test_deep_chains_of_trunks_are_linear() -> None:
    """Chain heads nested 3,000 deep (trunks, each with a hepatic branch): every head's run
    holds all below it, and the tops are still each position's nearest head."""
    vessels: list[dict[str, Any]] = [{"id": "t0", "kind": "aorta"}]
    for i in range(1, 3000):
        vessels.append({"id": f"t{i}", "kind": "SMA", "parent": f"t{i - 1}"})
        vessels.append({"id": f"b{i}", "parent": f"t{i}"})
    vessels.append({"id": "rha", "kind": "RHA", "parent": "t2999", "supplies": ["VII"]})
    note = annotate(parse_case({"vessels": vessels}).tree)
    routes = route_map(note)
    for field, expected in plain_route_map(note).items():
        assert list(getattr(routes, field)) == expected, field


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=60), st.data())
def test_nearest_heads_is_the_nearest_head_above(parents: list[int], data: Any) -> None:
    up = [-1] + [p % i for i, p in enumerate(parents[1:], start=1)]  # parents come first
    kids: dict[int, list[int]] = {i: [] for i in range(len(up))}
    for i, j in enumerate(up[1:], start=1):
        kids[j].append(i)
    order, stack = [], [0]  # pre-order positions, as the route map has them
    while stack:
        i = stack.pop()
        order.append(i)
        stack.extend(reversed(kids[i]))
    at = {i: k for k, i in enumerate(order)}
    up_at = [-1] + [at[up[i]] for i in order[1:]]
    size = [1] * len(up_at)
    for k in range(len(up_at) - 1, 0, -1):
        size[up_at[k]] += size[k]
    heads = {0} | set(data.draw(st.lists(st.integers(0, len(up_at) - 1))))
    expected = []
    for k in range(len(up_at)):
        while k not in heads:
            k = up_at[k]
        expected.append(k)
    assert nearest_heads(heads, size) == expected
