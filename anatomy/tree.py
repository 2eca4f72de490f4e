"""The arterial tree as a networkx DiGraph, and the iterative walks over it.

Edges point from parent to child. Node attributes are the Vessel's fields; the graph
attribute ``root`` names the root. Children are always visited in sorted id order so
every result is independent of the order vessels were listed in. No recursion: trees
from centerline extraction can be 100,000 vessels deep.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from anatomy.case import Case, Vessel

__all__ = [
    "TreeIndex",
    "build_tree",
    "children",
    "graph_of",
    "index",
    "index_case",
    "path_from_root",
    "postorder",
    "preorder",
    "vessel",
]


@dataclass(frozen=True, slots=True)
class TreeIndex:
    """One walk's worth of plain lookups, so passes over 100,000 vessels stay cheap."""

    preorder: Sequence[str]
    parent: Mapping[str, str | None]
    children: Mapping[str, Sequence[str]]  # sorted by id
    vessel: Mapping[str, Vessel]

    @property
    def postorder(self) -> Sequence[str]:
        return self.preorder[::-1]


def index_case(case: Case) -> TreeIndex:
    """The same index straight from a validated case, without building a graph first."""
    vessels = {v.id: v for v in case.vessels}
    kids: dict[str, list[str]] = {v.id: [] for v in case.vessels}
    parent: dict[str, str | None] = {}
    root = ""
    for item in case.vessels:
        parent[item.id] = item.parent
        if item.parent is None:
            root = item.id
        else:
            kids[item.parent].append(item.id)
    for below in kids.values():
        if len(below) > 1:
            below.sort()
    return TreeIndex(_preorder(root, kids), parent, kids, vessels)


def graph_of(walk: TreeIndex) -> nx.DiGraph:
    """The DiGraph an index describes (what ``build_tree`` gives for the same case)."""
    tree = nx.DiGraph(root=walk.preorder[0])
    tree.add_nodes_from((n, {"vessel": walk.vessel[n]}) for n in walk.preorder)
    tree.add_edges_from((p, n) for n, p in walk.parent.items() if p is not None)
    return tree


def _preorder(root: str, kids: Mapping[str, Sequence[str]]) -> list[str]:
    order = []
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(kids[node]))
    return order


def index(tree: nx.DiGraph) -> TreeIndex:
    """Pre-order, parents, sorted children and vessels of ``tree``, computed once."""
    vessels: dict[str, Vessel] = {n: d["vessel"] for n, d in tree.nodes(data=True)}
    kids: dict[str, list[str]] = {n: sorted(tree.successors(n)) for n in tree.nodes}
    parent: dict[str, str | None] = dict.fromkeys(vessels)
    for node, below in kids.items():
        for child in below:
            parent[child] = node
    return TreeIndex(_preorder(tree.graph["root"], kids), parent, kids, vessels)


def build_tree(case: Case) -> nx.DiGraph:
    """The case's vessels as a DiGraph (parent -> child), with ``graph['root']`` set."""
    tree = nx.DiGraph(root=case.root.id)
    for item in case.vessels:
        tree.add_node(item.id, vessel=item)
    tree.add_edges_from((v.parent, v.id) for v in case.vessels if v.parent is not None)
    return tree


def vessel(tree: nx.DiGraph, node: str) -> Vessel:
    """The Vessel stored at ``node``."""
    found: Vessel = tree.nodes[node]["vessel"]
    return found


def children(tree: nx.DiGraph, node: str) -> list[str]:
    """The node's children in sorted id order."""
    return sorted(tree.successors(node))


def preorder(tree: nx.DiGraph) -> Iterator[str]:
    """Every node, parents before children, siblings in id order."""
    stack = [tree.graph["root"]]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(tree, node)))


def postorder(tree: nx.DiGraph) -> list[str]:
    """Every node, children before parents."""
    order = list(preorder(tree))
    order.reverse()
    return order


def path_from_root(tree: nx.DiGraph, node: str) -> list[str]:
    """Vessel ids from the root down to ``node``, both included."""
    path = [node]
    while True:
        parents = list(tree.predecessors(path[-1]))
        if not parents:
            break
        path.append(parents[0])
    path.reverse()
    return path
