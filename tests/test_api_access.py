"""The access side (api/access.py): right or left femoral, left or right radial.

The right subclavian artery arises from the brachiocephalic trunk and the left one from
the arch, so only a right radial route passes the brachiocephalic trunk (standard anatomy).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from anatomy.case import parse_case
from anatomy.plan import plan_case
from anatomy.plan_json import plan_dict
from api.access import sided_plan
from api.main import create_app
from api.openapi import seed_case
from api.settings import Settings


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as test_client:
        yield test_client


def planned(client: TestClient, query: str) -> dict[str, Any]:
    answer = client.post(f"/v1/plan{query}", json=seed_case())
    assert answer.status_code == 200, answer.text
    plan: dict[str, Any] = answer.json()["plan"]
    return plan


@pytest.mark.parametrize(
    ("query", "label", "route"),
    [
        ("", "right common femoral artery", "R femoral > EIA > CIA > Ao > CA"),
        ("?side=left", "left common femoral artery", "L femoral > EIA > CIA > Ao > CA"),
        ("?access=radial", "radial artery", "radial > brachial > axillary > SCA > arch > DTA"),
        (
            "?access=radial&side=left",
            "left radial artery",
            "L radial > brachial > axillary > L SCA > arch > DTA > Ao",
        ),
        (
            "?access=radial&side=right",
            "right radial artery",
            "R radial > brachial > axillary > R SCA > BCT > arch > DTA > Ao",
        ),
    ],
)
def test_every_route_starts_at_the_chosen_access(
    client: TestClient, query: str, label: str, route: str
) -> None:
    plan = planned(client, query)
    assert plan["access"]["label"] == label
    positions = [
        *plan["positions"],
        *(t for tumor in plan["tumors"] for t in tumor["targets"]),
        *(p for alt in plan["alternatives"] for p in alt["positions"]),
    ]
    assert positions
    for position in positions:
        assert position["route_text"].startswith(route + " > "), position["route_text"]
        assert position["route_text"] == " > ".join(s["name"] for s in position["route"])
        # The tree's own part of the route is untouched.
        assert [s["vessel"] for s in position["route"] if s["vessel"]] == position["path"]


def test_without_a_side_the_plan_is_as_planned(client: TestClient) -> None:
    plan = planned(client, "")
    own = plan_dict(plan_case(parse_case(seed_case())))
    assert plan["positions"] == own["positions"]
    assert plan["access"] == {**own["access"], "side": "right", "label": plan["access"]["label"]}


def test_a_route_starting_in_the_access_path_is_left_alone() -> None:
    # A tree whose root is the femoral artery itself has no access steps to rename.
    tree = parse_case(
        {
            "vessels": [
                {"id": "cfa", "kind": "common femoral"},
                {"id": "eia", "kind": "external iliac", "parent": "cfa"},
                {"id": "cia", "kind": "common iliac", "parent": "eia"},
                {"id": "ao", "kind": "aorta", "parent": "cia"},
                {"id": "ct", "kind": "celiac trunk", "parent": "ao"},
                {"id": "cha", "kind": "CHA", "parent": "ct"},
                {"id": "pha", "kind": "PHA", "parent": "cha"},
                {"id": "lha", "kind": "LHA", "parent": "pha", "supplies": ["II", "III", "IV"]},
                {
                    "id": "rha",
                    "kind": "RHA",
                    "parent": "pha",
                    "supplies": ["V", "VI", "VII", "VIII"],
                },
            ],
            "tumors": [{"id": "t1", "segments": ["II"]}],
        }
    )
    plan = plan_dict(plan_case(tree))
    assert plan["positions"][0]["route"][0]["vessel"] == "cfa"
    sided = sided_plan(plan, "left")
    assert sided["positions"][0]["route"] == plan["positions"][0]["route"]
    assert sided["access"]["side"] == "left"
