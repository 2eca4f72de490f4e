"""The anatomical schematic: the figure a teacher draws on the board.

A frontal view (the patient's right on the viewer's left, as on an AP angiogram; or
mirrored, seen from behind): the liver divided into its Couinaud segments, the aorta with
the celiac trunk above the SMA, and each hepatic artery running from its real origin into
the segments it supplies, replaced and accessory arteries marked by colour *and* line
style as in the tree diagram; tumors in their segments drawn to scale against a liver
about 15 cm wide, the planned catheter positions numbered on their vessels with their
paths drawn thick, and the non-target branches with their organ at risk. The layout is
data (``data/schematic.yaml``, read by ``anatomy.reference.layout``); the SVG is written
here, deterministically (every list sorted, fixed number formatting), and each vessel is a
``<g class="vessel ...">`` whose ``<title>`` is its id, as in the tree diagram.
``render_schematic`` draws PNG or PDF from it with CairoSVG. Every walk is iterative.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING

from anatomy.case import Case, Tumor
from anatomy.errors import RendererMissingError
from anatomy.output.diagram import VIEWS, Convention, check_convention, compact_segments
from anatomy.output.look import (
    ACCESSORY,
    BLACK,
    GREY,
    GREY_TEXT,
    REPLACED,
    TRUNK_FILL,
    TUMOR_FILL,
    TUMOR_LINE,
    kind_of,
    vessel_categories,
)
from anatomy.output.wording import figure_title
from anatomy.reference.layout import Layout, Point, layout
from anatomy.reference.vocabulary import side_artery
from anatomy.segments import Segment, segment_names

if TYPE_CHECKING:
    from anatomy.classification.classify import Classification
    from anatomy.planning.plan import Plan

__all__ = ["FONT_PX", "case_schematic", "render_schematic", "schematic"]

# Text sizes in SVG pixels. The figure is drawn at the layout's width (760 px): shown in
# an A4 report column (about 690 px) its smallest text is still 12.7 px.
FONT_PX: Mapping[str, float] = {
    "title": 21,
    "subtitle": 16,
    "segment": 19,
    "label": 15,
    "small": 14,
    "badge": 15,
}
_FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
_STROKE: Mapping[str, tuple[str, float, str]] = {  # colour, width, dash pattern
    "trunk": (BLACK, 3.0, ""),
    "normal": (BLACK, 3.0, ""),
    "replaced": (REPLACED, 3.6, "9,5"),
    "accessory": (ACCESSORY, 3.6, "2,5"),
    "non_target": (GREY, 2.0, ""),
}
_PLANNED_EXTRA = 3.4
_LIVER_FILL = "#fff4e6"
_LIVER_LINE = "#a0785a"
_SEGMENT_TEXT = "#8c6d58"
_TITLE_HEIGHT = 78
_GAP = 14  # between two arteries ending in one segment
_BRANCH_SHARE = 0.55  # how far a branching vessel inside the liver runs towards its segments
_STUB = 64.0  # length of a branch drawn from its parent's end in the direction it runs
_CURVE_FROM = 50.0  # an artery rising more than this to the hilum is drawn as a curve
_TOO_MANY = 400  # drawn vessels beyond which unnamed branches above the liver are merged


def case_schematic(
    case: Case,
    classification: Classification,
    *,
    plan: Plan | None = None,
    positions: Sequence[tuple[str, Sequence[str]]] = (),
    extrahepatic: bool = True,
    convention: Convention = "angiographic",
) -> str:
    """The SVG text of a case's schematic: ``schematic`` with its tumors, title and plan."""
    return schematic(
        classification,
        plan=plan,
        positions=positions,
        tumors=case.tumors,
        extrahepatic=extrahepatic,
        convention=convention,
        title=case.title or case.id,
    )


