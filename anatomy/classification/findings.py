"""Findings: the facts about single vessels that a classification reports, each with a code.

Where the hepatic trunk arises; each hepatic artery with its side, status and origin; the
branching of a normally originating tree (trifurcation, double hepatic arteries, the GDA's
origin, where segment IV's supply comes from); extrahepatic branches of hepatic arteries
(non-target branches); celiac-trunk variants; collateral supply. Codes are stable; the
messages are sentences a radiologist reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, NamedTuple

from anatomy.classification.annotate import Anatomy, Artery
from anatomy.reference.vocabulary import kind, side_artery, with_role
from anatomy.segments import IV_BITS, LEFT_BITS, RIGHT_BITS, describe, segment_names, segments_of

__all__ = ["Finding", "findings", "origin_label", "origin_labels", "origin_of"]

SIDE_WORD = {
    "right": "right hepatic artery",
    "left": "left hepatic artery",
    "segment_iv": "segment IV artery",
    "caudate": "caudate artery",
}


class Finding(NamedTuple):
    """One fact about one vessel, with a stable code."""

    code: str
    vessel: str | None
    message: str
    artery: str | None = None
    status: str | None = None
    origin: str | None = None
    origin_vessel: str | None = None
    segments: tuple[str, ...] = ()
    assumed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "vessel": self.vessel,
            "artery": self.artery,
            "status": self.status,
            "origin": self.origin,
            "origin_vessel": self.origin_vessel,
            "segments": list(self.segments),
            "assumed": self.assumed,
            "message": self.message,
        }


@cache
def origin_label(kind_name: str | None) -> str:
    """How prose names an origin: a kind's short name, "the hepatic axis", "an unnamed
    vessel", or "not shown"."""
    if kind_name is None:
        return "not shown"
    if kind_name in ("unknown", "hepatic_axis"):
        return {"unknown": "an unnamed vessel", "hepatic_axis": "the hepatic axis"}[kind_name]
    return kind(kind_name).short


def origin_labels(names: Iterable[str]) -> str:
    """Several origins, sorted and joined (or "none")."""
    return ", ".join(sorted(origin_label(n) for n in names)) or "none"


def findings(note: Anatomy) -> tuple[Finding, ...]:
    out: list[Finding] = []
    normal_origins = with_role("normal_trunk_origin")
    if note.axis_top is not None:
        origin = note.axis_origin_kind
        where = origin_label(origin) if note.axis_origin else "outside the study (it is the root)"
        out.append(
            Finding(
                "hepatic_trunk_origin",
                note.axis_top,
                f"The hepatic trunk ({_vessel_name(note, note.axis_top)}) arises from {where}.",
                artery="hepatic_axis",
                status="normal" if origin in normal_origins else "aberrant",
                origin=origin,
                origin_vessel=note.axis_origin,
                segments=tuple(
                    segment_names(segments_of(note.territories.reach_bits[note.axis_at[0]]))
                ),
            )
        )
    for artery in note.arteries:
        out.append(_artery_finding(note, artery))
    out += _branching(note)
    out += [Finding(n.code, n.vessel, n.message) for n in note.findings]
    return tuple(sorted(out, key=lambda f: (_CODE_ORDER.get(f.code, 99), f.vessel or "", f.code)))


_CODE_ORDER = {
    "hepatic_trunk_origin": 0,
    "replaced_right_hepatic": 1,
    "accessory_right_hepatic": 2,
    "normal_right_hepatic": 3,
    "replaced_left_hepatic": 4,
    "accessory_left_hepatic": 5,
    "normal_left_hepatic": 6,
}


def _vessel_name(note: Anatomy, node: str) -> str:
    name = note.tree.vessel[node].kind
    return f"{origin_label(name)} {node}" if name else f"unnamed {node}"


