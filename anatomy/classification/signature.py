"""The signature: the facts Michels types are defined by, read off an annotated tree.

Where the hepatic trunk arises; per side (right liver V–VIII, left lateral II–III) whether
normal supply reaches it from the hepatic axis, and the origins of its replaced and
accessory arteries; where the GDA arises. Classification matches it against the pattern
rules, and completeness asks which types it could still become.
"""

from __future__ import annotations

from typing import NamedTuple

from anatomy.classification.annotate import Anatomy
from anatomy.classification.findings import origin_of
from anatomy.reference.vocabulary import with_role
from anatomy.segments import LEFT_BITS, RIGHT_BITS

__all__ = ["SideState", "Signature", "signature"]


class SideState(NamedTuple):
    normal: bool
    replaced_from: frozenset[str]
    accessory_from: frozenset[str]


class Signature(NamedTuple):
    """The facts Michels types are defined by."""

    hepatic_trunk_from: str | None
    right: SideState
    left: SideState
    gastroduodenal_from: str | None = None  # "hepatic_axis", a kind, or None (not shown)


def signature(note: Anatomy) -> Signature:
    """The facts Michels types are defined by, read off the anatomy."""
    axis_bits = 0
    for i in note.axis_at:
        axis_bits |= note.territories.own_bits[i]

    def side(name: str, region: int) -> SideState:
        normal = bool(axis_bits & region)
        replaced, accessory = [], []
        for artery in note.arteries:
            if artery.side == name:
                if artery.status == "normal":
                    normal = True
                elif artery.status == "replaced":
                    replaced.append(artery.origin_kind)
                else:
                    accessory.append(artery.origin_kind)
        return SideState(normal, frozenset(replaced), frozenset(accessory))

    order, vessels = note.tree.preorder, note.tree.vessel
    gda_kinds = with_role("defines_hepatic_trunk")
    gda = sorted((order[i], i) for i in note.named_at if vessels[order[i]].kind in gda_kinds)
    gda_from = None
    if gda:
        parent = note.anchor_at[gda[0][1]]
        # A GDA from a normal hepatic artery (one arising from the axis, as the LHA of an
        # SMA-borne trunk) is still part of the hepatic trunk: the whole trunk moved with it
        # (DESIGN.md: IX/X with the GDA on a hepatic branch).
        on_trunk = parent in note.axis or _in_normal_artery(note, parent)
        gda_from = "hepatic_axis" if on_trunk else origin_of(note, parent)
    return Signature(
        note.axis_origin_kind, side("right", RIGHT_BITS), side("left", LEFT_BITS), gda_from
    )


def _in_normal_artery(note: Anatomy, node: str | None) -> bool:
    """Whether a vessel lies inside a hepatic artery that arises from the hepatic axis."""
    artery = note.artery_of.get(node) if node is not None else None
    return artery is not None and any(a.vessel == artery and a.normal for a in note.arteries)
