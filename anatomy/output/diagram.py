"""Diagrams: a classified arterial tree as Graphviz DOT, and DOT drawn as SVG, PNG or PDF.

``diagram`` writes the picture a radiologist puts in a report: the tree from the aorta
down, the visceral trunks one level each in craniocaudal order (the celiac trunk above the
SMA), the patient's right on the viewer's left as on an AP angiogram and in anatomy
atlases (or mirrored, seen from behind): every artery of the right liver left of every
artery of the left liver, whatever its origin. Replaced and accessory arteries marked by
colour *and* line style so the marks survive black-and-white printing, extrahepatic
branches in grey with their organ at risk, tumors, numbered catheter positions with
their paths drawn thick, a title with the classification and a legend. The DOT text is
deterministic (every list sorted, no timestamps) and vessel ids are the node names, so
an SVG ``<title>`` carries the vessel id; case text is drawn exactly as written (no
Graphviz escape such as ``\\N`` is expanded). ``render`` hands DOT to the system ``dot``
under the renderer limits (``anatomy.output.processes``); without ``dot`` it raises
``RendererMissingError`` naming the fix. Every walk is iterative: a tree may have 100,000
vessels, and its DOT text is written in time linear in it.
"""

from __future__ import annotations

import os
import shutil
import textwrap
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from anatomy.case import Case, Tumor
from anatomy.errors import RendererMissingError, TooLargeToDrawError
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
from anatomy.output.processes import renderers
from anatomy.output.wording import figure_title
from anatomy.reference.vocabulary import side_artery
from anatomy.segments import Segment, segment_names
from anatomy.tree import Tree

if TYPE_CHECKING:
    from anatomy.classification.classify import Classification
    from anatomy.planning.plan import Plan

__all__ = [
    "CONVENTIONS",
    "CONVENTION_HELP",
    "FORMATS",
    "VIEWS",
    "Convention",
    "case_diagram",
    "check_convention",
    "compact_segments",
    "diagram",
    "find_dot",
    "format_for",
    "render",
    "write",
]

Convention = Literal["angiographic", "posterior"]
CONVENTIONS: tuple[str, ...] = ("angiographic", "posterior")
# What each view shows, as the legend says it. Anatomy atlases draw the frontal view too.
VIEWS: Mapping[str, str] = {
    "angiographic": "frontal view (AP angiogram, atlas): patient's right on viewer's left",
    "posterior": "posterior view (from behind): patient's left on viewer's left",
}
CONVENTION_HELP = (
    "angiographic (default): the frontal view of an AP angiogram and of anatomy atlases, the "
    "patient's right on the viewer's left; posterior: seen from behind, as a dissection "
    "photographed from its back, the patient's left on the viewer's left."
)
FORMATS: tuple[str, ...] = ("dot", "svg", "png", "pdf")

# -- the look (anatomy/output/look.py holds what both figures share) --------------------

_FONT = "Helvetica,Arial,sans-serif"
_BLACK = BLACK
_REPLACED = REPLACED
_ACCESSORY = ACCESSORY
_GREY = GREY
_GREY_TEXT = GREY_TEXT
_TRUNK_FILL = TRUNK_FILL
_TUMOR_LINE = TUMOR_LINE
_TUMOR_FILL = TUMOR_FILL
_BADGE = BLACK

# category -> (edge attributes, node style, node colour)
_EDGE: Mapping[str, Mapping[str, str]] = {
    "trunk": {"color": _BLACK, "penwidth": "1.2"},
    "normal": {"color": _BLACK, "penwidth": "1.6"},
    "replaced": {"color": _REPLACED, "style": "dashed", "penwidth": "2.4"},
    "accessory": {"color": _ACCESSORY, "style": "dotted", "penwidth": "2.4"},
    "non_target": {"color": _GREY, "penwidth": "1"},
}
_NODE: Mapping[str, Mapping[str, str]] = {
    "trunk": {"style": "rounded,filled", "fillcolor": _TRUNK_FILL, "color": _BLACK},
    "normal": {"style": "rounded", "color": _BLACK},
    "replaced": {"style": "rounded,dashed,bold", "color": _REPLACED},
    "accessory": {"style": "rounded,dotted,bold", "color": _ACCESSORY},
    "non_target": {"style": "rounded", "color": _GREY, "fontcolor": _GREY_TEXT},
}
_PLANNED_EXTRA_WIDTH = 2.6

