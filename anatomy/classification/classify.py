"""Classification: Michels I–X, Hiatt 1–6, or unclassified, with findings and reasons.

The tree's facts (from ``annotate``) become a signature: where the hepatic trunk arises,
and per side whether normal supply is present and the origins of replaced and accessory
arteries. Michels types are matched against the rules in data/michels_variants/;
"unclassified" is an answer, with the nearest types and exactly what differs. The
result also says what the study cannot exclude and which segments have no supply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from anatomy.classification.annotate import Anatomy, Artery, Note
from anatomy.reference.patterns import (
    HiattType,
    Pattern,
    Rule,
    SideRule,
    hiatt_types,
    michels_patterns,
    non_michels_patterns,
    trunk_runs,
    usual_feeders,
)
from anatomy.reference.vocabulary import kind
from anatomy.segments import (
    ALL_SEGMENTS,
    IV_BITS,
    LEFT_BITS,
    RIGHT_BITS,
    describe,
    segment_names,
    segments_of,
)

__all__ = ["Classification", "Difference", "Finding", "Signature", "classify"]

_SIDE_WORD = {
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


class Difference(NamedTuple):
    """How the case differs from one Michels type."""

    michels: str
    distance: int
    differences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Classification:
    """The answer for one tree."""

    anatomy: Anatomy
    signature: Signature
    outcome: str  # classified | unclassified | incomplete
    michels: str | None
    michels_subtype: str | None
    pattern: Pattern | None
    hiatt: int | None
    named_variants: tuple[Pattern, ...]
    nearest: tuple[Difference, ...]
    findings: tuple[Finding, ...]
    warnings: tuple[Note, ...]
    cannot_exclude: tuple[tuple[str, str], ...]  # (michels type, why)
    unsupplied: tuple[str, ...]  # segment names


def classify(anatomy: Anatomy) -> Classification:
    """Classify an annotated tree: Michels, Hiatt, findings, what the study cannot exclude.

    >>> from anatomy.case import parse_case
    >>> from anatomy.classification.annotate import annotate
    >>> case = parse_case({"vessels": [{"id": "ao", "kind": "aorta"},
    ...     {"id": "ct", "kind": "celiac", "parent": "ao"},
    ...     {"id": "cha", "kind": "CHA", "parent": "ct"},
    ...     {"id": "lha", "kind": "LHA", "parent": "cha", "supplies": ["II", "III", "IV"]},
    ...     {"id": "sma", "kind": "SMA", "parent": "ao"},
    ...     {"id": "rrha", "kind": "rRHA", "parent": "sma", "supplies": ["V", "VI", "VII"]}]})
    >>> classify(annotate(case.tree)).michels
    'III'
    """
    return _classify(anatomy)


def _classify(note: Anatomy) -> Classification:
    signature = _signature(note)
    findings = _findings(note)
    match = next(iter(_with_signature(signature)), None)
    codes = {f.code for f in findings}
    gda_from = {f.origin for f in findings if f.code == "gastroduodenal_origin"}
    aberrant: set[tuple[str, str, str]] = {
        (a.side, a.origin_kind, a.status) for a in note.arteries if not a.normal
    }
    variants = tuple(
        p for p in non_michels_patterns() if _holds(p, note, signature, codes, gda_from, aberrant)
    )
    hiatt = _hiatt(match, signature)
    unsupplied = _unsupplied(note)
    nearest = () if match else _nearest(signature)
    incomplete = match is None and (
        not (signature.right.normal or signature.right.replaced_from)
        or not (signature.left.normal or signature.left.replaced_from)
        or (
            signature.hepatic_trunk_from is None
            and not (signature.right.replaced_from or signature.left.replaced_from)
        )
    )
    outcome = "classified" if match else ("incomplete" if incomplete else "unclassified")
    cannot = _cannot_exclude(note, match)
    return Classification(
        anatomy=note,
        signature=signature,
        outcome=outcome,
        michels=match.michels if match else None,
        michels_subtype=match.type if match and match.type != match.michels else None,
        pattern=match,
        hiatt=hiatt.type if hiatt else None,
        named_variants=variants,
        nearest=nearest,
        findings=tuple(findings),
        warnings=note.warnings,
        cannot_exclude=cannot,
        unsupplied=tuple(unsupplied),
    )


# -- the signature ---------------------------------------------------------------------


def _signature(note: Anatomy) -> Signature:
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
    gda = sorted((order[i], i) for i in note.named_at if vessels[order[i]].kind == "gastroduodenal")
    gda_from = None
    if gda:
        parent = note.anchor_at[gda[0][1]]
        gda_from = "hepatic_axis" if parent in note.axis else _origin_of(note, parent)
    return Signature(
        note.axis_origin_kind, side("right", RIGHT_BITS), side("left", LEFT_BITS), gda_from
    )


def _key(trunk: str | None, right: Iterable[object], left: Iterable[object]) -> tuple[object, ...]:
    return (trunk, tuple(right), tuple(left))


@cache
def _by_signature() -> dict[tuple[object, ...], tuple[tuple[Pattern, Rule], ...]]:
    """Michels patterns by (trunk origin, right side, left side), their signature's core."""
    out: dict[tuple[object, ...], tuple[tuple[Pattern, Rule], ...]] = {}
    for item in michels_patterns():
        rule = item.rule
        assert rule is not None
        right, left = rule.right, rule.left
        key = _key(
            rule.hepatic_trunk_from,
            (right.normal, right.replaced_from, right.accessory_from),
            (left.normal, left.replaced_from, left.accessory_from),
        )
        out[key] = (*out.get(key, ()), (item, rule))
    return out


