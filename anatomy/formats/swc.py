"""SWC in: a parent-pointer tree from centerline extraction, named by a small sidecar.

SWC (INCF swc-specification, Cannon et al. 1998) is text: ``#`` comment lines, then one
point per line in 7 columns, ``id type x y z radius parent``, with parent -1 for the
root. Points need not be listed parents first. A *run* is an unbranched stretch of
points: it starts at the root, just after a branch point or at a point the sidecar
names, and ends at a leaf, a branch point or just before a named point. Each run is a
vessel: its ``length_mm`` is the 3-D distance along its points (from the branch point it
leaves), its ``diameter_mm`` twice the mean of its radii (radii of 0 or less are read as
not measured).

The sidecar (``hepatic-swc-sidecar/1``, YAML or JSON) says what the points cannot: the
``unit`` of coordinates and radii (mm, cm, um) and a ``scale`` applied first (a voxel
size, say); which points start named vessels (``node``: a point id, or a list of runs
that continue one another, as the aorta does past its branches), with their ``id``,
``kind``, ``supplies``, ``status`` and ``label``; and the case's ``tumors`` and top-level
fields. Runs it does not name are unnamed branches ``swc-<first point id>``.

Every problem names the SWC line or the sidecar field (with its line) to correct.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from anatomy.errors import CaseError, Problem, UnreadableError
from anatomy.formats.converted import Converted
from anatomy.formats.document import locate, read_document

__all__ = ["SIDECAR_FORMAT", "UNITS", "read_swc"]

SIDECAR_FORMAT = "hepatic-swc-sidecar/1"
UNITS = {"mm": 1.0, "cm": 10.0, "um": 0.001, "µm": 0.001, "m": 1000.0}
MAX_LISTED = 50  # SWC lines named in one answer; the count says how many more


@dataclass(frozen=True, slots=True)
class Point:
    id: int
    x: float
    y: float
    z: float
    radius: float
    parent: int
    line: int


@dataclass(frozen=True, slots=True)
class Run:
    """An unbranched stretch of points; ``before`` is the branch point it leaves (or None)."""

    points: tuple[Point, ...]
    before: Point | None

    @property
    def start(self) -> int:
        return self.points[0].id


class _VesselIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    node: (
        Annotated[int, Field(ge=1)]
        | Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1)]
    )
    id: str
    kind: str | None = None
    supplies: Any = None
    status: Any = None
    label: Any = None


class _SidecarIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["hepatic-swc-sidecar/1"]
    unit: Literal["mm", "cm", "um", "µm", "m"]
    scale: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 1.0
    id: Any = None
    title: Any = None
    modality: Any = None
    source: Any = None
    notes: Any = None
    vessels: list[Any] = []
    tumors: list[Any] = []


def read_swc(
    swc: str | bytes, sidecar: str | bytes | Mapping[str, Any], max_points: int | None = None
) -> Converted:
    """An SWC text and its sidecar (text or a parsed mapping) as a converted case document.

    Raises :class:`~anatomy.errors.CaseError` when either cannot be used, every problem
    with its SWC line or sidecar field.
    """
    sidecar_text = sidecar if isinstance(sidecar, str | bytes) else None
    try:
        raw = read_document(sidecar_text) if sidecar_text is not None else sidecar
    except UnreadableError as exc:
        # The sidecar is one part of the input: its being unreadable is a problem of it.
        raise CaseError([replace(p, loc=("sidecar",)) for p in exc.problems]) from None
    meta, entries, problems = _sidecar(raw)
    points, swc_problems = _points(swc, max_points)
    problems += swc_problems
    runs: dict[int, Run] = {}
    if points and not swc_problems:
        runs, shape = _runs(points, entries)
        problems += shape
    if problems or meta is None:
        problems = _with_sidecar_lines(problems, sidecar_text)
        raise CaseError(problems)
    factor = meta.scale * UNITS[meta.unit]
    document, places, shape = _document(meta, entries, runs, factor)
    if shape:
        raise CaseError(_with_sidecar_lines(shape, sidecar_text))
    lines = {("swc", "node", run.start): run.points[0].line for run in runs.values()}

    def refine(problem: Problem) -> Problem:
        if problem.loc[:1] == ("sidecar",):
            return _with_sidecar_lines([problem], sidecar_text)[0]
        start = problem.loc[:3]
        if start in lines:
            return replace(problem, line=lines[start])
        return problem

    return Converted(document, [], places, ("sidecar",), refine)


# -- the sidecar ------------------------------------------------------------------------


def _sidecar(raw: object) -> tuple[_SidecarIn | None, list[tuple[int, _VesselIn]], list[Problem]]:
    try:
        meta = _SidecarIn.model_validate(raw)
    except ValidationError as exc:
        return None, [], [_sidecar_problem(e) for e in exc.errors(include_input=False)]
    entries: list[tuple[int, _VesselIn]] = []
    problems: list[Problem] = []
    for index, item in enumerate(meta.vessels):
        try:
            entries.append((index, _VesselIn.model_validate(item)))
        except ValidationError as exc:
            for error in exc.errors(include_input=False):
                problems.append(
                    _sidecar_problem({**error, "loc": ("vessels", index, *error["loc"])})
                )
    return meta, entries, problems


def _sidecar_problem(error: Mapping[str, Any]) -> Problem:
    loc = tuple(error["loc"])
    fixes = {
        ("format",): f"write `format: {SIDECAR_FORMAT}`",
        ("unit",): "write the unit of the SWC coordinates and radii: mm, cm or um",
        ("scale",): "give the factor that turns SWC values into that unit (e.g. a voxel size)",
    }
    if error["type"] == "extra_forbidden":
        message = f"unknown key '{loc[-1]}' in the SWC sidecar."
    elif error["type"] == "missing":
        message = "this field is required in the SWC sidecar."
    else:
        message = str(error["msg"]).removeprefix("Value error, ").rstrip(".") + "."
    fix = fixes.get(loc, "correct the sidecar as docs/input-formats.md describes")
    if len(loc) >= 3 and loc[0] == "vessels" and loc[2] == "node":
        fix = "give the id of the SWC point that starts the vessel (or a list of them)"
    return Problem("invalid_sidecar", ("sidecar", *loc), message, fix)


def _with_sidecar_lines(problems: Sequence[Problem], text: str | bytes | None) -> list[Problem]:
    if text is None:
        return list(problems)
    inside = [replace(p, loc=p.loc[1:]) if p.loc[:1] == ("sidecar",) else p for p in problems]
    located = locate(text, inside)
    return [
        replace(done, loc=("sidecar", *done.loc)) if p.loc[:1] == ("sidecar",) else p
        for p, done in zip(problems, located, strict=True)
    ]


# -- the points -------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")


def _points(swc: str | bytes, max_points: int | None) -> tuple[dict[int, Point], list[Problem]]:
    if isinstance(swc, bytes):
        try:
            swc = swc.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableError(
                [
                    Problem(
                        "unreadable", ("swc",), "the SWC file is not UTF-8 text.", "save it as text"
                    )
                ]
            ) from None
    points: dict[int, Point] = {}
    problems: list[Problem] = []
    bad = 0
    for number, raw in enumerate(swc.splitlines(), start=1):
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        if max_points is not None and len(points) >= max_points:
            raise CaseError(
                [
                    _swc_problem(
                        number,
                        f"the SWC file has more than {max_points} points, this reader's limit.",
                        "thin the centerline (fewer points per vessel) or split the tree",
                    )
                ]
            )
        reason, point = _point(text, number)
        if reason is None and point is not None and point.id in points:
            reason = f"point id {point.id} is already used on line {points[point.id].line}"
        if reason is not None:
            bad += 1
            if bad <= MAX_LISTED:
                problems.append(
                    _swc_problem(
                        number,
                        f"{reason}.",
                        "write 7 numbers: id type x y z radius parent (parent -1 for the root)",
                    )
                )
            continue
        assert point is not None
        points[point.id] = point
    if bad > MAX_LISTED:
        problems.append(
            Problem(
                "swc_line",
                ("swc",),
                f"{bad - MAX_LISTED} more lines are not valid SWC.",
                "see above",
            )
        )
    if not points and not problems:
        problems.append(
            Problem("swc_line", ("swc",), "the SWC file has no points.", "write the tree's points")
        )
    return points, problems


def _point(text: str, number: int) -> tuple[str | None, Point | None]:
    columns = text.split()
    if len(columns) != 7:
        return f"{len(columns)} columns, SWC has 7 (id type x y z radius parent)", None
    ident, kind, *coords, parent = columns
    if not _INTEGER.match(ident) or int(ident) < 1:
        return "the id (column 1) is not a positive whole number", None
    if not _INTEGER.match(kind):
        return "the type (column 2) is not a whole number", None
    if not all(_NUMBER.match(c) for c in coords):
        return "x, y, z and radius (columns 3-6) must be numbers", None
    values = [float(c) for c in coords]
    if not all(math.isfinite(v) for v in values):
        return "x, y, z and radius (columns 3-6) must be finite numbers", None
    if not _INTEGER.match(parent) or (int(parent) < 1 and int(parent) != -1):
        return "the parent (column 7) must be a point id or -1 for the root", None
    x, y, z, radius = values
    return None, Point(int(ident), x, y, z, radius, int(parent), number)


def _swc_problem(line: int, message: str, fix: str) -> Problem:
    return Problem("swc_line", ("swc",), message, fix, line=line)


# -- runs (vessels) ---------------------------------------------------------------------


def _runs(
    points: Mapping[int, Point], entries: Sequence[tuple[int, _VesselIn]]
) -> tuple[dict[int, Run], list[Problem]]:
    """The runs by their first point's id, and the problems of the tree's shape. A run
    also starts at each point the sidecar names (where the CHA becomes the PHA, say)."""
    named = {n for _, e in entries for n in ([e.node] if isinstance(e.node, int) else e.node)}
    problems: list[Problem] = []
    children: dict[int, list[int]] = {pid: [] for pid in points}
    roots = []
    for point in points.values():
        if point.parent == -1:
            roots.append(point)
        elif point.parent not in points:
            problems.append(
                _swc_problem(
                    point.line,
                    f"point {point.id} names parent {point.parent}, which is no point of the file.",
                    "use the id of an existing point, or -1 for the root",
                )
            )
        else:
            children[point.parent].append(point.id)
    if len(roots) != 1:
        lines = ", ".join(str(r.line) for r in roots[:10])
        problems.append(
            Problem(
                "swc_roots",
                ("swc",),
                "no point has parent -1, so the tree has no root."
                if not roots
                else f"{len(roots)} points have parent -1 (lines {lines}): one tree has one root.",
                "give the root point (the aorta's first point) parent -1, and every other "
                "point its parent",
                line=roots[0].line if roots else None,
            )
        )
    if problems:
        return {}, problems
    runs: dict[int, Run] = {}
    reached = 0
    stack: list[tuple[int, Point | None]] = [(roots[0].id, None)]
    while stack:
        start, before = stack.pop()
        stretch = [points[start]]
        while len(children[stretch[-1].id]) == 1 and children[stretch[-1].id][0] not in named:
            stretch.append(points[children[stretch[-1].id][0]])
        reached += len(stretch)
        runs[start] = Run(tuple(stretch), before)
        stack.extend(
            (child, stretch[-1]) for child in sorted(children[stretch[-1].id], reverse=True)
        )
    if reached < len(points):
        problems += _loops(points, runs)
    return runs, problems


def _loops(points: Mapping[int, Point], runs: Mapping[int, Run]) -> list[Problem]:
    """Points the root does not reach: their parents loop (an arcade written as SWC)."""
    reached = {p.id for run in runs.values() for p in run.points}
    done: set[int] = set()
    out = []
    for pid in sorted(set(points) - reached):
        walk: list[int] = []
        node = pid
        while node not in done and node not in walk and node in points:
            walk.append(node)
            node = points[node].parent
        done.update(walk)
        if node in walk:
            loop = walk[walk.index(node) :]
            shown = ", ".join(f"{n} (line {points[n].line})" for n in loop[:12])
            out.append(
                _swc_problem(
                    points[min(loop)].line,
                    f"the points {shown}{' …' if len(loop) > 12 else ''} form a loop (an "
                    "arcade): a tree has none.",
                    "cut the loop: give one of these points a parent outside it",
                )
            )
    return out


def _document(
    meta: _SidecarIn,
    entries: Sequence[tuple[int, _VesselIn]],
    runs: Mapping[int, Run],
    factor: float,
) -> tuple[dict[str, Any], list[tuple[str | int, ...]], list[Problem]]:
    problems: list[Problem] = []
    owner: dict[int, tuple[int, str]] = {}  # run start -> (entry index, vessel id)
    start_of = {p.id: start for start, run in runs.items() for p in run.points}
    for index, entry in entries:
        nodes = [entry.node] if isinstance(entry.node, int) else entry.node
        for position, node in enumerate(nodes):
            where = ("sidecar", "vessels", index, "node") + ((position,) if len(nodes) > 1 else ())
            if node not in start_of:
                problems.append(
                    Problem(
                        "unknown_node",
                        where,
                        f"no SWC point has id {node}.",
                        "give the id of the point that starts the vessel",
                        entry.id,
                    )
                )
            elif node in owner:
                problems.append(
                    Problem(
                        "duplicate_node",
                        where,
                        f"the run starting at point {node} is also named by "
                        f"vessels[{owner[node][0]}].",
                        "name each run once",
                        entry.id,
                    )
                )
            else:
                if position > 0:
                    earlier = nodes[position - 1]
                    before = runs[node].before
                    if earlier in runs and (before is None or start_of[before.id] != earlier):
                        problems.append(
                            Problem(
                                "runs_not_continuous",
                                where,
                                f"the run starting at point {node} does not continue the run "
                                f"starting at point {earlier}.",
                                "list runs that continue one another, top down",
                                entry.id,
                            )
                        )
                owner[node] = (index, entry.id)
    if problems:
        return {}, [], problems
    by_index = dict(entries)
    vessel_of = {start: (owner[start][1] if start in owner else f"swc-{start}") for start in runs}
    grouped: dict[str, list[Run]] = {}
    order: list[str] = []
    places: list[tuple[str | int, ...]] = []
    for start in sorted(runs, key=lambda s: runs[s].points[0].line):
        name = vessel_of[start]
        if name not in grouped:
            grouped[name] = []
            order.append(name)
            places.append(
                ("sidecar", "vessels", owner[start][0])
                if start in owner
                else ("swc", "node", start)
            )
        grouped[name].append(runs[start])
    vessels = []
    for name in order:
        chain = grouped[name]
        first = min(chain, key=lambda r: r.points[0].line)
        item: dict[str, Any] = {"id": name}
        if first.before is not None:
            item["parent"] = vessel_of[start_of[first.before.id]]
        if first.start in owner:
            entry = by_index[owner[first.start][0]]
            for key in ("kind", "supplies", "status", "label"):
                if getattr(entry, key) is not None:
                    item[key] = getattr(entry, key)
        length = sum(_length(run) for run in chain) * factor
        radii = [p.radius for run in chain for p in run.points if p.radius > 0]
        if length > 0:
            item["length_mm"] = round(length, 3)
        if radii:
            item["diameter_mm"] = round(2 * sum(radii) / len(radii) * factor, 3)
        vessels.append(item)
    document: dict[str, Any] = {"vessels": vessels}
    for key in ("id", "title", "modality", "source", "notes"):
        if getattr(meta, key) is not None:
            document[key] = getattr(meta, key)
    if meta.tumors:
        document["tumors"] = meta.tumors
    return document, places, []


def _length(run: Run) -> float:
    stretch = ([run.before] if run.before is not None else []) + list(run.points)
    return sum(math.dist((a.x, a.y, a.z), (b.x, b.y, b.z)) for a, b in itertools.pairwise(stretch))
