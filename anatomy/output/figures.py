"""The figures of a case, by name: the ``tree`` diagram and the anatomical ``schematic``.

One door for the adapters (CLI, API, report, docs script): ``case_figure`` gives a
figure's source text (DOT for the tree, SVG for the schematic) and ``draw`` turns it into
the format asked for. The tree is drawn by Graphviz ``dot``; the schematic is SVG written
by this package and drawn as PNG or PDF by CairoSVG. ``drawn_limit`` says how many vessels
a figure may draw in a format: the tree as an image is limited, since ``dot``'s time grows
much faster than the tree; its DOT text is not, and the schematic draws the named arteries
only, whatever the tree's size.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from anatomy.output.diagram import Convention, case_diagram, render
from anatomy.output.processes import renderers
from anatomy.output.schematic import case_schematic, render_schematic

if TYPE_CHECKING:
    from anatomy.case import Case
    from anatomy.classification.classify import Classification
    from anatomy.planning.plan import Plan

__all__ = [
    "FIGURES",
    "FIGURE_FORMATS",
    "FIGURE_HELP",
    "Figure",
    "case_figure",
    "draw",
    "drawn_limit",
]

Figure = Literal["tree", "schematic"]
FIGURES: tuple[str, ...] = ("tree", "schematic")
FIGURE_FORMATS: Mapping[str, tuple[str, ...]] = {
    "tree": ("dot", "svg", "png", "pdf"),
    "schematic": ("svg", "png", "pdf"),
}
FIGURE_HELP = (
    "tree (default): the arterial tree from the aorta down, each vessel a box; schematic: "
    "the frontal liver with its Couinaud segments, the aorta, celiac trunk and SMA, each "
    "hepatic artery running into its segments, tumors to scale."
)


def case_figure(
    case: Case,
    classification: Classification,
    *,
    figure: str = "tree",
    plan: Plan | None = None,
    extrahepatic: bool = True,
    convention: Convention = "angiographic",
    max_vessels: int | None = None,
) -> str:
    """The figure's source text: DOT for the tree, SVG for the schematic.

    ``max_vessels`` (see ``drawn_limit``) raises ``TooLargeToDrawError`` for a tree with
    more vessels to draw, before its text is written."""
    if figure == "tree":
        return case_diagram(
            case,
            classification,
            plan=plan,
            extrahepatic=extrahepatic,
            convention=convention,
            max_vessels=max_vessels,
        )
    if figure == "schematic":
        return case_schematic(
            case, classification, plan=plan, extrahepatic=extrahepatic, convention=convention
        )
    raise ValueError(f"unknown figure '{figure}'; use one of {FIGURES}")


def drawn_limit(figure: str, fmt: str) -> int | None:
    """The most vessels ``figure`` may draw as ``fmt`` (``HEPATIC_MAX_DRAWN_VESSELS`` for
    the tree as an image), or None for no limit (the tree's DOT text, the schematic)."""
    if figure == "tree" and fmt != "dot":
        return renderers().limits.max_drawn_vessels
    return None


def draw(source: str, figure: str, fmt: str, *, cancel: threading.Event | None = None) -> bytes:
    """A figure's source text as ``fmt`` bytes; ``ValueError`` names the formats a figure
    has (the schematic has no DOT text). ``dot`` is stopped when ``cancel`` is set."""
    if fmt not in FIGURE_FORMATS.get(figure, ()):
        shown = ", ".join(FIGURE_FORMATS.get(figure, ()))
        raise ValueError(f"the {figure} figure is drawn as {shown or 'nothing'}, not '{fmt}'")
    if figure == "tree":
        return render(source, fmt, cancel=cancel)
    return render_schematic(source, fmt)