def _with_signature(signature: Signature) -> Iterable[Pattern]:
    """The Michels patterns whose rule may equal ``signature`` (one dict lookup)."""
    found = _by_signature().get(_key(signature.hepatic_trunk_from, signature.right, signature.left))
    return [item for item, rule in found or () if _equal(signature, rule)]


def _equal(signature: Signature, rule: Rule) -> bool:
    gda_elsewhere = signature.gastroduodenal_from not in (None, "hepatic_axis")
    return (
        signature.hepatic_trunk_from == rule.hepatic_trunk_from
        and not (rule.gastroduodenal_on_trunk and gda_elsewhere)
        and _side_equal(signature.right, rule.right)
        and _side_equal(signature.left, rule.left)
    )


def _side_equal(state: SideState, rule: SideRule) -> bool:
    return (
        state.normal == rule.normal
        and state.replaced_from == rule.replaced_from
        and state.accessory_from == rule.accessory_from
    )


@cache
def _label(kind_name: str | None) -> str:
    """How prose names a kind (or "not shown", the axis, an unnamed vessel)."""
    if kind_name is None:
        return "not shown"
    if kind_name in ("unknown", "hepatic_axis"):
        return {"unknown": "an unnamed vessel", "hepatic_axis": "the hepatic axis"}[kind_name]
    return kind(kind_name).short


def _labels(names: Iterable[str]) -> str:
    return ", ".join(sorted(_label(n) for n in names)) or "none"


def _nearest(signature: Signature) -> tuple[Difference, ...]:
    scored = []
    for item in michels_patterns():
        assert item.rule is not None
        assert item.type is not None
        diffs = _differences(signature, item.rule)
        scored.append(Difference(item.type, len(diffs), tuple(diffs)))
    best = min(d.distance for d in scored)
    close = [d for d in scored if d.distance <= best + 1]
    return tuple(close[:4]) if len(close) <= 4 else tuple(d for d in close if d.distance == best)


