"""networkx graphs in and out: a DiGraph whose nodes carry the case's vessel fields.

Each node is a vessel, named by its node id (text or a whole number); each edge runs from
the vessel to one that arises from it. Node attributes are the case format's vessel
fields (``kind``, ``supplies``, ``status``, ``label``, ``diameter_mm``, ``length_mm``);
``supplies`` may be a list or, as GraphML must write it, text (``"V, VI"``). Graph
attributes are the case's top-level fields (``id``, ``title``, ``modality``, ``source``,
``notes``, ``tumors``) and ``root``, the id of the root vessel: an undirected graph needs
it (the direction of flow is not otherwise known); a directed one is checked against it.
:func:`to_networkx` writes such graphs, and :func:`from_networkx` gives the case back.

What a tree cannot hold is reported with the vessels concerned: a vessel arising from two
(an arcade, such as the pancreaticoduodenal arcade, drawn as a loop), parallel edges,
vessels not connected to the root. Every other problem is the case format's own.

>>> import networkx as nx
>>> graph = nx.DiGraph([("ao", "ct"), ("ct", "cha")])
>>> graph.nodes["ao"]["kind"], graph.nodes["ct"]["kind"], graph.nodes["cha"]["kind"] = (
...     "aorta", "celiac trunk", "CHA")
>>> [v.kind for v in from_networkx(graph).vessels]
['aorta', 'celiac_trunk', 'common_hepatic']
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from anatomy.case import Case, Tumor
from anatomy.errors import Problem
from anatomy.formats.converted import Converted, case_from
from anatomy.segments import segment_names
from anatomy.tree import Tree, vessel_fields
from anatomy.tree import to_networkx as tree_to_networkx

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["from_networkx", "graph_document", "to_networkx"]

Loc = tuple[str | int, ...]
# Set by the graph itself, not by attributes: a node's id and its parent (from the edges).
_FROM_GRAPH = frozenset({"id", "parent"})
_LIST_SPLIT = re.compile(r"[\s,;]+")


_CASE_FIELDS = ("id", "title", "modality", "source", "notes")


def to_networkx(item: Case | Tree) -> nx.DiGraph:
    """A case (or a tree) as a ``networkx.DiGraph``: edges from each vessel to those
    arising from it, nodes carrying the vessel fields (``kind`` as the canonical name),
    graph attributes ``root`` and, for a case, its top-level fields and ``tumors`` (a list
    of mappings). Nodes are in the case's order: ``from_networkx`` gives the case back.
    """
    import networkx as nx

    if isinstance(item, Tree):
        return tree_to_networkx(item)
    graph = nx.DiGraph(root=item.tree.preorder[0])
    for vessel in item.vessels:
        graph.add_node(vessel.id, **vessel_fields(vessel))
    graph.add_edges_from((v.parent, v.id) for v in item.vessels if v.parent is not None)
    for name in _CASE_FIELDS:
        if getattr(item, name) is not None:
            graph.graph[name] = getattr(item, name)
    if item.tumors:
        graph.graph["tumors"] = [_tumor_fields(t) for t in item.tumors]
    return graph


def _tumor_fields(tumor: Tumor) -> dict[str, object]:
    out: dict[str, object] = {"id": tumor.id, "segments": segment_names(tumor.segments)}
    for name in ("diameter_mm", "short_axis_mm", "enhancing_diameter_mm", "label"):
        if getattr(tumor, name) is not None:
            out[name] = getattr(tumor, name)
    if tumor.feeders:
        out["feeders"] = list(tumor.feeders)
    return out


def from_networkx(graph: nx.Graph, source: str | None = None) -> Case:
    """The case a networkx graph describes, validated like a case file.

    Raises :class:`~anatomy.errors.CaseError` with every problem at once, each naming the
    node (``nodes.rha.kind``) and the fix.
    """
    return case_from(graph_document(graph), source)


def graph_document(graph: nx.Graph, places: Mapping[Hashable, Loc] | None = None) -> Converted:
    """The case document of ``graph``, and what the graph says that a tree cannot.

    ``places`` gives each node's place in the input it was read from (node-link JSON:
    ``("nodes", 3)``); by default ``("nodes", id)``.
    """
    problems: list[Problem] = []
    nodes = list(graph.nodes)
    ids: dict[Hashable, str] = {}
    for node in nodes:
        text = _id_text(node)
        if text is None:
            problems.append(
                Problem(
                    "bad_node_id",
                    ("nodes",),
                    "a node id is neither text nor a whole number.",
                    "name each vessel's node by its id, e.g. 'rha'",
                )
            )
        else:
            ids[node] = text
    where: dict[Hashable, Loc] = {
        n: (places or {}).get(n, ("nodes", ids.get(n, "?"))) for n in nodes
    }
    attributes = dict(graph.graph)
    root = attributes.pop("root", None)
    parents, shape = _parents(graph, ids, root, where)
    problems += shape
    vessels: list[dict[str, Any]] = []
    vessel_places: list[Loc] = []
    for node in nodes:
        if node not in ids:
            continue
        data = dict(graph.nodes[node])
        for key in sorted(_FROM_GRAPH & set(data)):
            problems.append(
                Problem(
                    "graph_field",
                    (*where[node], key),
                    f"`{key}` is given by the graph ("
                    + ("the node" if key == "id" else "its edges")
                    + "), not by an attribute.",
                    f"remove the `{key}` attribute",
                    ids[node],
                )
            )
            del data[key]
        if isinstance(data.get("supplies"), str):
            data["supplies"] = [s for s in _LIST_SPLIT.split(data["supplies"]) if s]
        parent = parents.get(node)
        vessel = {"id": ids[node], **({"parent": ids[parent]} if parent in ids else {}), **data}
        vessels.append({k: v for k, v in vessel.items() if v is not None})
        vessel_places.append(where[node])
    document: dict[str, Any] = {**attributes, "vessels": vessels}
    unrooted = any(p.code in ("no_root", "unknown_root") for p in problems)
    hides = frozenset({"several_roots", "no_root"}) if unrooted else frozenset()
    return Converted(
        document, problems, vessel_places, ("graph",), hides=hides, tree_place=("nodes",)
    )


def _id_text(node: Hashable) -> str | None:
    if isinstance(node, bool) or not isinstance(node, str | int):
        return None
    return str(node)


def _parents(
    graph: nx.Graph, ids: Mapping[Hashable, str], root: object, where: Mapping[Hashable, Loc]
) -> tuple[dict[Hashable, Hashable], list[Problem]]:
    """Each node's parent, and the problems of the graph's shape."""
    problems: list[Problem] = []
    if graph.is_multigraph():
        pairs = list(graph.edges())
        if len(set(pairs)) < len(pairs):
            problems.append(
                Problem(
                    "parallel_edges",
                    ("edges",),
                    "some vessels are joined by more than one edge.",
                    "keep one edge between a vessel and the one arising from it",
                )
            )
    root_node = _root_node(graph, ids, root, problems)
    if not graph.is_directed():
        return _oriented(graph, ids, root_node, where, problems), problems
    parents: dict[Hashable, Hashable] = {}
    several: list[tuple[Hashable, list[Hashable]]] = []
    for node in graph.nodes:
        above = sorted(set(graph.predecessors(node)) - {node}, key=lambda n: ids.get(n, ""))
        if graph.has_edge(node, node):
            parents[node] = node  # its own parent: the case's rules say so
        elif above:
            parents[node] = above[0]
        if len(above) > 1:
            several.append((node, above))
    problems += [_arcade(node, above, parents, ids, where) for node, above in several]
    if root_node is not None and graph.in_degree(root_node) > 0:
        problems.append(
            Problem(
                "root_has_parent",
                ("graph", "root"),
                f"the graph names '{ids[root_node]}' as its root, but an edge leads into it.",
                "name the vessel no edge leads into as `root`, or reverse the edges "
                "(each runs from a vessel to one that arises from it)",
                ids[root_node],
            )
        )
    return parents, problems


def _root_node(
    graph: nx.Graph, ids: Mapping[Hashable, str], root: object, problems: list[Problem]
) -> Hashable | None:
    if root is None:
        if not graph.is_directed() and len(graph) > 1:
            problems.append(
                Problem(
                    "no_root",
                    ("graph", "root"),
                    "the graph is undirected, so which way the blood flows is not known.",
                    "set the graph attribute `root` to the root vessel's id (normally the "
                    "aorta), or write a directed graph with edges from each vessel to those "
                    "arising from it",
                )
            )
        return None
    by_text = {text: node for node, text in ids.items()}
    found = by_text.get(str(root)) if isinstance(root, str | int) else None
    if found is None:
        problems.append(
            Problem(
                "unknown_root",
                ("graph", "root"),
                "the graph attribute `root` names no node of the graph.",
                "set `root` to the id of the root vessel (normally the aorta)",
            )
        )
    return found


def _oriented(
    graph: nx.Graph,
    ids: Mapping[Hashable, str],
    root: Hashable | None,
    where: Mapping[Hashable, Loc],
    problems: list[Problem],
) -> dict[Hashable, Hashable]:
    """Parents of an undirected graph, walking outward from the root (breadth first)."""
    if root is None:
        return {}
    parents: dict[Hashable, Hashable] = {}
    seen = {root}
    queue = deque([root])
    closing: list[tuple[Hashable, Hashable]] = []
    while queue:
        node = queue.popleft()
        for other in sorted(graph.neighbors(node), key=lambda n: ids.get(n, "")):
            if other not in seen:
                seen.add(other)
                parents[other] = node
                queue.append(other)
            elif other != parents.get(node) and (other, node) not in closing:
                closing.append((node, other))  # an edge that closes a loop
    for a, b in closing:
        problems.append(_loop(a, b, parents, ids, where))
    apart = sorted(ids[n] for n in graph.nodes if n not in seen and n in ids)
    if apart:
        shown = ", ".join(f"'{n}'" for n in apart[:10]) + (" …" if len(apart) > 10 else "")
        problems.append(
            Problem(
                "not_connected",
                ("edges",),
                f"{len(apart)} vessels are not connected to the root: {shown}.",
                "join them to the tree with an edge, or remove them",
            )
        )
    return parents


def _ancestors(node: Hashable, parents: Mapping[Hashable, Hashable]) -> list[Hashable]:
    out = [node]
    seen = {node}
    while (node := parents.get(node, node)) not in seen:
        out.append(node)
        seen.add(node)
    return out


def _loop_through(
    a: Hashable, b: Hashable, parents: Mapping[Hashable, Hashable]
) -> list[Hashable] | None:
    """The loop closed by an edge a–b: a up to the common ancestor and down to b."""
    up_a = _ancestors(a, parents)
    up_b = _ancestors(b, parents)
    on_b = {n: i for i, n in enumerate(up_b)}
    for i, node in enumerate(up_a):
        if node in on_b:
            return up_a[: i + 1] + list(reversed(up_b[: on_b[node]]))
    return None


def _loop(
    a: Hashable,
    b: Hashable,
    parents: Mapping[Hashable, Hashable],
    ids: Mapping[Hashable, str],
    where: Mapping[Hashable, Loc],
) -> Problem:
    loop = _loop_through(a, b, parents) or [a, b]
    names = [ids.get(n, "?") for n in loop]
    return Problem(
        "arcade",
        where.get(b, ("edges",)),
        f"the vessels {', '.join(names)} form a loop (an arcade): a case is a tree, each "
        "vessel arising from one other.",
        f"cut the loop: remove the edge between '{ids.get(a, '?')}' and '{ids.get(b, '?')}' "
        "(or another on the loop), and mention the arcade in `notes`",
        ids.get(b),
    )


def _arcade(
    node: Hashable,
    above: Sequence[Hashable],
    first: Mapping[Hashable, Hashable],
    ids: Mapping[Hashable, str],
    where: Mapping[Hashable, Loc],
) -> Problem:
    """A vessel arising from several: the loop through its first two parents, if any
    (``first`` holds each vessel's first parent)."""
    loop = _loop_through(above[0], above[1], first)
    parents = ", ".join(f"'{ids.get(p, '?')}'" for p in above)
    if loop is None:
        message = f"the vessel arises from {len(above)} vessels ({parents})."
    else:
        names = ", ".join([ids[node], *(ids.get(n, "?") for n in loop)])
        message = (
            f"the vessel arises from {len(above)} vessels ({parents}): the vessels {names} "
            "form a loop (an arcade); a case is a tree, each vessel arising from one other."
        )
    return Problem(
        "arcade",
        where[node],
        message,
        "keep the edge from the vessel it arises from and remove the others; mention the "
        "arcade in `notes`",
        ids[node],
    )