def _artery_finding(note: Anatomy, artery: Artery) -> Finding:
    if artery.side in ("right", "left"):
        code = f"{artery.status}_{artery.side}_hepatic"
    else:
        code = f"{'normal' if artery.normal else 'aberrant'}_{artery.side}_artery"
    origin = "the hepatic axis" if artery.normal else origin_label(artery.origin_kind)
    origin_at = f" ({artery.origin})" if artery.origin else ""
    assumed = " (territory assumed from its name)" if artery.assumed else ""
    word = "" if artery.status == "normal" else f"{artery.status} "
    named = f"{word}{SIDE_WORD[artery.side]}"
    if artery.implicit:  # supply written on a trunk: a branch the case does not list
        message = (
            f"{named[0].upper()}{named[1:]} from {origin}{origin_at}, supplying "
            f"{describe(artery.territory)}: a branch not listed, written as {artery.vessel}'s "
            "own `supplies`."
        )
    else:
        message = (
            f"{named[0].upper()}{named[1:]} {artery.vessel} from {origin}{origin_at}, "
            f"supplying {describe(artery.territory)}{assumed}."
        )
    return Finding(
        code,
        artery.vessel,
        message,
        artery=artery.side,
        status=artery.status,
        origin="hepatic_axis" if artery.normal else artery.origin_kind,
        origin_vessel=artery.origin,
        segments=tuple(segment_names(artery.territory)),
        assumed=artery.assumed,
    )


@cache
def _branching_role(name: str) -> str | None:
    """Which branching finding a named vessel of this kind can give: ``gda`` (its origin),
    ``celiac_variant``, ``non_target`` (an extrahepatic branch of a hepatic artery), or
    None (the others, skipped at once)."""
    entry = kind(name)
    if entry.has("defines_hepatic_trunk"):
        return "gda"
    if entry.has("celiac_variant"):
        return "celiac_variant"
    if entry.non_target_branch:
        return "non_target"
    return None


def _branching(note: Anatomy) -> list[Finding]:
    """Branching findings: GDA origin, trifurcation, separate hepatic arteries, segment IV,
    extrahepatic branches of hepatic arteries, celiac-variant trunks."""
    out: list[Finding] = []
    axis = set(note.axis)
    by_vessel = {a.vessel: a for a in note.arteries}
    order, vessels = note.tree.preorder, note.tree.vessel
    roles = [(order[i], i, _branching_role(vessels[order[i]].kind or "")) for i in note.named_at]
    for node, i, role in sorted(r for r in roles if r[2] is not None):
        entry = kind(vessels[node].kind or "")
        parent = note.anchor_at[i]
        if role == "gda":
            where = "hepatic_axis" if parent in axis else origin_of(note, parent)
            if where != "hepatic_axis":
                out.append(
                    Finding(
                        "gastroduodenal_origin",
                        node,
                        f"The gastroduodenal artery {node} arises from {_where(note, parent)}, "
                        "not from the common hepatic artery.",
                        origin=where,
                        origin_vessel=parent,
                    )
                )
        elif role == "non_target":
            if parent is not None and (parent in axis or parent in note.artery_of):
                out.append(
                    Finding(
                        "non_target_branch",
                        node,
                        f"{entry.label.capitalize()} {node} arises from {_where(note, parent)}: "
                        "a non-target branch (organ at risk: "
                        f"{entry.organ_at_risk or 'not stated'}).",
                        origin=origin_of(note, parent),
                        origin_vessel=parent,
                    )
                )
        else:
            out.append(
                Finding(
                    "celiac_variant",
                    node,
                    f"{entry.label.capitalize()} {node}: a celiac-trunk variant"
                    + (
                        f", read as {origin_label(entry.counts_as)} for origins."
                        if entry.counts_as
                        else "."
                    ),
                    origin=entry.counts_as,
                )
            )
    gda_kinds = with_role("defines_hepatic_trunk")
    for node in note.axis:
        below = note.tree.children[node]
        sides = {by_vessel[c].side for c in below if c in by_vessel}
        gives_gda = any(note.tree.vessel[c].kind in gda_kinds for c in below)
        if gives_gda and {"right", "left"} <= sides:
            out.append(
                Finding(
                    "trifurcation",
                    node,
                    f"{_vessel_name(note, node)} gives the GDA and the right and left hepatic "
                    "arteries at one point: no proper hepatic artery (a branching variant of a "
                    "normally originating tree).",
                    artery="hepatic_axis",
                )
            )
    if not note.axis:
        right = [a for a in note.arteries if a.side == "right"]
        left = [a for a in note.arteries if a.side == "left"]
        if right and left:
            ids = ", ".join(a.vessel for a in right + left)
            out.append(
                Finding(
                    "double_hepatic_arteries",
                    right[0].vessel,
                    f"No common hepatic trunk: the right and left hepatic arteries ({ids}) arise "
                    "separately.",
                )
            )
    out += _segment_iv(note)
    return out