# A vessel with no craniocaudal place in the vocabulary sorts after the celiac branches,
# before the SMA.
_CRANIOCAUDAL_DEFAULT = 4
# Where a hepatic artery lies across the liver by the side it supplies, from the patient's
# right (-1): the right liver, the caudate lobe (central, behind), segment IV (left medial),
# the left lateral section.
_ARTERY_PLACE: Mapping[str, float] = {
    "right": -1.0,
    "caudate": 0.0,
    "segment_iv": 0.35,
    "left": 1.0,
}
_SIDE_REGION: Mapping[Segment, float] = {
    Segment.I: 0.0,
    Segment.II: 1.0,
    Segment.III: 1.0,
    Segment.IVa: 0.35,
    Segment.IVb: 0.35,
    Segment.V: -1.0,
    Segment.VI: -1.0,
    Segment.VII: -1.0,
    Segment.VIII: -1.0,
}
_ROMAN_ORDER = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
_TEXT_WIDTH = 24
# Type sizes in points (1 pt = 4/3 CSS px at 1:1): the smallest, 10 pt, is 13.3 px at the
# figure's own size and stays at least 12 px wherever it is shown at 90 % or more (see
# tests/test_render.py for the widths checked). Long text wraps instead of being cut.
_NAME_PT = "12"
_SMALL_PT = "10"
_NAME_WIDTH = 20  # characters per line of a vessel's name (an unnamed vessel's label)
_NOTE_WIDTH = 18  # of an organ at risk or a label
_LEGEND_WIDTH = 36
# SVG drops a space at the edge of a text run; a no-break space survives.
_NBSP = "&#160;"
_DIRECT_FEEDERS = 3  # feeders of one tumor within one artery linked one by one
_COMPACT_FROM = 60  # drawn vessels from which unnamed branches are drawn small


# -- public API ---------------------------------------------------------------------------


def case_diagram(
    case: Case,
    classification: Classification,
    *,
    plan: Plan | None = None,
    positions: Sequence[tuple[str, Sequence[str]]] = (),
    extrahepatic: bool = True,
    convention: Convention = "angiographic",
    max_vessels: int | None = None,
) -> str:
    """The DOT text of a case: ``diagram`` with the case's tumors, title and plan."""
    return diagram(
        classification,
        plan=plan,
        positions=positions,
        tumors=case.tumors,
        extrahepatic=extrahepatic,
        convention=convention,
        title=case.title or case.id,
        max_vessels=max_vessels,
    )


def diagram(
    classification: Classification,
    *,
    plan: Plan | None = None,
    positions: Sequence[tuple[str, Sequence[str]]] = (),
    tumors: Sequence[Tumor] = (),
    extrahepatic: bool = True,
    convention: Convention = "angiographic",
    title: str | None = None,
    collapse: int = 2,
    hide_hepatic_names: bool = False,
    max_vessels: int | None = None,
) -> str:
    """The classified tree as deterministic Graphviz DOT text.

    Parameters
    ----------
    classification
        The result of ``classify``; its anatomy says which arteries are replaced or
        accessory and which territories are assumed.
    plan
        The plan made on the same anatomy: its recommended catheter positions are drawn
        numbered as the plan numbers them, their paths thick.
    positions
        Instead of a plan, catheter positions to draw in this order (numbered 1..n), each
        ``(vessel id, path of vessel ids from the root)``: an alternative, say.
    tumors
        Tumors to draw; each hangs from the vessels that supply its segments (and from
        its observed feeders).
    extrahepatic
        Draw extrahepatic and collateral (non-target) branches. When False they are
        hidden unless a position or a tumor needs them.
    convention
        ``angiographic``: the frontal view of an AP angiogram and of anatomy atlases, the
        patient's right on the viewer's left: every artery of the right liver lies left of
        every artery of the left liver, whatever its origin. ``posterior``: the mirror
        image, as seen from behind.
    title
        A line under the classification, usually the case title.
    collapse
        A chain of at least this many unnamed single-child vessels that supply nothing
        themselves is drawn as one edge labelled "… n branches". 0 turns this off.
    hide_hepatic_names
        Draw the hepatic arteries and the hepatic axis by their vessel id alone, in one
        plain style: no name, no replaced or accessory mark, no label, and no
        classification in the title (the figure of a quiz question). Trunks and
        extrahepatic branches keep their names, as an angiogram's runs are known.
    max_vessels
        The most vessels the diagram may draw, counted after chains are collapsed:
        ``TooLargeToDrawError`` past it, before any text is written. ``dot``'s time grows
        much faster than the tree (minutes for 100,000 vessels), so an image has a limit
        (``anatomy.output.processes``); the DOT text itself needs none (None).

    Raises ``ValueError`` when the convention is unknown, both a plan and positions are
    given, or a position is not a vessel of this tree.

    Examples
    --------
    >>> from anatomy.case import parse_case
    >>> from anatomy.pipeline import answer
    >>> done = answer(parse_case({"vessels": [{"id": "ao", "kind": "aorta"},
    ...     {"id": "ct", "kind": "celiac trunk", "parent": "ao"}]}))
    >>> diagram(done.classification).startswith("digraph hepatic {")
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
    return _Drawing(
        classification, positions, tumors, extrahepatic, convention, title, collapse
    ).dot(hide_hepatic_names, max_vessels)


def check_convention(convention: str) -> None:
    """Raise ``ValueError`` naming the fix for a view this module does not draw."""
    if convention == "anatomical":
        raise ValueError(
            "the 'anatomical' view was removed: anatomy atlases show the patient's right on "
            "the viewer's left, as an angiogram does, so use 'angiographic'; for a view from "
            "behind use 'posterior'"
        )
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention '{convention}'; use one of {CONVENTIONS}")


def format_for(path: str | Path) -> str:
    """The output format a file name asks for: ``dot``, ``svg``, ``png`` or ``pdf``."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix == "gv":
        return "dot"
    if suffix not in FORMATS:
        raise ValueError(f"cannot tell the format of '{path}': name it .svg, .png, .pdf or .dot")
    return suffix


