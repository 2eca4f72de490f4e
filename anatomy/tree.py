"""The arterial tree as a networkx DiGraph, and the iterative walks over it.

Edges point from parent to child. Node attributes are the Vessel's fields; the graph
attribute ``root`` names the root. Children are always visited in sorted id order so
every result is independent of the order vessels were listed in. No recursion: trees
from centerline extraction can be 100,000 vessels deep.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from anatomy.case import Case, Vessel
from anatomy.treeindex import TreeIndex, preorder_from

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


def index_case(case: Case) -> TreeIndex:
    """The case's index, built when the case was validated."""
    return case.tree_index


def graph_of(walk: TreeIndex) -> nx.DiGraph:
    """The DiGraph an index describes (what ``build_tree`` gives for the same case)."""
    tree = nx.DiGraph(root=walk.preorder[0])
    tree.add_nodes_from((n, {"vessel": walk.vessel[n]}) for n in walk.preorder)
    tree.add_edges_from((p, n) for n, p in walk.parent.items() if p is not None)
    return tree


def index(tree: nx.DiGraph) -> TreeIndex:
    """Pre-order, parents, sorted children and vessels of ``tree``, computed once."""
    vessels: dict[str, Vessel] = {n: d["vessel"] for n, d in tree.nodes(data=True)}
    kids: dict[str, list[str]] = {n: sorted(tree.successors(n)) for n in tree.nodes}
    parent: dict[str, str | None] = dict.fromkeys(vessels)
    for node, below in kids.items():
        for child in below:
            parent[child] = node
    order, up = preorder_from(tree.graph["root"], kids)
    return TreeIndex(order, parent, kids, vessels, up)


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
