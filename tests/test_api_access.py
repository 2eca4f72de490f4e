"""Access sites through the API (anatomy/reference/access.py over data/access.yaml): right
or left femoral, left or right radial. The right subclavian artery arises from the
brachiocephalic trunk and the left one from the arch, so only a right radial route passes
the brachiocephalic trunk (standard anatomy)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from anatomy.case import parse_case
from anatomy.output.documents import plan_dict
from anatomy.reference.access import access_ids, access_site
from api.openapi import seed_case
from tests.trees import planned as planned_here


def planned(client: TestClient, query: str) -> dict[str, Any]:
    answer = client.post(f"/v1/plan{query}", json=seed_case())
    assert answer.status_code == 200, answer.text
    plan: dict[str, Any] = answer.json()["plan"]
    return plan


def positions(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        *plan["positions"],
        *(t for tumor in plan["tumors"] for t in tumor["targets"]),
        *(p for alt in plan["alternatives"] for p in alt["positions"]),
    ]


@pytest.mark.parametrize(
    ("query", "site", "route"),
    [
        ("", "femoral", "R femoral > EIA > CIA > Ao > CA"),
        ("?access=right-femoral", "femoral", "R femoral > EIA > CIA > Ao > CA"),
        ("?access=left-femoral", "left-femoral", "L femoral > EIA > CIA > Ao > CA"),
        ("?access=radial", "radial", "L radial > brachial > axillary > L SCA > arch > DTA > Ao"),
        ("?access=left-radial", "radial", "L radial > brachial > axillary > L SCA > arch > DTA"),
        (
            "?access=right-radial",
            "right-radial",
            "R radial > brachial > axillary > R SCA > BCT > arch > DTA > Ao",
        ),
    ],
)
def test_every_route_starts_at_the_chosen_site(
    client: TestClient, query: str, site: str, route: str
) -> None:
    plan = planned(client, query)
    assert plan["access"]["site"] == site
    assert plan["access"]["label"] == access_site(site).label
    assert plan["access"]["route"] == route.split(" > Ao")[0].split(" > ")
    assert positions(plan)
    for position in positions(plan):
        assert position["route_text"].startswith(route + " > "), position["route_text"]
        assert position["route_text"] == " > ".join(s["name"] for s in position["route"])
        # The tree's own part of the route is untouched.
        assert [s["vessel"] for s in position["route"] if s["vessel"]] == position["path"]


def test_an_unknown_site_is_a_problem(client: TestClient) -> None:
    answer = client.post("/v1/plan?access=left-ear", json=seed_case())
    assert answer.status_code == 422
    assert answer.json()["type"] == "urn:hepatic:problem:invalid-parameter"


def test_every_site_starts_with_a_puncture_the_planner_knows() -> None:
    for name in access_ids():
        site = access_site(name)
        assert site.route[-1].kind in ("common_iliac", "descending_thoracic_aorta"), name


def test_the_femoral_default_is_the_planners_own_route(client: TestClient) -> None:
    own = plan_dict(planned_here(parse_case(seed_case())))
    assert planned(client, "")["positions"] == own["positions"]


def test_a_route_starting_in_the_access_path_is_left_alone() -> None:
    # A tree whose root is the femoral artery itself has no way in to rename.
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
                {"id": "rha", "kind": "RHA", "parent": "pha", "supplies": ["V", "VI", "VII"]},
            ],
            "tumors": [{"id": "t1", "segments": ["II"]}],
        }
    )
    plan = plan_dict(planned_here(tree, "left-femoral"))
    assert plan["positions"][0]["route"][0]["vessel"] == "cfa"
    assert plan["access"]["site"] == "left-femoral"