def find_dot() -> str | None:
    """The Graphviz ``dot`` to draw with: ``$HEPATIC_DOT``, else ``dot`` on PATH."""
    return shutil.which(os.environ.get("HEPATIC_DOT") or "dot")


def render(source: str, fmt: str, *, cancel: threading.Event | None = None) -> bytes:
    """Draw DOT text as ``svg``, ``png`` or ``pdf`` bytes with the system ``dot``.

    ``dot`` returns the text itself and needs no Graphviz. SVG and PNG bytes are
    deterministic for one Graphviz version; PDF is not (cairo stamps a creation date).
    ``dot`` runs under the renderer limits (``anatomy.output.processes``): it is stopped
    when ``cancel`` is set, and raises ``RendererBusyError`` or ``RenderTimeoutError``
    past them. Raises ``RendererMissingError`` naming the fix when Graphviz is not
    installed.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; use one of {FORMATS}")
    if fmt == "dot":
        return source.encode("utf-8")
    dot = find_dot()
    if dot is None:
        raise RendererMissingError(_MISSING)
    try:
        done = renderers().run(
            [dot, f"-T{fmt}"], name="Graphviz dot", stdin=source.encode("utf-8"), cancel=cancel
        )
    except OSError as exc:
        raise RendererMissingError(_MISSING) from exc
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RendererMissingError(
            f"Graphviz dot could not draw {fmt.upper()} ({'; '.join(detail[-3:]) or 'no message'}"
            "). Fix: install the complete Graphviz package (apt-get install graphviz); if it "
            "is installed, save the DOT text (-o diagram.dot) and report it as a bug.",
            failed=True,
        )
    return done.stdout


def write(source: str, path: str | Path, fmt: str | None = None) -> Path:
    """Render DOT text into ``path`` in the format its suffix names (or ``fmt``)."""
    target = Path(path)
    data = render(source, fmt or format_for(target))
    target.write_bytes(data)
    return target


_MISSING = (
    "Graphviz `dot` was not found on PATH, so the diagram cannot be drawn as SVG, PNG or "
    "PDF. Fix: apt-get install graphviz (Debian/Ubuntu; brew install graphviz on macOS), "
    "or write DOT text instead (-o diagram.dot)."
)


# -- the drawing --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Edge:
    parent: str
    child: str
    hidden_between: tuple[str, ...]  # unnamed pass-through vessels drawn as this one edge


class _Drawing:
    """One diagram being written; a class only to share the per-tree tables."""

    def __init__(
        self,
        classification: Classification,
        positions: Sequence[tuple[str, Sequence[str]]],
        tumors: Sequence[Tumor],
        extrahepatic: bool,
        convention: str,
        title: str | None,
        collapse: int,
    ) -> None:
        self.result = classification
        self.note = classification.anatomy
        self.tree: Tree = classification.anatomy.tree
        self.tumors = tuple(tumors)
        self.convention = convention
        self.title = title
        self.collapse = collapse
        self.numbers: dict[str, list[int]] = {}
        self.planned: set[tuple[str, str]] = set()
        for number, (target, path) in enumerate(positions, start=1):
            self.numbers.setdefault(target, []).append(number)
            inside = [p for p in path if p in self.tree]
            self.planned.update(pairwise(inside))
        self.statuses = {a.vessel: a.status for a in self.note.arteries}
        self.heads = {a.vessel: a for a in self.note.arteries}
        self.category = dict(vessel_categories(self.note))
        self.entry: dict[str, int] = {}
        self.size: dict[str, int] = {}
        self.attached = self._tumor_attachments()
        self.pinned = {node for links in self.attached.values() for node, _ in links}
        self.visible = self._visible(extrahepatic)
        self.side = self._lateral()
        self.spans = self._spans()
        self.whole_territory_shown = False
        self.compact = False
        self.levels: dict[str, int] = {}
        self.interleaved = False
        self.hidden: frozenset[str] = frozenset()  # vessels drawn by id only

    # -- classification of each vessel for its look --

    def _tumor_attachments(self) -> dict[str, tuple[tuple[str, int], ...]]:
        """Per tumor id, the vessels it hangs from, each with how many feeders it stands for.

        The feeders are the vessels whose own supply holds one of the tumor's segments,
        and its observed feeders. Within one hepatic artery, up to ``_DIRECT_FEEDERS``
        feeders are linked one by one; more are linked once, from their lowest common
        ancestor, so a 200-vessel tree does not turn into a web of tumor links.
        """
        tree, note = self.tree, self.note
        own = note.territories.own
        by_segment: dict[Segment, list[str]] = {}
        for node in sorted(tree.preorder):
            for segment in own[node]:
                by_segment.setdefault(segment, []).append(node)
        out: dict[str, tuple[tuple[str, int], ...]] = {}
        for tumor in self.tumors:
            found = {f for f in tumor.feeders if f in tree}
            for segment in tumor.segments:
                found.update(by_segment.get(segment, ()))
            groups: dict[str, list[str]] = {}
            for node in found:
                groups.setdefault(note.artery_of.get(node, node), []).append(node)
            links: dict[str, int] = {}
            for members in groups.values():
                if len(members) <= _DIRECT_FEEDERS:
                    for node in members:
                        links[node] = links.get(node, 0) + 1
                else:
                    top = self._common_ancestor(members)
                    links[top] = links.get(top, 0) + len(members)
            out[tumor.id] = tuple(sorted(links.items()))
        return out

    def _common_ancestor(self, members: Sequence[str]) -> str:
        """The lowest common ancestor of a set: that of its first and last in pre-order."""
        if not self.entry:
            order = list(self.tree.preorder)
            self.entry.update((n, i) for i, n in enumerate(order))
            size = dict.fromkeys(order, 1)
            for node in reversed(order):
                parent = self.tree.parent[node]
                if parent is not None:
                    size[parent] += size[node]
            self.size.update(size)
        first = min(members, key=self.entry.__getitem__)
        last = max(members, key=self.entry.__getitem__)
        current = first
        while not (
            self.entry[current] <= self.entry[last] < self.entry[current] + self.size[current]
        ):
            above = self.tree.parent[current]
            assert above is not None  # the root contains every vessel
            current = above
        return current

    def _visible(self, extrahepatic: bool) -> set[str]:
        tree = self.tree
        if extrahepatic:
            return set(tree.preorder)
        needed: set[str] = set(self.numbers)
        needed.update(n for pair in self.planned for n in pair)
        for links in self.attached.values():
            needed.update(node for node, _ in links)
        keep = {n for n in tree.preorder if self.category[n] != "non_target"}
        for node in needed:  # a needed vessel brings its ancestors
            current: str | None = node
            while current is not None and current not in keep:
                keep.add(current)
                current = tree.parent[current]
        return keep

    def _lateral(self) -> dict[str, float]:
        """Per vessel, where its subtree lies across the patient (-1 right ... +1 left)."""
        tree, terr = self.tree, self.note.territories
        out: dict[str, float] = {}
        for node in reversed(tree.preorder):
            reach = terr.of(node)
            entry = kind_of(self.note, node)
            # A vessel's name places it first (the CHA runs right even when it feeds only
            # the left liver), then the segments it reaches, then its branches.
            if entry is not None and entry.lateral is not None:
                out[node] = entry.lateral
            elif entry is not None and entry.side in ("right", "left"):
                out[node] = -1.0 if entry.side == "right" else 1.0
            elif reach:
                out[node] = sum(_SIDE_REGION[s] for s in reach) / len(reach)
            else:
                below = [out[c] for c in tree.children[node]]
                out[node] = sum(below) / len(below) if below else 0.0
        return out

    # -- structure --

    def _passes_through(self, node: str) -> bool:
        """An unnamed vessel with one visible child, supplying nothing, in no plan."""
        if node not in self.visible or node == self.tree.preorder[0]:
            return False
        item = self.tree.vessel[node]
        if item.kind is not None or item.label or self.note.territories.own[node]:
            return False
        if node in self.numbers or node in self.heads or node in self.pinned:
            return False
        shown = [c for c in self.tree.children[node] if c in self.visible]
        return len(shown) == 1

    def _spans(self) -> dict[str, tuple[float, float]]:
        """Per vessel with hepatic arteries below (or at) it, where they lie across the
        liver: the least and greatest ``_ARTERY_PLACE`` of the arteries in its subtree."""
        tree = self.tree
        out: dict[str, tuple[float, float]] = {}
        for head in self.note.arteries:
            place = _ARTERY_PLACE.get(head.side, 0.0)
            current: str | None = head.vessel
            while current is not None:  # up to the root, stopping where nothing changes
                low, high = out.get(current, (place, place))
                span = (min(low, place), max(high, place))
                if out.get(current) == span:
                    break
                out[current] = span
                current = tree.parent[current]
        return out

    def _sibling_order(self, children: Sequence[str]) -> list[str]:
        """Siblings from the viewer's left.

        Those with hepatic arteries below them go by where those arteries lie across the
        liver (``spans``), so a subtree holding right-liver arteries comes before one
        holding left-liver arteries whatever their origins: a replaced RHA from the SMA
        lies left of an LHA from the celiac trunk. The others go where the vessel runs
        (``side``), between them: the splenic artery right of the CHA.
        """
        mirror = -1.0 if self.convention == "posterior" else 1.0
        hepatic = sorted(
            (c for c in children if c in self.spans),
            key=lambda c: (mirror * sum(self.spans[c]), mirror * self.side[c], c),
        )
        keys: dict[str, tuple[float, int, float, str]] = {}
        floor = -2.0
        for rank, child in enumerate(hepatic):
            floor = max(floor, round(mirror * self.side[child], 6))
            keys[child] = (floor, 0, float(rank), child)
        for child in children:
            if child not in keys:
                keys[child] = (round(mirror * self.side[child], 6), 1, 0.0, child)
        reach = -2.0
        for child in hepatic:  # two siblings whose arteries interleave: see ``_hilum``
            low, high = sorted(mirror * v for v in self.spans[child])
            self.interleaved |= low < reach - 1e-9
            reach = max(reach, high)
        return sorted(children, key=keys.__getitem__)

    def _hilum(self, nodes: Sequence[str]) -> str | None:
        """When sibling subtrees hold arteries of interleaved sides (an LHA and RHA from the
        PHA, a segment IV artery from the GDA beside it), the tree's own order cannot put
        each artery in its place: the hepatic arteries are then drawn on one level, the
        hilum, in their order across the liver (invisible edges hold it)."""
        if not self.interleaved:
            return None
        mirror = -1.0 if self.convention == "posterior" else 1.0
        drawn = {node: i for i, node in enumerate(nodes)}
        heads = set(self.heads)
        tops = []
        for head in self.note.arteries:
            if head.vessel not in drawn:
                continue
            above = self.tree.parent[head.vessel]
            while above is not None and above not in heads:
                above = self.tree.parent[above]
            if above is None:
                tops.append((mirror * _ARTERY_PLACE.get(head.side, 0.0), drawn[head.vessel]))
        names = [_quote(nodes[i]) for _, i in sorted(tops)]
        if len(names) < 2:
            return None
        return f"{{rank=same; {' -> '.join(names)} [style=invis]}}"

    def _levels(self, nodes: Sequence[str]) -> dict[str, int]:
        """The aorta's branches one level per craniocaudal place, head to foot: the
        celiac trunk above the SMA (``minlen`` of the edge from the aorta)."""
        tree = self.tree
        out: dict[str, int] = {}
        for node in nodes:
            entry = kind_of(self.note, node)
            if entry is None or not entry.trunk or entry.non_target:
                continue
            bands: dict[str, int] = {}
            for child in tree.children[node]:
                child_kind = kind_of(self.note, child)
                band = _CRANIOCAUDAL_DEFAULT
                if child_kind is not None and child_kind.craniocaudal is not None:
                    band = child_kind.craniocaudal
                bands[child] = band
            order = sorted(set(bands.values()))
            for child, band in bands.items():
                out[child] = order.index(band) + 1
        return out

    def _structure(self) -> tuple[list[str], list[_Edge]]:
        """Drawn vessels and edges, in drawing order (pre-order, siblings laid out)."""
        tree = self.tree
        root = tree.preorder[0]
        nodes: list[str] = []
        edges: list[_Edge] = []
        stack = [root]
        while stack:
            node = stack.pop()
            nodes.append(node)
            shown = self._sibling_order([c for c in tree.children[node] if c in self.visible])
            drawn: list[str] = []
            for child in shown:
                chain: list[str] = []
                end = child
                while self._passes_through(end):
                    chain.append(end)
                    end = next(c for c in tree.children[end] if c in self.visible)
                if self.collapse and len(chain) >= self.collapse:
                    edges.append(_Edge(node, end, tuple(chain)))
                    drawn.append(end)
                else:
                    edges.append(_Edge(node, child, ()))
                    drawn.append(child)
            stack.extend(reversed(drawn))
        return nodes, edges

    # -- text --

    def dot(self, hide_hepatic_names: bool = False, max_vessels: int | None = None) -> str:
        if hide_hepatic_names:
            hepatic = ("normal", "replaced", "accessory")
            self.hidden = frozenset(n for n, c in self.category.items() if c in hepatic)
            self.category.update(dict.fromkeys(self.hidden, "normal"))
        nodes, edges = self._structure()
        if max_vessels is not None and len(nodes) > max_vessels:
            raise TooLargeToDrawError(
                f"the tree has {len(nodes):,} vessels to draw ({len(self.tree):,} in the case; "
                f"unbranched chains of unnamed vessels already drawn as one edge), more than "
                f"the {max_vessels:,} drawn as an image here. Fix: ask for the DOT text "
                "(format dot, -o tree.dot) or the JSON classification or plan, or raise "
                "HEPATIC_MAX_DRAWN_VESSELS.",
                drawn=len(nodes),
                vessels=len(self.tree),
                limit=max_vessels,
            )
        graph = _Dot("hepatic")
        graph.attr(
            rankdir="TB",
            ordering="out",
            charset="UTF-8",
            fontname=_FONT,
            fontsize="12",
            nodesep="0.16",
            ranksep="0.38",
            pad="0.25",
            labelloc="t",
            labeljust="c",
            label=self._title(),
        )
        graph.attr(
            "node",
            shape="box",
            fontname=_FONT,
            fontsize=_NAME_PT,
            margin="0.06,0.035",
            height="0.3",
        )
        graph.attr("edge", arrowhead="none", fontname=_FONT, fontsize=_SMALL_PT)
        tumor_edges: dict[str, list[tuple[str, int]]] = {}
        for tumor in sorted(self.tumors, key=lambda t: t.id):
            for node, count in self.attached[tumor.id]:
                tumor_edges.setdefault(node, []).append((tumor.id, count))
        self.compact = len(nodes) >= _COMPACT_FROM
        self.levels = self._levels(nodes)
        for node in nodes:
            self._vessel_node(graph, node)
        for tumor in sorted(self.tumors, key=lambda t: t.id):
            self._tumor_node(graph, tumor)
        by_parent: dict[str, list[_Edge]] = {}
        for edge in edges:
            by_parent.setdefault(edge.parent, []).append(edge)
        for node in nodes:  # each parent's edges together and in order, for ordering=out
            for edge in by_parent.get(node, ()):
                self._vessel_edge(graph, edge)
            for tumor_id, count in tumor_edges.get(node, ()):
                extra = {"label": f"{count} feeders", "fontcolor": _TUMOR_LINE} if count > 1 else {}
                graph.edge(
                    node,
                    _tumor_name(tumor_id),
                    color=_TUMOR_LINE,
                    penwidth="1",
                    style="solid",
                    arrowhead="dot",
                    arrowsize="0.6",
                    _attributes={**extra, "class": "tumor-supply"},
                )
        legend = self._legend(edges)
        graph.node(
            _LEGEND, label=legend, shape="plaintext", margin="0", _attributes={"class": "legend"}
        )
        loose = " ".join(
            _quote(_tumor_name(t.id))
            for t in sorted(self.tumors, key=lambda t: t.id)
            if not self.attached[t.id]
        )
        graph.raw(f"{{rank=sink; {_quote(_LEGEND)}{' ' + loose if loose else ''}}}")
        hilum = self._hilum(nodes)
        if hilum is not None:
            graph.raw(hilum)
        return graph.source()

    def _vessel_node(self, graph: _Dot, node: str) -> None:
        tree = self.tree
        item = tree.vessel[node]
        entry = kind_of(self.note, node)
        category = self.category[node]
        attrs = dict(_NODE[category])
        classes = ["vessel", category.replace("_", "-")]
        if node in self.numbers:
            attrs["penwidth"] = "2.6"
            classes.append("target")
        elif self.compact and entry is None and not item.label and node not in self.heads:
            # In a large tree an unnamed branch is a branching point, or just its segments.
            if self.note.territories.own[node]:
                attrs.update(
                    label=f"<{'<BR/>'.join(self._segment_lines(node))}>",
                    margin="0.03,0.01",
                    height="0.2",
                    width="0.3",
                )
            else:
                attrs.update(
                    shape="point", width="0.07", label="", fillcolor=attrs["color"], style="filled"
                )
            attrs["tooltip"] = f"unnamed branch ({node})"
            graph.node(node, _attributes={**attrs, "class": " ".join(classes)})
            return
        if node in self.hidden:
            attrs["label"] = _cell_label(
                [f"<B>{_text(node)}</B>", *self._segment_lines(node)], self.numbers.get(node, [])
            )
            attrs["tooltip"] = f"vessel {node}"
            graph.node(node, _attributes={**attrs, "class": " ".join(classes)})
            return
        name = entry.abbreviation if entry is not None else (item.label or "branch")
        head = self.heads.get(node)
        role = ""
        if node == self.note.axis_top and self.category[node] == "replaced":
            role = "= replaced hepatic trunk"
        if head is not None:
            side_name = side_artery(head.side).abbreviation
            word = "" if head.status == "normal" else f"{head.status} "
            if entry is not None and entry.side == head.side:
                name = f"{word}{name}"
            else:
                role = f"= {word}{side_name}"
        lines = [f"<B>{_text(part)}</B>" for part in _lines(name, _NAME_WIDTH)]
        if role:
            lines.append(f'<FONT POINT-SIZE="{_SMALL_PT}">{_text(role)}</FONT>')
        lines += self._segment_lines(node)
        if entry is not None and entry.non_target_branch and entry.organ_at_risk:
            for part in _lines(f"at risk: {entry.organ_at_risk}", _NOTE_WIDTH):
                lines.append(f'<FONT POINT-SIZE="{_SMALL_PT}">{_text(part)}</FONT>')
        if entry is not None and item.label:
            for part in _lines(item.label, _NOTE_WIDTH):
                lines.append(f'<FONT POINT-SIZE="{_SMALL_PT}">{_text(part)}</FONT>')
        attrs["label"] = _cell_label(lines, self.numbers.get(node, []))
        full = entry.label if entry is not None else "unnamed branch"
        attrs["tooltip"] = f"{full} ({node})"
        graph.node(node, _attributes={**attrs, "class": " ".join(classes)})

    def _segment_lines(self, node: str) -> list[str]:
        """Own supply (stated, then assumed in italics); an artery's whole territory."""
        terr = self.note.territories
        own = terr.own[node]
        assumed = terr.assumed.get(node, frozenset())
        stated = own - assumed
        lines = []
        parts = []
        if stated:
            parts.append(_text(compact_segments(stated)))
        if assumed:
            parts.append(f"<I>{_text(compact_segments(assumed))} (assumed)</I>")
        if parts:
            lines.append(" + ".join(parts))
        head = self.heads.get(node)
        if head is not None and head.territory and head.territory != own:
            self.whole_territory_shown = True
            text = f"→ {compact_segments(head.territory)}"
            lines.append(
                f"<I>{_text(text)} (assumed)</I>" if head.assumed and not stated else _text(text)
            )
        return [f'<FONT POINT-SIZE="{_SMALL_PT}">{line}</FONT>' for line in lines]

    def _vessel_edge(self, graph: _Dot, edge: _Edge) -> None:
        category = self.category[edge.child]
        attrs = dict(_EDGE[category])
        classes = [category.replace("_", "-")]
        path = [edge.parent, *edge.hidden_between, edge.child]
        level = self.levels.get(path[1], 1)
        if level > 1:
            attrs["minlen"] = str(level)
            attrs["weight"] = "8"  # straight down the aorta's line, past the higher trunks
        if all(pair in self.planned for pair in pairwise(path)):
            width = float(attrs["penwidth"]) + _PLANNED_EXTRA_WIDTH
            attrs["penwidth"] = f"{width:g}"
            classes.append("planned")
        if edge.hidden_between:
            count = len(edge.hidden_between)
            attrs["label"] = f"… {count} branch{'es' if count != 1 else ''}"
            attrs["fontcolor"] = _GREY_TEXT
            shown = ", ".join(edge.hidden_between[:8])
            more = f" and {count - 8} more" if count > 8 else ""
            attrs["tooltip"] = f"unnamed branches: {shown}{more}"
            classes.append("collapsed")
        graph.edge(edge.parent, edge.child, _attributes={**attrs, "class": " ".join(classes)})

    def _tumor_node(self, graph: _Dot, tumor: Tumor) -> None:
        size = f" · {tumor.diameter_mm:g} mm" if tumor.diameter_mm is not None else ""
        lines = [
            f"<B>{_text(tumor.label or 'tumor ' + tumor.id)}</B>",
            f'<FONT POINT-SIZE="{_SMALL_PT}">'
            f"{_text(compact_segments(tumor.segments) + size)}</FONT>",
        ]
        if not self.attached[tumor.id]:
            lines.append(f'<FONT POINT-SIZE="{_SMALL_PT}">no identified supply</FONT>')
        graph.node(
            _tumor_name(tumor.id),
            label="<" + "<BR/>".join(lines) + ">",
            shape="ellipse",
            style="filled",
            fillcolor=_TUMOR_FILL,
            color=_TUMOR_LINE,
            tooltip=f"tumor {tumor.id}",
            _attributes={"class": "tumor"},
        )

    def _title(self) -> str:
        if self.hidden:
            return "<" + "<BR/>".join(self._title_lines()) + "<BR/> >" if self.title else ""
        head, hiatt, name = figure_title(self.result)
        lines = [f'<FONT POINT-SIZE="16"><B>{_text(head)}</B>{_NBSP}·{_NBSP}{_text(hiatt)}</FONT>']
        if name:
            lines += [_text(part) for part in textwrap.wrap(name, 56)]
        lines += self._title_lines()
        return "<" + "<BR/>".join(lines) + "<BR/> >"

    def _title_lines(self) -> list[str]:
        return [
            f'<FONT POINT-SIZE="{_SMALL_PT}"><I>{_text(part)}</I></FONT>'
            for part in textwrap.wrap(self.title or "", 64)[:3]
        ]

    def _legend(self, edges: Iterable[_Edge]) -> str:
        present = {self.category[n] for n in self.visible}
        rows = []

        def row(sample: str, text: str, colour: str = _BLACK) -> None:
            shown = f'<FONT COLOR="{colour}">{sample}</FONT>' if sample else ""
            body = "<BR/>".join(_text(part) for part in _lines(text, _LEGEND_WIDTH))
            rows.append(
                f'<TR><TD ALIGN="LEFT">{shown}</TD><TD ALIGN="LEFT" BALIGN="LEFT">{body}</TD></TR>'
            )

        if self.hidden:
            row("<B>━━━━</B>", "hepatic artery or hepatic trunk, by id (name, origin hidden)")
        else:
            row("<B>━━━━</B>", "hepatic artery (normal origin)")
        if "replaced" in present:
            row("<B>━ ━ ━</B>", "replaced artery (sole supply)", _REPLACED)
        if "accessory" in present:
            row("<B>┅┅┅┅</B>", "accessory artery (added supply)", _ACCESSORY)
        if "non_target" in present:
            row("────", "non-target branch, organ at risk", _GREY)
        if self.planned or self.numbers:
            rows.append(
                f'<TR><TD ALIGN="LEFT"><TABLE BORDER="0" CELLPADDING="1"><TR>'
                f'<TD BGCOLOR="{_BADGE}"><FONT COLOR="#ffffff"><B>{_NBSP}1{_NBSP}</B></FONT></TD>'
                '<TD><FONT POINT-SIZE="16"><B>━━</B></FONT></TD></TR></TABLE></TD>'
                '<TD ALIGN="LEFT">planned catheter position, path drawn thick</TD></TR>'
            )
        if self.tumors:
            rows.append(
                f'<TR><TD BGCOLOR="{_TUMOR_FILL}" ALIGN="LEFT">'
                f'<FONT COLOR="{_TUMOR_LINE}">tumor</FONT></TD>'
                '<TD ALIGN="LEFT">tumor, linked to the vessels supplying it</TD></TR>'
            )
        if self.note.territories.assumed:
            row("<I>II–III</I>", "territory assumed from the vessel's name")
        if self.whole_territory_shown:
            row("→ V–VIII", "whole territory of a hepatic artery")
        if any(e.hidden_between for e in edges):
            row("… n", "unnamed branches drawn as one edge")
        hidden = sum(1 for n in self.tree.preorder if n not in self.visible)
        if hidden:
            row("", f"{hidden} extrahepatic branch{'es' if hidden != 1 else ''} not shown")
        row("", VIEWS[self.convention])
        return (
            '<<TABLE BORDER="1" COLOR="#adb5bd" CELLBORDER="0" CELLSPACING="0" '
            'CELLPADDING="2"><TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>'
            + "".join(rows)
            + "</TABLE>>"
        )


