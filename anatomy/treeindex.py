"""The tree's index: pre-order, parents, sorted children and vessels, computed once.

Case validation builds it while it checks that the vessels form one rooted tree (a walk
from the root that reaches every vessel proves there is no cycle), and every later pass
(territories, annotation, planning) reads it instead of walking a graph again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anatomy.case import Vessel

__all__ = ["TreeIndex", "preorder_from"]


@dataclass(frozen=True, slots=True)
class TreeIndex:
    """One walk's worth of plain lookups, so passes over 100,000 vessels stay cheap."""

    preorder: Sequence[str]
    parent: Mapping[str, str | None]
    children: Mapping[str, Sequence[str]]  # sorted by id
    vessel: Mapping[str, Vessel]
    up: Sequence[int]  # per pre-order position, the parent's position (-1: the root)

    @property
    def postorder(self) -> Sequence[str]:
        return self.preorder[::-1]


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