def schematic(
    classification: Classification,
    *,
    plan: Plan | None = None,
    positions: Sequence[tuple[str, Sequence[str]]] = (),
    tumors: Sequence[Tumor] = (),
    extrahepatic: bool = True,
    convention: Convention = "angiographic",
    title: str | None = None,
    heading: bool = True,
) -> str:
    """The classified anatomy as a frontal schematic, deterministic SVG text.

    The options mean what they mean for ``anatomy.output.diagram.diagram``: the plan's
    recommended positions (or ``positions``, each ``(vessel id, path from the root)``)
    are numbered on their vessels; ``extrahepatic=False`` hides the non-target branches
    no position needs; ``convention`` is ``angiographic`` (frontal) or ``posterior``;
    ``heading=False`` leaves out the title lines (a report prints them above).
    Raises ``ValueError`` when the convention is unknown, both a plan and positions are
    given, or a position is not a vessel of this tree.

    Examples
    --------
    >>> from anatomy.case import parse_case
    >>> from anatomy.pipeline import answer
    >>> done = answer(parse_case({"vessels": [{"id": "ao", "kind": "aorta"},
    ...     {"id": "ct", "kind": "celiac trunk", "parent": "ao"}]}))
    >>> schematic(done.classification).startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    True
    """
    check_convention(convention)
    tree = classification.anatomy.tree
    if plan is not None:
        if positions:
            raise ValueError("give a plan or positions, not both")
        positions = [(t.position.vessel, t.position.path) for t in plan.positions]
    for target, _ in positions:
        if target not in tree:
            raise ValueError(f"catheter position {target!r} is not a vessel of this tree")
    drawing = _Schematic(classification, positions, tumors, extrahepatic, convention, title)
    return drawing.svg(heading)


def render_schematic(svg: str, fmt: str) -> bytes:
    """The schematic's SVG text as ``svg``, ``png`` (2x, for print) or ``pdf`` bytes.

    PNG and PDF are drawn by CairoSVG on the cairo library (Debian ``libcairo2``, which
    Graphviz brings); without it, ``RendererMissingError`` names the fix.
    """
    if fmt == "svg":
        return svg.encode("utf-8")
    if fmt not in ("png", "pdf"):
        raise ValueError(f"the schematic is drawn as svg, png or pdf, not '{fmt}'")
    try:
        import cairosvg
    except OSError as exc:  # cairocffi could not load libcairo
        raise RendererMissingError(
            "The cairo library was not found, so the schematic cannot be drawn as "
            f"{fmt.upper()} ({exc}). Fix: apt-get install libcairo2 (Graphviz brings it), "
            "or ask for SVG.",
            "cairo",
        ) from exc
    data = svg.encode("utf-8")
    out: bytes
    if fmt == "png":
        out = cairosvg.svg2png(bytestring=data, scale=2)
    else:
        out = cairosvg.svg2pdf(bytestring=data)
    return out


# -- geometry ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Stroke:
    """One vessel drawn: from where it leaves its parent, through a bend, to its end."""

    start: Point
    via: Point | None
    end: Point
    curve: bool  # a hepatic artery's run to the hilum, drawn as a smooth curve


def _lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _mean(points: Sequence[Point]) -> Point:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _controls(stroke: _Stroke) -> tuple[Point, Point]:
    """A curve's control points: across first, then up into the liver."""
    (x0, y0), (x1, y1) = stroke.start, stroke.end
    return (x0 + (x1 - x0) * 0.7, y0), (x1, y1 + (y0 - y1) * 0.55)


