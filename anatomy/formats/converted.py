"""A case document converted from another format, and its problems in that format's terms.

A reader of another format (a networkx graph, node-link JSON, GraphML, SWC with its
sidecar) turns its input into the one case document ``anatomy.case.parse_case``
validates, so every problem is found by the same rules. What the case document cannot
say (a vessel with two parents, an undirected edge, an SWC line) the reader reports
itself. :func:`case_from` runs the validation and names each problem where it is in the
reader's input: ``nodes[3].kind`` in node-link JSON, ``nodes.rha.kind`` in a graph,
``sidecar.vessels[2].kind`` with its line in an SWC sidecar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from anatomy.case import Case, parse_case
from anatomy.errors import CaseError, Problem, sort_problems

__all__ = ["Converted", "case_from"]

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Converted:
    """A case document, the problems found while converting, and where things came from.

    ``vessels[i]`` (the document's i-th vessel) is at ``vessel_places[i]`` in the input;
    the document's top-level keys (``tumors``, ``title`` …) under ``top``. ``refine``, when
    given, adds what only the reader knows (an SWC sidecar's line numbers) to a problem.
    ``hides`` are codes of the case's problems that follow from the reader's (an
    undirected graph without its root has no parents: not "several roots").
    """

    document: dict[str, Any]
    problems: Sequence[Problem] = ()
    vessel_places: Sequence[Loc] = ()
    top: Loc = ()
    refine: Callable[[Problem], Problem] | None = field(default=None, compare=False)
    hides: frozenset[str] = frozenset()  # case problem codes the reader's problems explain
    tree_place: Loc = ()  # where the tree as a whole is (a problem of all vessels: roots)

    def place(self, loc: Loc) -> Loc:
        """Where a location in the case document is in the reader's input."""
        if loc == ("vessels",) and self.tree_place:
            return self.tree_place
        if (
            len(loc) >= 2
            and loc[0] == "vessels"
            and isinstance(loc[1], int)
            and loc[1] < len(self.vessel_places)
        ):
            return (*self.vessel_places[loc[1]], *loc[2:])
        return (*self.top, *loc)


def case_from(converted: Converted, source: str | None = None) -> Case:
    """Validate the converted document; every problem, the reader's and the case's, in
    one :class:`~anatomy.errors.CaseError` that names places in the reader's input."""
    found: list[Problem] = []
    case: Case | None = None
    try:
        case = parse_case(converted.document, source=source)
    except CaseError as exc:
        found = [_placed(converted, p) for p in exc.problems if p.code not in converted.hides]
    problems = [*converted.problems, *found]
    if problems or case is None:
        raise CaseError(sort_problems(_unique(problems)), source=source)
    return case


def _placed(converted: Converted, problem: Problem) -> Problem:
    moved = replace(problem, loc=converted.place(problem.loc))
    return converted.refine(moved) if converted.refine is not None else moved


def _unique(problems: Sequence[Problem]) -> list[Problem]:
    seen: set[tuple[str, Loc, str]] = set()
    out = []
    for problem in problems:
        key = (problem.code, problem.loc, problem.message)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out