def _differences(signature: Signature, rule: Rule) -> list[str]:
    out = []
    if signature.hepatic_trunk_from is None:
        out.append(
            f"the hepatic trunk's origin is not shown (type: {_label(rule.hepatic_trunk_from)})"
        )
    elif signature.hepatic_trunk_from != rule.hepatic_trunk_from:
        out.append(
            f"hepatic trunk from {_label(signature.hepatic_trunk_from)}, "
            f"not from {_label(rule.hepatic_trunk_from)}"
        )
    if rule.gastroduodenal_on_trunk and signature.gastroduodenal_from not in (None, "hepatic_axis"):
        out.append(
            f"the GDA arises from {_label(signature.gastroduodenal_from)}, not from the "
            "hepatic trunk (the type needs the entire trunk, GDA included)"
        )
    for name, state, want in (
        ("right", signature.right, rule.right),
        ("left", signature.left, rule.left),
    ):
        liver = "right liver (V–VIII)" if name == "right" else "left lateral liver (II–III)"
        if state.normal != want.normal:
            has = "has" if state.normal else "has no"
            out.append(
                f"{liver} {has} supply from the hepatic axis "
                f"(type expects {'some' if want.normal else 'none'})"
            )
        for status, got, expected in (
            ("replaced", state.replaced_from, want.replaced_from),
            ("accessory", state.accessory_from, want.accessory_from),
        ):
            for extra in sorted(got - expected):
                out.append(f"{status} {name} hepatic artery from {_label(extra)} not in this type")
            for missing in sorted(expected - got):
                out.append(f"no {status} {name} hepatic artery from {_label(missing)}")
    return out


def _hiatt(match: Pattern | None, signature: Signature) -> HiattType | None:
    types = hiatt_types()
    if match is not None:
        return next((t for t in types if t.type == match.hiatt), None)
    return next((t for t in types if t.rule is not None and _equal(signature, t.rule)), None)


# -- variants outside Michels ------------------------------------------------------------


def _holds(
    item: Pattern,
    note: Anatomy,
    signature: Signature,
    codes: set[str],
    gda_from: set[str | None],
    aberrant: set[tuple[str, str, str]],
) -> bool:
    """Whether a variant outside Michels holds; ``aberrant`` holds (side, origin kind,
    status) of every replaced or accessory artery."""
    for cond in item.conditions:
        if cond.artery is not None:
            want = cond.artery
            statuses = ("replaced", "accessory") if want.status == "aberrant" else (want.status,)
            if not any(
                (want.side, origin, status) in aberrant
                for origin in want.from_
                for status in statuses
            ):
                return False
        elif cond.hepatic_trunk_from is not None:
            if signature.hepatic_trunk_from not in cond.hepatic_trunk_from:
                return False
        elif cond.no_hepatic_trunk is not None:
            if (not note.axis) != cond.no_hepatic_trunk:
                return False
        elif cond.gastroduodenal_from is not None:
            if not gda_from & cond.gastroduodenal_from:
                return False
        elif cond.finding is not None and cond.finding not in codes:
            return False
    return True


# -- findings ----------------------------------------------------------------------------


