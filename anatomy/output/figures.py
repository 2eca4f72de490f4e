"""The figures of a case, by name: the ``tree`` diagram and the anatomical ``schematic``.

One door for the adapters (CLI, API, report, docs script): ``case_figure`` gives a
figure's source text (DOT for the tree, SVG for the schematic) and ``draw`` turns it into
the format asked for. The tree is drawn by Graphviz ``dot``; the schematic is SVG written
by this package and drawn as PNG or PDF by CairoSVG.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from anatomy.output.diagram import Convention, case_diagram, render
from anatomy.output.schematic import case_schematic, render_schematic

if TYPE_CHECKING:
    from anatomy.case import Case
    from anatomy.classification.classify import Classification
    from anatomy.planning.plan import Plan

__all__ = ["FIGURES", "FIGURE_FORMATS", "FIGURE_HELP", "Figure", "case_figure", "draw"]

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
) -> str:
    """The figure's source text: DOT for the tree, SVG for the schematic."""
    if figure == "tree":
        return case_diagram(
            case, classification, plan=plan, extrahepatic=extrahepatic, convention=convention
        )
    if figure == "schematic":
        return case_schematic(
            case, classification, plan=plan, extrahepatic=extrahepatic, convention=convention
        )
    raise ValueError(f"unknown figure '{figure}'; use one of {FIGURES}")


def draw(source: str, figure: str, fmt: str) -> bytes:
    """A figure's source text as ``fmt`` bytes; ``ValueError`` names the formats a figure
    has (the schematic has no DOT text)."""
    if fmt not in FIGURE_FORMATS.get(figure, ()):
        shown = ", ".join(FIGURE_FORMATS.get(figure, ()))
        raise ValueError(f"the {figure} figure is drawn as {shown or 'nothing'}, not '{fmt}'")
    return render(source, fmt) if figure == "tree" else render_schematic(source, fmt)
