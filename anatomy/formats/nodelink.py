"""networkx node-link JSON in: ``nx.node_link_data`` output, with ``edges`` or the older
``links`` key, read as a case.

The text is read by the case reader's JSON reader (nesting, repeated keys and NaN are
refused as for a case file), its shape checked here (every node has an id, every edge
joins two nodes) so that each problem names ``nodes[3]`` or ``edges[5]``, and only then
handed to ``networkx.node_link_graph``. The graph's nodes carry the case's vessel fields
(see ``anatomy.formats.networkx``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from anatomy.errors import CaseError, Problem
from anatomy.formats.converted import Converted
from anatomy.formats.document import read_document
from anatomy.formats.networkx import graph_document

__all__ = ["EDGE_KEYS", "is_node_link", "node_link_document", "read_node_link"]

EDGE_KEYS = ("edges", "links")  # networkx >= 3.4 writes "edges"; older versions "links"
_ENDS = ("source", "target")
_TOP = frozenset({"directed", "multigraph", "graph", "nodes", *EDGE_KEYS})


def is_node_link(document: object) -> bool:
    """Whether a parsed JSON document is node-link data (``nodes`` and ``edges``/``links``,
    no ``vessels``)."""
    return (
        isinstance(document, Mapping)
        and "vessels" not in document
        and isinstance(document.get("nodes"), list)
        and any(key in document for key in EDGE_KEYS)
    )


def read_node_link(text: str | bytes) -> Converted:
    """Node-link JSON text as a converted case document (see :func:`node_link_document`)."""
    return node_link_document(read_document(text, "json"))


def node_link_document(document: object) -> Converted:
    """A parsed node-link document as a converted case document.

    Raises :class:`~anatomy.errors.CaseError` when the document is not node-link data
    that networkx can read, each problem naming the node or edge.
    """
    import networkx as nx

    problems, bad = _shape(document)
    if bad is None:  # not node-link data at all
        raise CaseError(problems)
    assert isinstance(document, Mapping)
    key = "edges" if "edges" in document else "links"
    # Nodes and edges networkx cannot read are left out (their problems are reported),
    # so that everything else is checked in the same answer.
    nodes = [n for i, n in enumerate(document["nodes"]) if ("nodes", i) not in bad]
    edges = [e for i, e in enumerate(document[key]) if (key, i) not in bad]
    data = {
        "directed": document.get("directed", True),
        "multigraph": document.get("multigraph", False),
        "graph": document.get("graph", {}),
        "nodes": nodes,
        key: edges,
    }
    graph = nx.node_link_graph(data, edges=key)
    places: dict[Hashable, tuple[str | int, ...]] = {
        item["id"]: ("nodes", index)
        for index, item in enumerate(document["nodes"])
        if ("nodes", index) not in bad
    }
    converted = graph_document(graph, places)
    extra = [_edge_attribute(key, i, e) for i, e in enumerate(document[key]) if (key, i) not in bad]
    return Converted(
        converted.document,
        [*problems, *converted.problems, *(p for group in extra for p in group)],
        converted.vessel_places,
        converted.top,
        hides=converted.hides,
        tree_place=converted.tree_place,
    )


def _shape(document: object) -> tuple[list[Problem], set[tuple[str, int]] | None]:
    """What keeps networkx from reading the document, each with its place, and the nodes
    and edges to leave out (None: the document cannot be read as node-link data)."""
    if not isinstance(document, Mapping):
        return [_problem((), "node-link data is a JSON object with `nodes` and `edges`.")], None
    out = [
        Problem(
            "unknown_key",
            (str(key),),
            f"unknown key '{key}'; node-link data has {', '.join(sorted(_TOP))}.",
            "remove it; the case's own fields belong under `graph`",
        )
        for key in document
        if key not in _TOP
    ]
    fatal = False
    for flag in ("directed", "multigraph"):
        if flag in document and not isinstance(document[flag], bool):
            out.append(_problem((flag,), f"`{flag}` must be true or false."))
            fatal = True
    if "graph" in document and not isinstance(document["graph"], Mapping):
        out.append(_problem(("graph",), "`graph` must be an object of graph attributes."))
        fatal = True
    if all(key in document for key in EDGE_KEYS):
        out.append(_problem(("links",), "both `edges` and `links` are given; networkx reads one."))
        fatal = True
    nodes = document.get("nodes")
    key = next((k for k in EDGE_KEYS if k in document), None)
    edges = document.get(key) if key else None
    if not isinstance(nodes, list):
        out.append(_problem(("nodes",), "`nodes` must be a list of objects with an `id`."))
    if key is None or not isinstance(edges, list):
        out.append(_problem((key or "edges",), "`edges` must be a list of source-target pairs."))
    if fatal or not isinstance(nodes, list) or key is None or not isinstance(edges, list):
        return out, None
    bad: set[tuple[str, int]] = set()
    ids: dict[Any, int] = {}
    for index, item in enumerate(nodes):
        node = item.get("id") if isinstance(item, Mapping) else None
        if isinstance(node, bool) or not isinstance(node, str | int):
            out.append(
                _problem(("nodes", index, "id"), "each node needs an `id`: text or a number.")
            )
            bad.add(("nodes", index))
        elif node in ids:
            out.append(
                Problem(
                    "duplicate_id",
                    ("nodes", index, "id"),
                    f"duplicate node id: also used by nodes[{ids[node]}].",
                    "give each vessel its own id",
                    str(node),
                )
            )
            bad.add(("nodes", index))
        else:
            ids[node] = index
    for index, edge in enumerate(edges):
        if not isinstance(edge, Mapping):
            out.append(_problem((key, index), "each edge is an object with `source` and `target`."))
            bad.add((key, index))
            continue
        for end in _ENDS:
            value = edge.get(end)
            hashable = isinstance(value, str | int) and not isinstance(value, bool)
            if not hashable or value not in ids:
                out.append(
                    _problem(
                        (key, index, end),
                        f"the edge's `{end}` is not the id of a node in `nodes`.",
                        "use the id of a node listed in `nodes`, or add that node",
                    )
                )
                bad.add((key, index))
    return out, bad


def _edge_attribute(key: str, index: int, edge: Mapping[str, Any]) -> list[Problem]:
    return [
        Problem(
            "unknown_key",
            (key, index, str(name)),
            f"edge attribute '{name}' is not read: an edge only says which vessel arises "
            "from which.",
            "put vessel fields (kind, supplies, diameter_mm, length_mm …) on the node of the "
            "vessel that arises (the edge's target)",
        )
        for name in edge
        if name not in (*_ENDS, "key")
    ]


def _problem(loc: tuple[str | int, ...], message: str, fix: str | None = None) -> Problem:
    return Problem(
        "invalid_node_link",
        loc,
        message,
        fix or "write the graph as networkx's node_link_data does (docs/input-formats.md)",
    )
