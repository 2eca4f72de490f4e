"""The look shared by the figures: what each vessel is drawn as, and in which colours.

A vessel is drawn as ``trunk`` (aorta and visceral trunks), ``normal`` (the hepatic axis
and normally arising hepatic arteries), ``replaced``, ``accessory`` or ``non_target`` (an
extrahepatic branch or collateral, with its organ at risk). Replaced and accessory arteries
differ in colour *and* line style, so the marks survive black-and-white printing. The tree
diagram and the anatomical schematic use the same categories and colours.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from anatomy.reference.vocabulary import Kind, kind, with_role

if TYPE_CHECKING:
    from anatomy.classification.annotate import Anatomy

__all__ = [
    "ACCESSORY",
    "BLACK",
    "GREY",
    "GREY_TEXT",
    "REPLACED",
    "TRUNK_FILL",
    "TUMOR_FILL",
    "TUMOR_LINE",
    "kind_of",
    "vessel_categories",
]

# colours are 6-digit hex (Debian's dot 2.43 rejects #rgb)
BLACK = "#000000"
REPLACED = "#d9480f"  # red-orange, and dashed
ACCESSORY = "#1864ab"  # blue, and dotted
GREY = "#868e96"  # extrahepatic (non-target) branches
GREY_TEXT = "#495057"
TRUNK_FILL = "#f1f3f5"
TUMOR_LINE = "#5f3dc4"
TUMOR_FILL = "#e5dbff"


def kind_of(note: Anatomy, node: str) -> Kind | None:
    """The kind a vessel is drawn as: the classifier's reading (a name its territory
    contradicts is re-read as its side's artery, or set aside), or None when unnamed."""
    name = note.effective(node)
    return None if name is None else kind(name)


def vessel_categories(note: Anatomy) -> Mapping[str, str]:
    """Per vessel id, what it is drawn as: trunk, normal, replaced, accessory, non_target.

    A hepatic trunk that does not arise from the celiac trunk (Michels IX, X, Hiatt 6) is
    drawn as replaced: the whole liver hangs from an aberrant origin.
    """
    tree = note.tree
    aberrant_axis = note.axis_origin is not None and note.axis_origin_kind not in with_role(
        "normal_trunk_origin"
    )
    statuses = {a.vessel: a.status for a in note.arteries}
    axis = set(note.axis)
    out: dict[str, str] = {}
    for node in tree.preorder:
        entry = kind_of(note, node)
        parent = tree.parent[node]
        inherited = out.get(parent, "trunk") if parent is not None else "trunk"
        if entry is not None and entry.non_target_branch:
            out[node] = "non_target"
        elif node in axis and aberrant_axis:
            out[node] = "replaced"
        elif node in note.artery_of:
            out[node] = statuses.get(note.artery_of[node], "normal")
        elif entry is not None and entry.group == "hepatic_axis":
            out[node] = "normal"
        elif entry is None and inherited == "non_target":
            out[node] = "non_target"
        else:
            out[node] = "trunk"
    return out