def _segment_iv(note: Anatomy) -> list[Finding]:
    """Where segment IV's supply comes from (the A4 / middle hepatic artery's origin)."""
    terr = note.territories
    out = []
    # A segment-IV-only vessel whose parent also reaches R or L (or is not in IV at all)
    # is the top of a segment IV artery; a vessel reaching R or L that itself supplies IV
    # supplies it directly.
    # Grouped by source (the vessel a segment IV branch arises from, or the artery that
    # supplies IV itself), so a centerline graph with thousands of twigs gives one line each.
    branches: dict[str, list[int]] = {}
    direct: dict[str, list[int]] = {}
    order, up = note.tree.preorder, note.tree.up
    reach, own = terr.reach_bits, terr.own_bits
    sides = RIGHT_BITS | LEFT_BITS
    for i in [i for i, bits in enumerate(reach) if bits & IV_BITS]:
        bits = reach[i]
        parent = up[i]
        node = order[i]
        if bits & sides:
            if own[i] & IV_BITS:
                direct.setdefault(note.artery_of.get(node, node), []).append(i)
        elif parent < 0 or reach[parent] & sides or not reach[parent] & IV_BITS:
            branches.setdefault(note.anchor_at[i] or node, []).append(i)
    for source, tops in sorted(branches.items()):
        first = order[tops[0]]
        if len(tops) == 1:
            text = f"Segment IV artery {first} arises from {_where(note, source)}."
        else:
            where = _where(note, source)
            text = f"Segment IV is supplied by {len(tops)} branches arising from {where}."
        out.append(
            Finding(
                "segment_iv_supply",
                first,
                text,
                artery="segment_iv",
                origin=origin_of(note, source),
                origin_vessel=source,
                segments=_iv_names(reach, tops),
                assumed=any(terr.partly_at[t] for t in tops),
            )
        )
    for source, nodes in sorted(direct.items()):
        out.append(
            Finding(
                "segment_iv_supply",
                source,
                f"Segment IV is supplied directly by {_where(note, source)}.",
                artery="segment_iv",
                origin=origin_of(note, source),
                origin_vessel=source,
                segments=_iv_names(own, nodes),
                assumed=any(terr.partly_at[n] for n in nodes),
            )
        )
    sources = sorted(set(branches) | set(direct))
    if len(sources) > 1:
        out.append(
            Finding(
                "segment_iv_dual_supply",
                sources[0],
                f"Segment IV has {len(sources)} sources ({', '.join(sources)}).",
            )
        )
    return out


def _iv_names(bits: Sequence[int], positions: Iterable[int]) -> tuple[str, ...]:
    """The segment IV part of the union of these positions' masks, as names."""
    union = 0
    for i in positions:
        union |= bits[i]
    return tuple(segment_names(segments_of(union & IV_BITS)))


def origin_of(note: Anatomy, node: str | None) -> str:
    """What a vessel is, for an origin: the axis, its role as an artery, or its kind."""
    if node is None:
        return "unknown"
    if node in note.axis:
        return "hepatic_axis"
    name = note.tree.vessel[node].kind
    if name is None:  # an unnamed vessel: say what it is by the artery it belongs to
        side = note.artery_side.get(note.artery_of.get(node, ""))
        return side_artery(side).name if side is not None else "unknown"
    return name


def _where(note: Anatomy, node: str | None) -> str:
    if node is None:
        return "outside the study"
    if node in note.axis:
        return f"the hepatic axis ({_vessel_name(note, node)})"
    side = note.artery_side.get(node)  # the vessel is itself a hepatic artery
    role = f", the {SIDE_WORD[side]}" if side is not None else ""
    return f"{_vessel_name(note, node)}{role}"
