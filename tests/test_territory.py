"""Territories (classification/territory.py): own supplies, whole territories, and what is
assumed from a name (case-format.md: default territories of named vessels)."""

from __future__ import annotations

from anatomy.case import parse_case
from anatomy.classification.territory import territories
from anatomy.segments import SEGMENT_SETS, mask_of, parse_segment, segments_of
from tests.trees import case


def segs(*names: str) -> frozenset:  # type: ignore[type-arg]
    return frozenset().union(*(parse_segment(n) for n in names))


def test_a_territory_is_its_own_supplies_plus_its_descendants() -> None:
    tree = parse_case(
        case(("a", None, None, []), ("b", None, "a", ["V"]), ("c", None, "b", ["VI", "VII"]))
    ).tree
    terr = territories(tree)
    assert terr.territory["a"] == terr.territory["b"] == segs("V", "VI", "VII")
    assert terr.own["b"] == segs("V") and terr.assumed == {}


def test_a_named_vessel_with_no_stated_supply_gets_its_usual_territory_marked_assumed() -> None:
    tree = parse_case(case(("pha", "PHA", None, []), ("rha", "RHA", "pha", []))).tree
    terr = territories(tree)
    assert terr.own["rha"] == segs("V", "VI", "VII", "VIII")
    assert terr.assumed == {"rha": segs("V", "VI", "VII", "VIII")}
    assert terr.partly_at[0]  # the PHA's territory is partly assumed too


def test_the_lha_assumes_segment_iv_only_when_nothing_else_supplies_it() -> None:
    alone = territories(parse_case(case(("p", None, None, []), ("l", "LHA", "p", []))).tree)
    assert alone.own["l"] == segs("II", "III", "IV")
    with_mha = territories(
        parse_case(
            case(("p", None, None, []), ("l", "LHA", "p", []), ("m", None, "p", ["IV"]))
        ).tree
    )
    assert with_mha.own["l"] == segs("II", "III")


def test_masks_stand_for_the_plain_sets() -> None:
    # segments.py's speed trick against the plain formulation, for every set.
    for bits, segments in enumerate(SEGMENT_SETS):
        assert mask_of(segments) == bits and segments_of(bits) == segments
