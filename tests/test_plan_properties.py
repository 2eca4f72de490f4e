"""Planner invariants on random trees (hypothesis), with tumors in every segment.

Every route is a real root path, never ends on a visceral trunk, passes through the
aberrant artery of every feeder it serves, every reachable feeder is reached, and a
segment with no feeder is warned about. On small trees the bottom-up plan is checked
against brute force: no set of positions reaching every feeder costs less.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anatomy.case import Tumor, parse_case
from anatomy.planning.positions import chain
from anatomy.segments import Segment
from tests.test_plan import check_routes, every_segment
from tests.trees import planned

KINDS = [
    None,
    None,
    None,
    None,
    "celiac_trunk",
    "superior_mesenteric",
    "left_gastric",
    "splenic",
    "common_hepatic",
    "proper_hepatic",
    "right_hepatic",
    "left_hepatic",
    "middle_hepatic",
    "right_anterior_sectoral",
    "right_posterior_sectoral",
    "segment_7_artery",
    "caudate_artery",
    "gastroduodenal",
    "cystic",
    "right_gastric",
    "hepatic_falciform",
    "right_inferior_phrenic",
    "posterior_superior_pancreaticoduodenal",
    "hepatomesenteric_trunk",
]
SEGMENTS = [s.value for s in Segment]


@st.composite
def random_case(draw: Any, max_vessels: int = 30) -> dict[str, Any]:
    count = draw(st.integers(min_value=1, max_value=max_vessels))
    root_kind = draw(st.sampled_from(["aorta", "aorta", "aorta", "celiac_trunk", None]))
    vessels: list[dict[str, Any]] = [{"id": "v0", **({"kind": root_kind} if root_kind else {})}]
    for i in range(1, count):
        item: dict[str, Any] = {"id": f"v{i}", "parent": f"v{draw(st.integers(0, i - 1))}"}
        name = draw(st.sampled_from(KINDS))
        if name is not None:
            item["kind"] = name
        supplies = draw(st.lists(st.sampled_from(SEGMENTS), max_size=4, unique=True))
        if supplies and draw(st.booleans()):
            item["supplies"] = supplies
        vessels.append(item)
    return {"vessels": vessels}


def observed_tumors(draw: Any, count: int) -> tuple[Tumor, ...]:
    out = []
    for tumor in every_segment():
        feeders = draw(st.lists(st.integers(0, count - 1), max_size=2, unique=True))
        out.append(
            Tumor(
                tumor.id, tumor.segments, tumor.diameter_mm, feeders=tuple(f"v{i}" for i in feeders)
            )
        )
    return tuple(out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=random_case(), data=st.data(), access=st.sampled_from(["femoral", "radial"]))
def test_route_invariants_on_random_trees(document: dict[str, Any], data: Any, access: str) -> None:
    case = parse_case(document)
    tumors = observed_tumors(data.draw, len(document["vessels"]))
    check_routes(case.tree, planned(case, access, tumors))  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=random_case(max_vessels=14))
def test_the_bottom_up_plan_is_optimal(document: dict[str, Any]) -> None:
    plan = planned(document, tumors=every_segment())
    routes = plan.routes
    terr = routes.note.territories
    tumor_segments = frozenset(Segment)
    required = {f.vessel for t in plan.tumors for f in t.feeders if f.reachable}
    chains = {f: set(chain(routes, f)) for f in required}
    candidates = sorted(set().union(*chains.values())) if chains else []
    if len(candidates) > 11:
        return  # brute force over 2^n subsets stays small

    def cost(tips: tuple[str, ...]) -> tuple[int, int, int]:
        return (
            sum(routes.non_target_below[t] for t in tips),
            sum(len(terr.of(t) - tumor_segments) for t in tips),
            len(tips),
        )

    best = None
    for size in range(len(candidates) + 1):
        for tips in itertools.combinations(candidates, size):
            if all(chains[f] & set(tips) for f in required):
                found = cost(tips)
                best = found if best is None or found < best else best
    got = (plan.cost.non_target_branches, plan.cost.non_tumor_segments, plan.cost.positions)
    assert got == (best or (0, 0, 0))
