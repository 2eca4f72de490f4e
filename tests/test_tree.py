"""The tree (anatomy/tree.py): the shape checks, the walk, and the networkx interchange."""

from __future__ import annotations

import networkx as nx
import pytest

from anatomy.segments import parse_segment
from anatomy.tree import Tree, Vessel, build_tree, preorder_from, to_networkx


def vessel(vid: str, parent: str | None, kind: str | None = None) -> Vessel:
    return Vessel(vid, parent, kind, None, frozenset())


class TestBuildTree:
    def test_preorder_sorted_children_and_parent_positions(self) -> None:
        # Listed out of order on purpose: the walk sorts siblings by id.
        tree, problems = build_tree(
            [vessel("c", "a"), vessel("a", None), vessel("b", "a"), vessel("d", "b")]
        )
        assert problems == [] and isinstance(tree, Tree)
        assert list(tree.preorder) == ["a", "b", "d", "c"]
        assert list(tree.up) == [-1, 0, 1, 0]
        assert tree.children["a"] == ["b", "c"]
        assert tree.root.id == "a" and len(tree) == 4 and "d" in tree
        assert tree.path("d") == ("a", "b", "d")

    @pytest.mark.parametrize(
        ("vessels", "code"),
        [
            ([vessel("a", None), vessel("a", None)], "duplicate_id"),
            ([vessel("a", None), vessel("b", "zz")], "unknown_parent"),
            ([vessel("a", "b"), vessel("b", "a")], "no_root"),
            ([vessel("a", None), vessel("b", None)], "several_roots"),
            ([vessel("a", None), vessel("b", "b")], "cycle"),
        ],
    )
    def test_each_shape_problem_names_its_vessel(self, vessels: list[Vessel], code: str) -> None:
        tree, problems = build_tree(vessels)
        assert tree is None
        assert code in [p.code for p in problems]

    def test_a_loop_below_the_root_is_reported_with_its_vessels(self) -> None:
        tree, problems = build_tree(
            [vessel("r", None), vessel("x", "z"), vessel("y", "x"), vessel("z", "y")]
        )
        (loop,) = [p for p in problems if p.code == "cycle"]
        assert tree is None and "x -> z -> y -> x" in loop.message  # each to its parent

    def test_close_parent_ids_are_suggested(self) -> None:
        _, problems = build_tree([vessel("aorta1", None), vessel("b", "aorta2")])
        (problem,) = problems
        assert "'aorta1'" in problem.message

    def test_deep_trees_need_no_recursion(self) -> None:
        kids = {str(i): [str(i + 1)] for i in range(50_000)} | {"50000": []}
        order, up = preorder_from("0", kids)
        assert len(order) == 50_001 and up[-1] == 49_999


class TestToNetworkx:
    def test_edges_fields_and_root(self) -> None:
        item = Vessel(
            "rha", "pha", "right_hepatic", "replaced", parse_segment("VII"), "x", None, 3.0
        )
        tree, _ = build_tree([vessel("pha", None, "proper_hepatic"), item])
        assert tree is not None
        graph = to_networkx(tree)
        assert isinstance(graph, nx.DiGraph) and graph.graph["root"] == "pha"
        assert list(graph.edges) == [("pha", "rha")]
        assert graph.nodes["rha"] == {
            "kind": "right_hepatic",
            "status": "replaced",
            "supplies": ["VII"],
            "label": "x",
            "diameter_mm": 3.0,
        }
