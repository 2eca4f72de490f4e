"""Feeders (planning/feeders.py): which vessels feed each tumor, observed feeders, and an
observed feeder on the hepatic axis read as a way in."""

from __future__ import annotations

from anatomy.case import Tumor
from anatomy.planning.feeders import tumor_feeders
from anatomy.planning.routes import route_map
from anatomy.segments import parse_segment
from tests import trees
from tests.trees import annotated


def feeders_of(document: dict, *tumors: Tumor) -> list:  # type: ignore[type-arg]
    return list(tumor_feeders(route_map(annotated(document)), tumors))


def test_every_vessel_whose_own_supply_holds_the_segment() -> None:
    # A tumor across VI and VIII: the accessory RHA feeds VI, the native RHA VIII.
    tumor = Tumor("t", parse_segment("VI") | parse_segment("VIII"))
    (found,) = feeders_of(trees.TYPE_VI, tumor)
    assert {f.vessel: f.segments for f in found.feeders} == {
        "rha": parse_segment("VIII"),
        "arha": parse_segment("VI"),
    }
    assert all(f.reachable and not f.observed for f in found.feeders)


def test_an_observed_feeder_on_the_axis_is_a_way_in() -> None:
    (found,) = feeders_of(trees.TYPE_I, Tumor("t", parse_segment("VI"), feeders=("cha",)))
    by_vessel = {f.vessel: f for f in found.feeders}
    assert by_vessel["cha"].observed and by_vessel["cha"].way_in
    assert not by_vessel["rha"].way_in and by_vessel["rha"].chain_top == "cha"


def test_a_segment_nothing_supplies_is_reported() -> None:
    (found,) = feeders_of(trees.TYPE_I, Tumor("t", parse_segment("I") | parse_segment("II")))
    assert found.unsupplied == parse_segment("I")
