"""The tree as indented text, for a terminal: each vessel's name and the segments it feeds.

The terminal's counterpart of the diagram: ``hepatic quiz`` and ``hepatic cases show``
print it where a page shows the figure. With ``hide_hepatic_names`` the hepatic arteries
and the hepatic axis are written by their vessel id alone, as the diagram draws a quiz
figure; trunks and extrahepatic branches keep their names. Iterative: a tree may be deep.

>>> from anatomy.case import parse_case
>>> from anatomy.pipeline import answer
>>> done = answer(parse_case({"vessels": [{"id": "ao", "kind": "aorta"},
...     {"id": "ct", "kind": "celiac trunk", "parent": "ao"},
...     {"id": "cha", "kind": "CHA", "parent": "ct", "supplies": ["II", "III"]}]}))
>>> print(outline(done.classification))
Ao
└─ celiac trunk
   └─ CHA → II, III
"""

from __future__ import annotations

from collections.abc import Mapping

from anatomy.classification.classify import Classification
from anatomy.output.diagram import compact_segments
from anatomy.reference.vocabulary import kind

__all__ = ["hepatic_vessels", "outline"]


def hepatic_vessels(result: Classification) -> frozenset[str]:
    """The vessels a quiz figure draws by id alone: the hepatic axis and every vessel of a
    hepatic artery's subtree, extrahepatic branches excepted (the diagram's rule)."""
    note = result.anatomy
    vessels = note.tree.vessel
    out = set(note.axis) | set(note.artery_of)
    return frozenset(
        node
        for node in out
        if vessels[node].kind is None or not kind(vessels[node].kind or "").non_target_branch
    )


def outline(result: Classification, *, hide_hepatic_names: bool = False) -> str:
    """The classified tree as indented lines, root first, siblings in id order."""
    note = result.anatomy
    tree = note.tree
    hidden = hepatic_vessels(result) if hide_hepatic_names else frozenset()
    status = {a.vessel: a.status for a in note.arteries}
    lines: list[str] = []
    # (vessel, the prefix its children continue, the connector before it)
    stack: list[tuple[str, str, str]] = [(tree.preorder[0], "", "")]
    while stack:
        node, prefix, connector = stack.pop()
        lines.append(prefix + connector + _name(result, node, hidden, status))
        below = prefix + ("" if not connector else ("   " if connector == "└─ " else "│  "))
        children = list(tree.children[node])
        for i, child in reversed(list(enumerate(children))):
            stack.append((child, below, "└─ " if i == len(children) - 1 else "├─ "))
    return "\n".join(lines)


def _name(
    result: Classification, node: str, hidden: frozenset[str], status: Mapping[str, str]
) -> str:
    note = result.anatomy
    vessel = note.tree.vessel[node]
    own = note.territories.own[node]
    supply = f" → {compact_segments(own)}" if own else ""
    if node in hidden:
        return node + supply
    if vessel.kind is None:
        return (vessel.label or f"branch {node}") + supply
    entry = kind(vessel.kind)
    word = status.get(node, "normal")
    name = entry.short if word == "normal" else f"{word} {entry.short}"
    if entry.non_target_branch and entry.organ_at_risk:
        name += f" (at risk: {entry.organ_at_risk})"
    return name + supply