class _Dot:
    """A DOT writer: attributes sorted, every id and value quoted (HTML labels as HTML).

    Written here rather than with ``graphviz.Digraph`` because its per-attribute quoting
    was most of the time spent writing a 1,000-vessel diagram.
    """

    def __init__(self, name: str) -> None:
        self.lines = [f"digraph {name} {{"]

    def attr(self, target: str | None = None, **attrs: str) -> None:
        if target is None:
            self.lines.append(f"\t{_attr_text(attrs, ' ')}")
        else:
            self.lines.append(f"\t{target} [{_attr_text(attrs)}]")

    def node(self, name: str, _attributes: Mapping[str, str] | None = None, **attrs: str) -> None:
        self.lines.append(f"\t{_quote(name)} [{_attr_text({**attrs, **(_attributes or {})})}]")

    def edge(
        self, tail: str, head: str, _attributes: Mapping[str, str] | None = None, **attrs: str
    ) -> None:
        text = _attr_text({**attrs, **(_attributes or {})})
        self.lines.append(f"\t{_quote(tail)} -> {_quote(head)} [{text}]")

    def raw(self, line: str) -> None:
        self.lines.append(f"\t{line}")

    def source(self) -> str:
        return "\n".join([*self.lines, "}"]) + "\n"


def _text(value: str) -> str:
    """Text for an HTML-like label, drawn exactly as written: HTML-escaped, and every
    backslash doubled, since Graphviz reads ``\\N``, ``\\G``, ``\\l`` … in the text of
    an HTML-like label as escapes too (``&#92;`` does not help: it is decoded first)."""
    return escape(value).replace("\\", "\\\\")


