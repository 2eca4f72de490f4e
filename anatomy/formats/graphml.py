"""GraphML in: a graph written by ``networkx.write_graphml`` (or yEd, Gephi, igraph), read
by ``networkx.read_graphml`` as a case.

GraphML holds only scalar attributes, so ``supplies`` is text (``"V, VI, VII, VIII"``)
and the graph attribute ``tumors``, when given, is a JSON list of the case's tumors. The
XML must be UTF-8 and declare no DTD or entities: a case needs none, and refusing them
keeps entity expansion out of the parser's reach. Malformed XML is reported with its
line and column, never quoting the text.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree

from anatomy.errors import CaseError, Problem, UnreadableError
from anatomy.formats.converted import Converted
from anatomy.formats.document import read_document
from anatomy.formats.networkx import graph_document

__all__ = ["read_graphml"]

_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([^\"']+)[\"']", re.I)
_FORBIDDEN = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.I)


def read_graphml(data: bytes | str) -> Converted:
    """GraphML text as a converted case document.

    Raises :class:`~anatomy.errors.UnreadableError` when the text is not UTF-8 XML without
    a DTD, and :class:`~anatomy.errors.CaseError` when the XML is no graph networkx reads.
    """
    import networkx as nx

    raw = data.encode("utf-8") if isinstance(data, str) else data
    _check_text(raw)
    try:
        graph = nx.read_graphml(io.BytesIO(raw))
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise _unreadable(
            f"not valid XML at line {line}, column {column + 1}.",
            "correct the XML there",
            line,
            column + 1,
        ) from None
    except (nx.NetworkXError, KeyError, ValueError, TypeError, AttributeError):
        # Well-formed XML, but not a graph: the text was read, its content cannot be used.
        raise CaseError(
            [
                Problem(
                    "invalid_graphml",
                    (),
                    "the XML is not GraphML that networkx reads (a <graphml> element with a "
                    "<graph> of nodes, edges and typed keys).",
                    "write the graph with networkx.write_graphml (docs/input-formats.md)",
                )
            ]
        ) from None
    for key in ("node_default", "edge_default"):  # networkx's record of GraphML key defaults
        graph.graph.pop(key, None)
    tumors = graph.graph.get("tumors")
    problems: list[Problem] = []
    if isinstance(tumors, str):
        try:
            graph.graph["tumors"] = read_document(tumors, "json")
        except UnreadableError:
            problems.append(
                Problem(
                    "invalid_field",
                    ("graph", "tumors"),
                    "the graph attribute `tumors` is not a JSON list.",
                    'write the tumors as JSON text, e.g. [{"id": "t1", "segments": ["IV"]}]',
                )
            )
            del graph.graph["tumors"]
    for source, target, attributes in graph.edges(data=True):
        problems += [
            Problem(
                "unknown_key",
                ("edges", f"{source}->{target}", str(name)),
                f"edge attribute '{name}' is not read: an edge only says which vessel arises "
                "from which.",
                "put vessel fields on the node of the vessel that arises (the edge's target)",
            )
            for name in attributes
            if name != "id"
        ]
    converted = graph_document(graph)
    return Converted(
        converted.document,
        [*problems, *converted.problems],
        converted.vessel_places,
        converted.top,
        hides=converted.hides,
        tree_place=converted.tree_place,
    )


def _check_text(raw: bytes) -> None:
    declared = _DECLARATION.match(raw)
    if declared and declared.group(1).decode("ascii", "replace").lower() not in ("utf-8", "utf8"):
        raise _unreadable("the GraphML is not declared UTF-8.", "save it as UTF-8")
    if b"\x00" in raw:
        raise _unreadable("the GraphML is not UTF-8 text.", "save it as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unreadable("the GraphML is not UTF-8 text.", "save it as UTF-8") from None
    if _FORBIDDEN.search(text):
        raise _unreadable(
            "the GraphML declares a DTD or entities, which a case never needs.",
            "remove the <!DOCTYPE …> and <!ENTITY …> declarations",
        )


def _unreadable(
    message: str, fix: str, line: int | None = None, column: int | None = None
) -> UnreadableError:
    return UnreadableError([Problem("unreadable", (), message, fix, line=line, column=column)])
