"""Variant route advice (data/route_advice.yaml): one test per record, and the matching
on side, status and origin (routes from anatomy-facts §7.2)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from anatomy.classification.annotate import Artery
from anatomy.reference.route_advice import advice_for_artery, advice_for_trunk, route_advice
from anatomy.reference.vocabulary import all_kinds

KNOWN_KINDS = {k.name for k in all_kinds()}
SKEY = re.compile(r"^S\d+$")

ADVICE = route_advice()


@pytest.mark.parametrize("item", ADVICE, ids=[a.id for a in ADVICE])
def test_every_advice_row_has_sources_and_known_origins(item: Any) -> None:
    assert item.sources and all(SKEY.match(s) for s in item.sources)
    assert item.origins <= KNOWN_KINDS
    assert item.advice.endswith(".") and item.route


def artery(side: str, status: str, origin: str) -> Artery:
    return Artery(
        vessel="x",
        side=side,
        origin="o",
        origin_kind=origin,  # type: ignore[arg-type]
        status=status,
        territory=frozenset(),
        assumed=False,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("side", "status", "origin", "expected"),
    [
        ("right", "replaced", "superior_mesenteric", ["replaced-rha-from-sma"]),
        ("right", "accessory", "superior_mesenteric", ["accessory-rha-from-sma"]),
        ("left", "replaced", "left_gastric", ["lha-from-lga"]),
        ("left", "accessory", "left_gastric", ["lha-from-lga", "accessory-lha-from-lga"]),
        ("right", "replaced", "gastroduodenal", ["rha-from-gda"]),
        ("right", "replaced", "celiac_trunk", ["rha-from-celiac"]),
        ("right", "normal", "hepatic_axis", []),
    ],
)
def test_advice_is_keyed_on_side_status_and_origin(
    side: str, status: str, origin: str, expected: list[str]
) -> None:
    assert [a.id for a in advice_for_artery(side, status, origin)] == expected


def test_trunk_advice() -> None:
    assert [a.id for a in advice_for_trunk("superior_mesenteric")] == ["cha-from-sma"]
    assert [a.id for a in advice_for_trunk("left_gastric")] == ["cha-from-lga"]
    assert advice_for_trunk("celiac_trunk") == ()
    assert advice_for_trunk(None) == ()