def _findings(note: Anatomy) -> list[Finding]:
    out: list[Finding] = []
    if note.axis_top is not None:
        origin = note.axis_origin_kind
        out.append(
            Finding(
                "hepatic_trunk_origin",
                note.axis_top,
                f"The hepatic trunk ({_vessel_name(note, note.axis_top)}) arises from "
                f"{_label(origin) if note.axis_origin else 'outside the study (it is the root)'}.",
                artery="hepatic_axis",
                status="normal" if origin == "celiac_trunk" else "aberrant",
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
    return sorted(out, key=lambda f: (_CODE_ORDER.get(f.code, 99), f.vessel or "", f.code))


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
    return f"{_label(name)} {node}" if name else f"unnamed {node}"


def _artery_finding(note: Anatomy, artery: Artery) -> Finding:
    if artery.side in ("right", "left"):
        code = f"{artery.status}_{artery.side}_hepatic"
    else:
        code = f"{'normal' if artery.normal else 'aberrant'}_{artery.side}_artery"
    origin = "the hepatic axis" if artery.normal else _label(artery.origin_kind)
    origin_at = f" ({artery.origin})" if artery.origin else ""
    how = " (its own `supplies`: a branch not listed)" if artery.implicit else ""
    assumed = " (territory assumed from its name)" if artery.assumed else ""
    word = "" if artery.status == "normal" else f"{artery.status} "
    named = f"{word}{_SIDE_WORD[artery.side]}"
    message = (
        f"{named[0].upper()}{named[1:]} {artery.vessel} from {origin}{origin_at}{how}, "
        "supplying "
        f"{describe(artery.territory)}{assumed}."
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
    ``non_target`` (an extrahepatic branch of a hepatic artery), ``celiac_variant``, or
    None (the others, skipped at once)."""
    entry = kind(name)
    if name == "gastroduodenal":
        return "gda"
    if entry.group in ("extrahepatic", "collateral"):
        return "non_target"
    if entry.group == "visceral_trunk" and (
        entry.counts_as is not None or name == "gastrosplenic_trunk"
    ):
        return "celiac_variant"
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
            where = "hepatic_axis" if parent in axis else _origin_of(note, parent)
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
                        origin=_origin_of(note, parent),
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
                        f", read as {_label(entry.counts_as)} for origins."
                        if entry.counts_as
                        else "."
                    ),
                    origin=entry.counts_as,
                )
            )
    for node in note.axis:
        below = note.tree.children[node]
        sides = {by_vessel[c].side for c in below if c in by_vessel}
        gives_gda = any(note.tree.vessel[c].kind == "gastroduodenal" for c in below)
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
                origin=_origin_of(note, source),
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
                origin=_origin_of(note, source),
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


def _origin_of(note: Anatomy, node: str | None) -> str:
    """What a vessel is, for an origin: the axis, its role as an artery, or its kind."""
    if node is None:
        return "unknown"
    if node in note.axis:
        return "hepatic_axis"
    name = note.tree.vessel[node].kind
    if name is None:  # an unnamed vessel: say what it is by the artery it belongs to
        side = note.artery_side.get(note.artery_of.get(node, ""), "")
        return _ARTERY_KIND.get(side, "unknown")
    return name


_ARTERY_KIND = {
    "right": "right_hepatic",
    "left": "left_hepatic",
    "segment_iv": "middle_hepatic",
    "caudate": "caudate_artery",
}


def _where(note: Anatomy, node: str | None) -> str:
    if node is None:
        return "outside the study"
    if node in note.axis:
        return f"the hepatic axis ({_vessel_name(note, node)})"
    side = note.artery_side.get(node)  # the vessel is itself a hepatic artery
    role = f", the {_SIDE_WORD[side]}" if side is not None else ""
    return f"{_vessel_name(note, node)}{role}"


# -- completeness ------------------------------------------------------------------------


def _present_kinds(note: Anatomy) -> set[str]:
    out = set()
    vessels = note.tree.vessel
    for node in note.named:
        name = vessels[node].kind or ""
        out.add(name)
        counts_as = kind(name).counts_as
        if counts_as:
            out.add(counts_as)
    return out


@cache
def _needed() -> tuple[tuple[Pattern, frozenset[str]], ...]:
    """Each Michels type with the trunks a study must show to exclude it."""
    out = []
    for item in michels_patterns():
        assert item.rule is not None
        rule = item.rule
        needed = {rule.hepatic_trunk_from}
        for side in (rule.right, rule.left):
            needed |= side.replaced_from | side.accessory_from
        out.append((item, frozenset(n for n in needed if n in trunk_runs())))
    return tuple(out)


def _cannot_exclude(note: Anatomy, match: Pattern | None) -> tuple[tuple[str, str], ...]:
    present = _present_kinds(note)
    root_kind = note.tree.vessel[note.tree.preorder[0]].kind
    out = []
    for item, needed in _needed():
        if item is match or item.type is None or needed <= present:
            continue
        missing = needed - present
        if missing:
            runs = trunk_runs()
            out.append((item.type, "; ".join(runs[m] for m in sorted(missing))))
    if root_kind != "aorta":
        out.append(("Hiatt 6", trunk_runs()["aorta"]))
    return tuple(out)


def _unsupplied(note: Anatomy) -> list[str]:
    reached = note.territories.reach_bits[0]  # the root's territory: every vessel's supply
    return segment_names(ALL_SEGMENTS - segments_of(reached))


def usual_feeders_for(segment: str) -> tuple[Any, ...]:
    """Where a segment's feeder usually is (data/usual_feeders.yaml)."""
    table = usual_feeders()
    key = "IV" if segment in ("IVa", "IVb") else segment
    return table.get(key, ())