def _quote(value: str) -> str:
    """A quoted DOT string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _attr_text(attrs: Mapping[str, str], sep: str = " ") -> str:
    """``key=value`` pairs, sorted; a label written ``<...>`` stays an HTML-like label."""
    out = []
    for key in sorted(attrs):
        value = attrs[key]
        html = key == "label" and len(value) > 1 and value[0] == "<" and value[-1] == ">"
        out.append(f"{key}={value if html else _quote(value)}")
    return sep.join(out)


# Vessel ids are lower-case slugs, so names with a capital letter never collide with them.
_LEGEND = "Legend"


def _tumor_name(tumor_id: str) -> str:
    return f"Tumor {tumor_id}"


def _lines(text: str, width: int) -> list[str]:
    """Text wrapped at ``width`` characters, every word kept (a long word on its own line)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, _TEXT_WIDTH) or [text]


def _cell_label(lines: Sequence[str], numbers: Sequence[int]) -> str:
    """An HTML-like label: the lines, with the position numbers as a black badge."""
    body = "<BR/>".join(lines)
    if not numbers:
        return f"<{body}>"
    badge = ", ".join(str(n) for n in numbers)
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"><TR>'
        f'<TD BGCOLOR="{_BADGE}" VALIGN="MIDDLE"><FONT COLOR="#ffffff" POINT-SIZE="12">'
        f"<B>{_NBSP}{badge}{_NBSP}</B></FONT></TD><TD>{body}</TD></TR></TABLE>>"
    )


def compact_segments(segments: Iterable[Segment]) -> str:
    """Segments as a reader writes them: ``V–VIII``, ``II, III``, ``II–IV``, ``I, IVa``."""
    names = segment_names(segments)
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 3:
            out.append(f"{run[0]}–{run[-1]}")
        else:
            out.extend(run)
        run.clear()

    for name in names:
        if (
            run
            and name in _ROMAN_ORDER
            and run[-1] in _ROMAN_ORDER
            and (_ROMAN_ORDER.index(name) == _ROMAN_ORDER.index(run[-1]) + 1)
        ):
            run.append(name)
            continue
        flush()
        run.append(name)
    flush()
    return ", ".join(out)
