"""The arterial tree: vessels in pre-order with their parents and children, built once.

``build_tree`` checks the shape a case's vessels must have (unique ids, known parents,
one root, no loop) and, when it holds, returns the ``Tree`` every later stage reads:
pre-order, each position's parent position, each vessel's sorted children. A walk from
the root that reaches every vessel proves there is no cycle, so checking the shape and
building the index are one pass. Children are in sorted id order, so every result is
independent of the order the vessels were listed in. No recursion: trees from
centerline extraction can be 100,000 vessels deep.

A networkx ``DiGraph`` is the interchange at the edges (``to_networkx`` here, and
``anatomy.formats.networkx.from_networkx`` to read one), not a second pipeline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from anatomy.errors import Problem
from anatomy.segments import Segment, segment_names
from anatomy.suggestions import Suggestions

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Tree",
    "Vessel",
    "build_tree",
    "preorder_from",
    "subtree_sizes",
    "to_networkx",
    "vessel_fields",
]


@dataclass(frozen=True, slots=True)
class Vessel:
    """One vessel as the case gives it, with its kind resolved to a canonical name."""

    id: str
    parent: str | None
    kind: str | None
    status: Literal["replaced", "accessory"] | None
    supplies: frozenset[Segment]
    label: str | None = None
    written_kind: str | None = None
    diameter_mm: float | None = None
    length_mm: float | None = None


@dataclass(frozen=True, slots=True)
class Tree:
    """A rooted tree of vessels: one walk's worth of plain lookups, so that passes over
    100,000 vessels stay cheap.

    ``preorder`` lists the vessel ids parents first, siblings in id order; ``up`` gives
    each pre-order position its parent's position (-1 for the root); ``size`` gives each
    position's subtree size (the subtree is the run of positions ``at .. at + size - 1``,
    which the classifier and the planner read for every question about a subtree);
    ``children`` lists each vessel's children in id order; ``vessel`` and ``parent`` look
    vessels up by id.
    """

    preorder: Sequence[str]
    parent: Mapping[str, str | None]
    children: Mapping[str, Sequence[str]]
    vessel: Mapping[str, Vessel]
    up: Sequence[int]
    size: Sequence[int]

    @property
    def root(self) -> Vessel:
        return self.vessel[self.preorder[0]]

    def __len__(self) -> int:
        return len(self.preorder)

    def __contains__(self, node: object) -> bool:
        return node in self.vessel

    def path(self, node: str) -> tuple[str, ...]:
        """Vessel ids from the root down to ``node``, both included."""
        out = [node]
        above = self.parent[node]
        while above is not None:
            out.append(above)
            above = self.parent[above]
        out.reverse()
        return tuple(out)


def preorder_from(root: str, kids: Mapping[str, Sequence[str]]) -> tuple[list[str], list[int]]:
    """Pre-order from ``root`` (siblings in the order given), and each position's parent
    position (the root's is -1). Iterative: trees can be 100,000 vessels deep."""
    order: list[str] = []
    up: list[int] = []
    stack: list[tuple[str, int]] = [(root, -1)]
    while stack:
        node, above = stack.pop()
        here = len(order)
        order.append(node)
        up.append(above)
        below = kids[node]
        if below:
            stack.extend([(child, here) for child in reversed(below)])
    return order, up


def subtree_sizes(up: Sequence[int]) -> list[int]:
    """Per pre-order position, the vessels in its subtree (itself included): children
    before parents, each adding itself to its parent."""
    size = [1] * len(up)
    for i in range(len(up) - 1, 0, -1):
        size[up[i]] += size[i]
    return size


def build_tree(
    vessels: Sequence[Vessel | None], suggestions: Suggestions | None = None
) -> tuple[Tree | None, list[Problem]]:
    """The tree the vessels form, or None and every problem with its shape.

    ``vessels`` is in file order; a None stands for an entry too broken to take part (its
    own problems are reported by the case's schema). Problems point at ``vessels[i]``.
    An unknown parent comes with the closest vessel ids while the budget of
    ``suggestions`` lasts (by default a fresh one).
    """
    problems: list[Problem] = []
    index_of: dict[str, int] = {}
    by_id: dict[str, Vessel] = {}
    for index, vessel in enumerate(vessels):
        if vessel is None:
            continue
        if vessel.id in index_of:
            problems.append(
                Problem(
                    "duplicate_id",
                    ("vessels", index, "id"),
                    f"duplicate id: also used by vessels[{index_of[vessel.id]}].",
                    "give each vessel its own id",
                    vessel.id,
                )
            )
        else:
            index_of[vessel.id] = index
            by_id[vessel.id] = vessel
    known = [v for v in vessels if v is not None]
    if not known:
        return None, problems
    children: dict[str, list[str]] = {v.id: [] for v in known}
    roots = []
    ids = (suggestions or Suggestions()).over(index_of)
    for vessel in known:
        if vessel.parent is None:
            roots.append(vessel)
        elif vessel.parent == vessel.id:
            problems.append(
                Problem(
                    "cycle",
                    ("vessels", index_of[vessel.id], "parent"),
                    "the vessel is its own parent.",
                    "name the vessel it arises from",
                    vessel.id,
                )
            )
        elif vessel.parent not in index_of:
            close = [c for c in ids.closest(vessel.parent, n=4) if c != vessel.id][:3]
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            problems.append(
                Problem(
                    "unknown_parent",
                    ("vessels", index_of[vessel.id], "parent"),
                    f"parent '{vessel.parent}' is not a vessel in this case.{hint}",
                    "use the id of an existing vessel, or add that vessel",
                    vessel.id,
                    suggestions=tuple(close),
                )
            )
        else:
            children[vessel.parent].append(vessel.id)
    if not roots:
        problems.append(
            Problem(
                "no_root",
                ("vessels",),
                "every vessel has a parent, so the tree has no root.",
                "remove `parent` from the root vessel (normally the aorta)",
            )
        )
    elif len(roots) > 1:
        names = ", ".join(f"'{r.id}'" for r in roots)
        problems.append(
            Problem(
                "several_roots",
                ("vessels",),
                f"{len(roots)} vessels have no parent: {names}.",
                "give every vessel except the root (normally the aorta) a `parent`",
            )
        )
    if not problems and len(roots) == 1 and len(known) == len(vessels):
        for below in children.values():
            if len(below) > 1:
                below.sort()
        order, up = preorder_from(roots[0].id, children)
        if len(order) == len(known):  # every vessel reached from the root: no cycle
            parents = {v.id: v.parent for v in known}
            return Tree(order, parents, children, by_id, up, subtree_sizes(up)), problems
    problems += _cycle_problems(known, index_of)
    return None, problems


def _cycle_problems(known: Sequence[Vessel], index_of: Mapping[str, int]) -> list[Problem]:
    """Vessels whose parent chain loops. Linear: each vessel is walked once."""
    parent_of = {v.id: v.parent for v in known if v.parent in index_of and v.parent != v.id}
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = finished
    problems = []
    for start in sorted(parent_of):
        walk = []
        node: str | None = start
        while node is not None and node in parent_of and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            loop = walk[walk.index(node) :]
            chain = " -> ".join([*loop, loop[0]])
            first = min(loop)
            problems.append(
                Problem(
                    "cycle",
                    ("vessels", index_of[first], "parent"),
                    f"the parents form a loop: {chain}.",
                    "break the loop: one of these vessels must arise from a vessel outside it",
                    first,
                )
            )
        for item in walk:
            state[item] = 2
    return problems


_FIELDS = ("kind", "status", "supplies", "label", "diameter_mm", "length_mm")


def to_networkx(tree: Tree) -> nx.DiGraph:
    """The tree as a ``networkx.DiGraph``: edges parent -> child, each node carrying the
    case format's vessel fields (``kind`` as its canonical name, ``supplies`` as segment
    names, ``status`` …), and the graph attribute ``root``. (``anatomy.to_networkx`` also
    takes a whole case: ``anatomy.formats.networkx.to_networkx``.)

    >>> from anatomy.case import parse_case
    >>> graph = to_networkx(parse_case({"vessels": [{"id": "ao", "kind": "aorta"},
    ...     {"id": "ct", "kind": "CT", "parent": "ao"}]}).tree)
    >>> list(graph.edges), graph.nodes["ct"]["kind"]
    ([('ao', 'ct')], 'celiac_trunk')
    """
    import networkx as nx

    graph = nx.DiGraph(root=tree.preorder[0])
    for node in tree.preorder:
        graph.add_node(node, **vessel_fields(tree.vessel[node]))
    graph.add_edges_from((p, n) for n, p in tree.parent.items() if p is not None)
    return graph


def vessel_fields(vessel: Vessel) -> dict[str, object]:
    """A vessel's case-format fields other than ``id`` and ``parent``, as plain values."""
    data: dict[str, object] = {name: getattr(vessel, name) for name in _FIELDS}
    data["supplies"] = segment_names(vessel.supplies)
    return {k: v for k, v in data.items() if v not in (None, [])}