def _point_on(stroke: _Stroke, t: float) -> Point:
    """The point a fraction ``t`` along a stroke."""
    if stroke.curve:
        c1, c2 = _controls(stroke)
        p0, p3 = stroke.start, stroke.end
        u = 1 - t
        return (
            u**3 * p0[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * p3[0],
            u**3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * p3[1],
        )
    if stroke.via is None:
        return _lerp(stroke.start, stroke.end, t)
    first = math.dist(stroke.start, stroke.via)
    total = first + math.dist(stroke.via, stroke.end)
    at = t * total
    if total == 0 or at <= first:
        return _lerp(stroke.start, stroke.via, at / first if first else 0.0)
    return _lerp(stroke.via, stroke.end, (at - first) / (total - first))


def _polygon_centre(points: Sequence[Point]) -> Point:
    """The area centroid of a simple polygon."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in pairwise([*points, points[0]]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return _mean(points)
    return cx / (3 * area), cy / (3 * area)


# -- the drawing ---------------------------------------------------------------------------


class _Schematic:
    """One schematic being drawn; a class only to share the per-tree tables."""

    def __init__(
        self,
        classification: Classification,
        positions: Sequence[tuple[str, Sequence[str]]],
        tumors: Sequence[Tumor],
        extrahepatic: bool,
        convention: str,
        title: str | None,
    ) -> None:
        self.result = classification
        self.note = classification.anatomy
        self.tree = classification.anatomy.tree
        self.layout: Layout = layout()
        self.tumors = tuple(sorted(tumors, key=lambda t: t.id))
        self.convention = convention
        self.title = title
        self.category = vessel_categories(self.note)
        self.heads = {a.vessel: a for a in self.note.arteries}
        self.numbers: dict[str, list[int]] = {}
        self.planned: set[tuple[str, str]] = set()
        for number, (target, path) in enumerate(positions, start=1):
            self.numbers.setdefault(target, []).append(number)
            self.planned.update(pairwise([p for p in path if p in self.tree]))
        self.shown = self._shown(extrahepatic)
        self.shown_set = set(self.shown)
        self.entries = self._entries()
        self.ends = self._segment_ends()
        self.strokes: dict[str, _Stroke] = {}
        self.drawn_parent: dict[str, str | None] = {}
        self.width = self.layout.width
        self.height = 0.0

    # -- what is drawn, and where --

    def _shown(self, extrahepatic: bool) -> list[str]:
        """The vessels drawn, in pre-order: non-target branches only when asked or needed,
        and in a very large tree only the named vessels, the arteries and the plan's."""
        tree = self.tree
        needed = set(self.numbers) | {n for pair in self.planned for n in pair}
        keep = []
        many = len(tree) > _TOO_MANY
        for node in tree.preorder:
            category = self.category[node]
            if category == "non_target" and not extrahepatic and node not in needed:
                continue
            if (
                many
                and tree.vessel[node].kind is None
                and node not in self.heads
                and node not in needed
                and node not in self.note.artery_of
            ):
                continue
            keep.append(node)
        kept = set(keep)
        # a kept vessel needs its parent drawn: hidden ancestors are passed through
        return [n for n in keep if tree.parent[n] is None or self._drawn_above(n, kept)]

    def _drawn_above(self, node: str, kept: set[str]) -> bool:
        up = self.tree.parent[node]
        while up is not None and up not in kept:
            if self.category[up] == "non_target":
                return False  # inside a hidden non-target branch
            up = self.tree.parent[up]
        return True

    def _entries(self) -> dict[str, Point]:
        """Where each hepatic artery enters the liver: side by side at the hilum, normally
        arising arteries nearest the midline."""
        by_side: dict[str, list[tuple[int, str]]] = {}
        for head in self.note.arteries:
            rank = 0 if head.status == "normal" else 1
            by_side.setdefault(head.side, []).append((rank, head.vessel))
        out: dict[str, Point] = {}
        for side, items in sorted(by_side.items()):
            entry = self.layout.hilum.get(side, self.layout.hilum["caudate"])
            for i, (_, vessel) in enumerate(sorted(items)):
                out[vessel] = (entry.at[0] + i * entry.step[0], entry.at[1] + i * entry.step[1])
        return out

    def _segment_ends(self) -> dict[tuple[str, str], Point]:
        """Where each hepatic artery ends in each segment it supplies; two arteries in
        one segment end side by side (dual supply stays visible)."""
        by_segment: dict[str, list[str]] = {}
        for head in sorted(self.note.arteries, key=lambda a: (self.entries[a.vessel], a.vessel)):
            for name in _shape_names(head.territory):
                by_segment.setdefault(name, []).append(head.vessel)
        out: dict[tuple[str, str], Point] = {}
        for name, vessels in by_segment.items():
            x, y = self.layout.segment(name).end
            for i, vessel in enumerate(vessels):
                out[(vessel, name)] = (x + (i - (len(vessels) - 1) / 2) * _GAP, y)
        return out

    def _target(self, head: str | None, name: str) -> Point:
        if head is not None and (head, name) in self.ends:
            return self.ends[(head, name)]
        return self.layout.segment(name).end

    def _geometry(self) -> None:
        """Each drawn vessel's stroke, in pre-order (a parent before its branches)."""
        tree, lay = self.tree, self.layout
        drawn = set(self.shown)
        below: dict[str, list[Point]] = {}  # entries of the arteries below each vessel
        for head, point in self.entries.items():
            up: str | None = head
            while up is not None:
                below.setdefault(up, []).append(point)
                up = tree.parent[up]
        root = self.shown[0] if self.shown else None
        for node in self.shown:
            parent = tree.parent[node]
            while parent is not None and parent not in drawn:
                parent = tree.parent[parent]
            self.drawn_parent[node] = parent
            entry = kind_of(self.note, node)
            if node == root and entry is not None and entry.group == "aortic":
                continue  # the aorta is drawn as the vertical band
            start = self._start(node, parent)
            artery = self.note.artery_of.get(node)
            via = None
            curve = False
            fixed = lay.ends.get(entry.name) if entry is not None else None
            if node in self.heads:
                end = self.entries[node]
                curve = start[1] - end[1] > _CURVE_FROM  # a long run up into the liver
            elif artery is not None:
                end = self._inside(node, artery, start)
            elif fixed is not None:
                end, via = fixed.end, fixed.via
            elif node in below:
                end = _lerp(start, _mean(below[node]), 0.45)
            else:
                end = self._stub(node, start)
            if start[0] == lay.aorta_x and parent is not None and parent not in self.strokes:
                # leaving the aorta: from its wall on the side the branch runs to
                side = -1 if (via or end)[0] < lay.aorta_x else 1
                start = (lay.aorta_x + side * lay.aorta_width / 2, start[1])
            self.strokes[node] = _Stroke(start, via, end, curve)

    def _start(self, node: str, parent: str | None) -> Point:
        lay = self.layout
        parent_kind = kind_of(self.note, parent) if parent is not None else None
        if parent is None or parent not in self.strokes:
            # the aorta, or a study that starts below it: the vessel leaves the aorta
            entry = kind_of(self.note, node)
            level = entry.craniocaudal if entry is not None else None
            y = lay.levels.get(level if level is not None else 4, lay.levels[4])
            return (lay.aorta_x, y)  # moved to the aorta's edge once the end is known
        stroke = self.strokes[parent]
        fixed = lay.ends.get(parent_kind.name) if parent_kind is not None else None
        share = fixed.branch_at if fixed is not None else 1.0
        return _point_on(stroke, share)

    def _inside(self, node: str, head: str, start: Point) -> Point:
        """The end of a branch of a hepatic artery, inside the liver: towards the
        segments it reaches, all the way when it has no drawn branch."""
        names = _shape_names(self.note.territories.of(node))
        if not names:
            return _lerp(start, self.entries[head], 0.0 if start == self.entries[head] else 0.5)
        goal = _mean([self._target(head, n) for n in names])
        has_branches = any(c in self.shown_set for c in self.tree.children[node])
        if len(names) == 1 and not has_branches:
            return goal
        return _lerp(start, goal, _BRANCH_SHARE)

    def _stub(self, node: str, start: Point) -> Point:
        entry = kind_of(self.note, node)
        lateral = entry.lateral if entry is not None and entry.lateral is not None else 0.0
        if entry is not None and entry.craniocaudal == 0:  # a phrenic artery runs up
            return (start[0] + _STUB * (lateral or -0.6), start[1] - _STUB * 0.8)
        return (start[0] + _STUB * lateral * 1.2, start[1] + _STUB)

    # -- SVG --

    def svg(self, heading: bool = True) -> str:
        self._geometry()
        lay = self.layout
        head, title_bottom = self._title() if heading else ([], 0.0)
        offset = title_bottom + 18 - min(y for _, y in lay.outline)
        body: list[str] = []
        body += self._liver()
        body += self._aorta()
        body += self._tumor_marks()
        body += self._segment_names()
        vessels, labels = self._vessels()
        body += vessels
        body += labels
        body += self._badges()
        ends = [max(s.end[1], s.start[1]) for s in self.strokes.values()]
        bottom = max([lay.aorta_bottom, *ends])
        legend, legend_height = self._legend(bottom + 30)
        body += legend
        self.height = offset + bottom + 30 + legend_height + 8
        width, height = _num(self.width), _num(self.height)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{_FONT}" class="schematic" '
            'role="img">\n'
            f"<title>{escape(self._plain_title())}</title>\n"
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n'
            + "".join(line + "\n" for line in head)
            + f'<g transform="translate(0,{_num(offset)})">\n'
            + "".join(line + "\n" for line in body)
            + "</g>\n</svg>\n"
        )

    def _x(self, x: float) -> float:
        """The posterior view mirrors the frontal one; text is never mirrored."""
        return self.width - x if self.convention == "posterior" else x

    def _pt(self, p: Point) -> str:
        return f"{_num(self._x(p[0]))},{_num(p[1])}"

    def _text(
        self,
        p: Point,
        text: str,
        size: str = "label",
        anchor: str = "middle",
        colour: str = BLACK,
        bold: bool = False,
        halo: bool = True,
        css: str = "",
    ) -> str:
        if self.convention == "posterior" and anchor != "middle":
            anchor = "end" if anchor == "start" else "start"
        weight = ' font-weight="bold"' if bold else ""
        klass = f' class="{css}"' if css else ""
        where = (
            f'x="{_num(self._x(p[0]))}" y="{_num(p[1])}" font-size="{FONT_PX[size]:g}" '
            f'text-anchor="{anchor}"{weight}'
        )
        # a white outline under the letters keeps them legible over lines and tumors
        # (drawn as its own text: renderers differ on paint-order)
        under = (
            f'<text {where} fill="#ffffff" stroke="#ffffff" stroke-width="4" '
            f'stroke-linejoin="round" aria-hidden="true">{escape(text)}</text>'
            if halo
            else ""
        )
        return f'{under}<text {where} fill="{colour}"{klass}>{escape(text)}</text>'

    def _title(self) -> tuple[list[str], float]:
        """The title lines, and where they end."""
        head, hiatt, name = figure_title(self.result)
        y = 30.0
        lines = [self._text((self.width / 2, y), f"{head} · {hiatt}", "title", bold=True)]
        for part in (textwrap.wrap(name, 76) if name else [])[:2]:
            y += 22
            lines.append(self._text((self.width / 2, y), part, "subtitle"))
        if self.title:
            for part in textwrap.wrap(self.title, 88)[:2]:
                y += 20
                lines.append(self._text((self.width / 2, y), part, "small", colour=GREY_TEXT))
        return lines, y

    def _plain_title(self) -> str:
        head, hiatt, name = figure_title(self.result)
        return f"{head} · {hiatt}" + (f": {name}" if name else "")

    def _liver(self) -> list[str]:
        lay = self.layout
        outline = " ".join(self._pt(p) for p in lay.outline)
        out = [
            '<g class="liver">',
            f'<clipPath id="liver-outline"><polygon points="{outline}"/></clipPath>',
            f'<polygon points="{outline}" fill="{_LIVER_FILL}" stroke="none"/>',
        ]
        for shape in sorted(lay.segments, key=lambda s: (s.behind, s.name)):
            points = " ".join(self._pt(p) for p in shape.polygon)
            style = (
                f'fill="#f3e3cf" stroke="{_LIVER_LINE}" stroke-width="1.5" stroke-dasharray="5,4"'
                if shape.behind
                else 'fill="none" stroke="none"'
            )
            out.append(
                f'<polygon class="segment" points="{points}" {style}>'
                f"<title>segment {shape.name}</title></polygon>"
            )
        for name, line in lay.lines:
            dash = ' stroke-dasharray="7,5"' if name == "portal plane" else ""
            out.append(
                f'<polyline class="landmark" points="{" ".join(self._pt(p) for p in line)}" '
                f'fill="none" stroke="{_LIVER_LINE}" stroke-width="1.2"{dash}>'
                f"<title>{escape(name)}</title></polyline>"
            )
        out.append(
            f'<polygon points="{outline}" fill="none" stroke="{_LIVER_LINE}" stroke-width="2.5"/>'
        )
        out.append("</g>")
        return out

    def _segment_names(self) -> list[str]:
        """Drawn over the tumors, so a large tumor does not hide its segments."""
        return [
            self._text(
                shape.label,
                shape.name,
                "segment",
                colour=_SEGMENT_TEXT,
                bold=True,
                css="segment-name",
            )
            for shape in sorted(self.layout.segments, key=lambda s: s.name)
        ]

    def _aorta(self) -> list[str]:
        lay = self.layout
        half = lay.aorta_width / 2
        left, right = self._x(lay.aorta_x - half), self._x(lay.aorta_x + half)
        x = min(left, right)
        planned = any(pair[0] == self.shown[0] for pair in self.planned) if self.shown else False
        return [
            f'<g class="vessel trunk aorta"><title>{escape(self._aorta_id())}</title>',
            f'<rect x="{_num(x)}" y="{_num(lay.aorta_top)}" width="{_num(lay.aorta_width)}" '
            f'height="{_num(lay.aorta_bottom - lay.aorta_top)}" rx="9" fill="{TRUNK_FILL}" '
            f'stroke="{BLACK}" stroke-width="{3.2 if planned else 2}"/>',
            self._text((lay.aorta_x, lay.aorta_bottom - 12), "Ao", bold=True, halo=False),
            "</g>",
        ]

    def _aorta_id(self) -> str:
        """The aorta's vessel id, or a note when the study starts below it."""
        root = self.tree.preorder[0]
        entry = kind_of(self.note, root)
        return root if entry is not None and entry.group == "aortic" else "aorta (not in the study)"

    def _path_d(self, stroke: _Stroke) -> str:
        if stroke.curve:
            c1, c2 = _controls(stroke)
            return (
                f"M{self._pt(stroke.start)} C{self._pt(c1)} {self._pt(c2)} {self._pt(stroke.end)}"
            )
        points = [stroke.start, *([stroke.via] if stroke.via else []), stroke.end]
        return "M" + " L".join(self._pt(p) for p in points)

    def _vessels(self) -> tuple[list[str], list[str]]:
        paths: list[str] = []
        labels: list[str] = []
        # the non-target branches under the arteries, the arteries over the trunks
        rank = {"non_target": 0, "trunk": 1, "normal": 2, "accessory": 3, "replaced": 3}
        position = {n: i for i, n in enumerate(self.shown)}
        order = sorted(
            (n for n in self.shown if n in self.strokes),
            key=lambda n: (rank[self.category[n]], position[n]),
        )
        for node in order:
            stroke = self.strokes[node]
            category = self.category[node]
            colour, width, dash = _STROKE[category]
            parent = self.drawn_parent.get(node)
            planned = parent is not None and self._on_plan(parent, node)
            if planned:
                width += _PLANNED_EXTRA
            entry = kind_of(self.note, node)
            classes = ["vessel", category.replace("_", "-")]
            if planned:
                classes.append("planned")
            if node in self.numbers:
                classes.append("target")
            full = entry.label if entry is not None else "unnamed branch"
            parts = [
                f'<g class="{" ".join(classes)}"><title>{escape(node)}</title>'
                f"<desc>{escape(full)}</desc>",
                f'<path d="{self._path_d(stroke)}" fill="none" stroke="{colour}" '
                f'stroke-width="{_num(width)}" stroke-linecap="round"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>",
            ]
            for segment_end in self._fan(node):
                parts.append(
                    f'<path d="M{self._pt(stroke.end)} L{self._pt(segment_end)}" fill="none" '
                    f'stroke="{colour}" stroke-width="{_num(max(width - 1, 1.6))}" '
                    'stroke-linecap="round"'
                    + (f' stroke-dasharray="{dash}"' if dash else "")
                    + "/>"
                )
                parts.append(
                    f'<circle cx="{_num(self._x(segment_end[0]))}" cy="{_num(segment_end[1])}" '
                    f'r="3.5" fill="{colour}"/>'
                )
            parts.append("</g>")
            paths.append("".join(parts))
            labels += self._vessel_label(node, stroke)
        return paths, labels

    def _on_plan(self, parent: str, node: str) -> bool:
        """The drawn edge parent → node lies on a planned path (hidden vessels between)."""
        current: str | None = node
        while current is not None and current != parent:
            up = self.tree.parent[current]
            if up is None or (up, current) not in self.planned:
                return False
            current = up
        return current == parent

    def _fan(self, node: str) -> list[Point]:
        """A vessel's own supply: a short line to each segment it supplies itself."""
        own = self.note.territories.own[node]
        if not own:
            return []
        head = self.note.artery_of.get(node)
        end = self.strokes[node].end
        out = []
        for name in _shape_names(own):
            target = self._target(head, name)
            if math.dist(target, end) > 1:
                out.append(target)
        return out

    def _vessel_label(self, node: str, stroke: _Stroke) -> list[str]:
        tree = self.tree
        entry = kind_of(self.note, node)
        item = tree.vessel[node]
        head = self.heads.get(node)
        if entry is None and head is None and not item.label:
            return []
        name = entry.abbreviation if entry is not None else (item.label or "branch")
        if head is not None:
            side_name = side_artery(head.side).abbreviation
            word = "" if head.status == "normal" else f"{head.status} "
            if entry is not None and entry.side == head.side:
                name = f"{word}{name}"
            else:
                name = f"{name} = {word}{side_name}" if entry is not None else f"{word}{side_name}"
        category = self.category[node]
        colour = {"replaced": REPLACED, "accessory": ACCESSORY, "non_target": GREY_TEXT}.get(
            category, BLACK
        )
        lay = self.layout
        if head is not None:
            # along the artery, below the liver, on the outer side of its run
            at = _point_on(stroke, 0.62 if head.side == "right" else 0.5)
            outward = -1 if at[0] <= lay.aorta_x - 60 else 1
            if head.side in ("left", "segment_iv"):
                outward = 1
            anchor = "end" if outward < 0 else "start"
            return [
                self._text(
                    (at[0] + outward * 9, at[1] + 5),
                    name,
                    anchor=anchor,
                    colour=colour,
                    bold=True,
                    css="vessel-label",
                )
            ]
        end = stroke.end
        fixed = lay.ends.get(entry.name) if entry is not None else None
        if node in self.note.artery_of:
            # a branch inside the liver: named at its middle, its end is in a segment
            middle = _point_on(stroke, 0.5)
            return [
                self._text(
                    (middle[0] + 7, middle[1] - 5),
                    name,
                    "small",
                    anchor="start",
                    colour=colour,
                    bold=True,
                    css="vessel-label",
                )
            ]
        if fixed is not None and fixed.label_at is not None:
            at = (end[0] + fixed.label_at[0], end[1] + fixed.label_at[1])
            anchor = fixed.label_anchor
        else:
            dx = end[0] - stroke.start[0]
            anchor = "end" if dx < -4 else "start" if dx > 4 else "middle"
            below = end[1] >= stroke.start[1] - 4
            offset = {"end": (-8.0, 5.0), "start": (8.0, 5.0)}.get(
                anchor, (0.0, 20.0 if below else -10.0)
            )
            at = (end[0] + offset[0], end[1] + offset[1])
        lines = [self._text(at, name, anchor=anchor, colour=colour, bold=True, css="vessel-label")]
        if category == "non_target" and entry is not None and entry.organ_at_risk:
            for i, part in enumerate(textwrap.wrap(entry.organ_at_risk, 22)[:3], start=1):
                lines.append(
                    self._text(
                        (at[0], at[1] + 17 * i),
                        part,
                        "small",
                        anchor=anchor,
                        colour=GREY_TEXT,
                        css="organ-at-risk",
                    )
                )
        return lines

    def _tumor_marks(self) -> list[str]:
        lay = self.layout
        out = []
        for tumor in self.tumors:
            names = _shape_names(tumor.segments)
            if not names:
                continue
            centre = _mean([_polygon_centre(lay.segment(n).polygon) for n in names])
            sized = tumor.diameter_mm is not None
            radius = tumor.diameter_mm / 2 * lay.px_per_mm if tumor.diameter_mm else 11.0
            size = f"{tumor.diameter_mm:g} mm" if sized else "size not given"
            label = f"{tumor.label or tumor.id} · {size}"
            where = compact_segments(tumor.segments)
            out.append(
                f'<g class="tumor"><title>Tumor {escape(tumor.id)}</title>'
                f"<desc>{escape(label)} in {escape(where)}</desc>"
                f'<circle cx="{_num(self._x(centre[0]))}" cy="{_num(centre[1])}" '
                f'r="{_num(radius)}" fill="{TUMOR_FILL}" fill-opacity="0.55" '
                f'stroke="{TUMOR_LINE}" stroke-width="2" clip-path="url(#liver-outline)"/>'
                + self._text(
                    (centre[0], centre[1] + 5), label, "label", colour=TUMOR_LINE, bold=True
                )
                + "</g>"
            )
        return out

    def _badges(self) -> list[str]:
        out = []
        for node in sorted(self.numbers, key=lambda n: self.numbers[n]):
            if node not in self.strokes:
                continue
            stroke = self.strokes[node]
            at = _point_on(stroke, 0.8 if node in self.heads else 1.0)
            text = ", ".join(str(n) for n in self.numbers[node])
            radius = 13 if len(text) == 1 else 9 + 5 * len(text)
            x = self._x(at[0])
            out.append(
                f'<g class="position"><title>catheter position {escape(text)}: '
                f"{escape(node)}</title>"
                f'<rect x="{_num(x - radius)}" y="{_num(at[1] - 13)}" width="{_num(2 * radius)}" '
                f'height="26" rx="13" fill="{BLACK}" stroke="#ffffff" stroke-width="2"/>'
                f'<text x="{_num(x)}" y="{_num(at[1] + 5.5)}" font-size="{FONT_PX["badge"]:g}" '
                f'text-anchor="middle" fill="#ffffff" font-weight="bold">{escape(text)}</text></g>'
            )
        return out

    def _legend(self, top: float) -> tuple[list[str], float]:
        present = {self.category[n] for n in self.strokes}
        rows: list[tuple[str, str]] = [("normal", "hepatic artery (normal origin)")]
        if "replaced" in present:
            rows.append(("replaced", "replaced artery (sole supply)"))
        if "accessory" in present:
            rows.append(("accessory", "accessory artery (added supply)"))
        if "non_target" in present:
            rows.append(("non_target", "non-target branch, organ at risk"))
        if self.numbers:
            rows.append(("badge", "catheter position, path drawn thick"))
        if self.tumors:
            rows.append(("tumor", "tumor to scale (liver 15 cm wide)"))
        column = self.width / 2
        out = ['<g class="legend">']
        x0 = 24.0
        for i, (sample, text) in enumerate(rows):
            x = x0 + (i % 2) * column
            y = top + (i // 2) * 26
            out.append(self._legend_sample(sample, x, y))
            out.append(self._legend_text((x + 58, y + 5), text))
        y = top + ((len(rows) + 1) // 2) * 26
        for part in textwrap.wrap(VIEWS[self.convention], 86):
            out.append(self._legend_text((x0, y + 5), part))
            y += 20
        out.append("</g>")
        return out, y - top

    def _legend_text(self, p: Point, text: str) -> str:
        # the legend is not mirrored: it reads left to right in both views
        return (
            f'<text x="{_num(p[0])}" y="{_num(p[1])}" font-size="{FONT_PX["small"]:g}" '
            f'fill="{BLACK}">{escape(text)}</text>'
        )

    def _legend_sample(self, sample: str, x: float, y: float) -> str:
        if sample == "badge":
            return (
                f'<rect x="{_num(x + 10)}" y="{_num(y - 11)}" width="24" height="22" rx="11" '
                f'fill="{BLACK}"/><text x="{_num(x + 22)}" y="{_num(y + 5)}" '
                f'font-size="{FONT_PX["small"]:g}" text-anchor="middle" fill="#ffffff" '
                'font-weight="bold">1</text>'
            )
        if sample == "tumor":
            return (
                f'<circle cx="{_num(x + 22)}" cy="{_num(y)}" r="10" fill="{TUMOR_FILL}" '
                f'stroke="{TUMOR_LINE}" stroke-width="2"/>'
            )
        colour, width, dash = _STROKE[sample]
        return (
            f'<path d="M{_num(x)},{_num(y)} L{_num(x + 46)},{_num(y)}" stroke="{colour}" '
            f'stroke-width="{_num(width)}"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
        )


def _shape_names(segments: Iterable[Segment]) -> list[str]:
    """The layout's shapes for a set of segments: IV is drawn as IVa and IVb."""
    out: list[str] = []
    for name in segment_names(frozenset(segments)):
        out += ["IVa", "IVb"] if name == "IV" else [name]
    return out


def _num(value: float) -> str:
    """A coordinate as SVG text: one decimal at most, no trailing zeros, no "-0"."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
