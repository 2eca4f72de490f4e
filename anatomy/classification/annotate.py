"""Annotating the tree: the hepatic axis, the hepatic arteries, their origins and status.

The rules are DESIGN.md's "Classification: the rules". In short: the hepatic axis is the
CHA and PHA (named, or unnamed trunks whose territory spans both the right liver R and
the left lateral section L); on every path below the last vessel that is on the axis or
named with a non-hepatic kind, the hepatic artery is the most proximal vessel named with
a hepatic kind, else the most proximal one-sided vessel; its origin is its nearest named
or axis ancestor; aberrant arteries are replaced or accessory by whether normal supply
also reaches their side. Territory wins over a name; disagreements become warnings.
Every pass is a pre- or post-order walk: linear in the number of vessels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, NamedTuple, cast

from anatomy.classification.territory import Territories, territories
from anatomy.reference.vocabulary import groups_with, kind, side_artery, with_role
from anatomy.segments import (
    CAUDATE,
    IV_BITS,
    LEFT,
    LEFT_BITS,
    RIGHT,
    RIGHT_BITS,
    SEGMENT_IV,
    Segment,
    describe,
    segments_of,
)
from anatomy.tree import Tree

__all__ = ["Anatomy", "Artery", "Note", "annotate", "territory_side"]

Side = Literal["right", "left", "segment_iv", "caudate"]
Status = Literal["normal", "replaced", "accessory"]
_EMPTY: frozenset[Segment] = frozenset()


class Note(NamedTuple):
    """A finding or warning about one vessel: a stable code and a sentence."""

    code: str
    vessel: str | None
    message: str


class Artery(NamedTuple):
    """A hepatic artery: the vessel, its side, where it arises and its status."""

    vessel: str
    side: Side
    origin: str | None  # vessel id of the nearest named or axis ancestor (None: the root)
    origin_kind: str  # canonical kind (``counts_as`` applied), or "hepatic_axis", "unknown"
    status: Status
    territory: frozenset[Segment]
    assumed: bool
    implicit: bool = False  # the supply is the trunk's own `supplies`, not a listed branch
    stated_status: str | None = None
    at: int = -1  # the vessel's pre-order position in the tree

    @property
    def normal(self) -> bool:
        return self.origin_kind == "hepatic_axis"


@dataclass(frozen=True)
class Anatomy:
    """Everything the classifier and the planner need to know about a tree.

    ``tree`` is the networkx DiGraph; when the annotation was made from a case's index it
    is built on first use (classification alone never needs it).
    """

    tree: Tree
    territories: Territories
    axis: tuple[str, ...]  # axis vessel ids, top-down (preorder)
    axis_top: str | None
    axis_origin: str | None  # vessel id the hepatic axis arises from
    axis_origin_kind: str | None  # canonical kind (counts_as applied) or None
    arteries: tuple[Artery, ...]
    artery_of: Mapping[str, str]  # vessel id -> id of the hepatic artery it belongs to
    collateral: Mapping[str, str]  # vessel id with collateral supply -> its named collateral
    named: tuple[str, ...]  # vessels the case names (a `kind`), in pre-order
    # The same per pre-order position of ``walk``, for the classifier's passes; the maps
    # by vessel id below are made from them on first use.
    axis_at: tuple[int, ...]
    named_at: tuple[int, ...]
    set_aside: frozenset[str]  # named vessels whose territory contradicts them: unnamed
    reread: Mapping[str, str]  # named vessels whose territory gives another side: its kind
    anchor_at: Sequence[str | None]
    artery_at: Sequence[str | None]  # ``artery_of`` per position (None: no artery)
    kinds_at: Sequence[str | None]
    groups_at: Sequence[str | None]
    findings: tuple[Note, ...] = field(default=())
    warnings: tuple[Note, ...] = field(default=())

    def effective(self, node: str) -> str | None:
        """One vessel's kind as the classifier reads it (a "LHA" that feeds V–VIII is a
        right hepatic artery; a name spanning both sides is set aside), without making the
        whole map."""
        if node in self.set_aside:
            return None
        return self.reread.get(node) or self.tree.vessel[node].kind

    @cached_property
    def kinds_present(self) -> frozenset[str]:
        """The kinds the case names (as written), each once."""
        vessels, order = self.tree.vessel, self.tree.preorder
        return frozenset(vessels[order[i]].kind or "" for i in self.named_at)

    @cached_property
    def artery_side(self) -> Mapping[str, str]:
        """Hepatic artery vessel id -> its side."""
        return {a.vessel: a.side for a in self.arteries}

    @cached_property
    def effective_kind(self) -> Mapping[str, str | None]:
        """Vessel id -> kind, after names their territory contradicts are set aside."""
        return dict(zip(self.tree.preorder, self.kinds_at, strict=True))


def territory_side(segments: frozenset[Segment]) -> str:
    """``both``, ``right``, ``left``, ``segment_iv``, ``caudate`` or ``none``."""
    right, left = bool(segments & RIGHT), bool(segments & LEFT)
    if right and left:
        return "both"
    if right:
        return "right"
    if left:
        return "left"
    if segments & SEGMENT_IV:
        return "segment_iv"
    if segments & CAUDATE:
        return "caudate"
    return "none"


def _name(walk: Tree, node: str) -> str:
    item = walk.vessel[node]
    return f"{kind(item.kind).label} ({node})" if item.kind else f"unnamed branch {node}"


def annotate(tree: Tree) -> Anatomy:
    """Annotate ``tree`` (not modified). See the module docstring for the rules.

    The passes work on pre-order positions (plain lists); the maps by vessel id that the
    Anatomy hands out are made on first use.
    """
    walk = tree
    order, vessels = walk.preorder, walk.vessel
    items = [vessels[node] for node in order]
    terr = territories(tree, items)
    warnings: list[Note] = []
    findings: list[Note] = []
    kinds = [item.kind for item in items]  # becomes the effective kinds
    named_at = [i for i, name in enumerate(kinds) if name is not None]
    set_aside, reread = _set_aside_contradicted(order, kinds, named_at, terr, warnings)
    groups: list[str | None] = [None] * len(order)
    for i in named_at:
        name = kinds[i]
        if name is not None:
            groups[i] = kind(name).group
    axis_at = _axis(walk, terr, kinds, groups, findings)
    axis_ids = tuple(map(order.__getitem__, axis_at))
    axis = frozenset(axis_ids)
    arteries, artery_of, collateral, anchor_at, artery_at = _arteries(
        walk, terr, kinds, groups, axis, axis_at, findings
    )
    arteries = _gastric_stems(walk, kinds, axis_at, named_at, arteries)
    arteries = _statuses(walk, arteries, terr, axis_at, findings, warnings)
    top = order[axis_at[0]] if axis_at else None
    origin = anchor_at[axis_at[0]] if axis_at else None
    return Anatomy(
        tree=tree,
        territories=terr,
        axis=axis_ids,
        axis_top=top,
        axis_origin=origin,
        axis_origin_kind=_origin_kind(walk, origin) if origin else None,
        arteries=tuple(sorted(arteries, key=lambda a: (_SIDE_ORDER[a.side], a.vessel))),
        artery_of=artery_of,
        collateral=collateral,
        named=tuple(map(order.__getitem__, named_at)),
        axis_at=tuple(axis_at),
        named_at=tuple(named_at),
        set_aside=set_aside,
        reread=reread,
        anchor_at=anchor_at,
        artery_at=artery_at,
        kinds_at=kinds,
        groups_at=groups,
        findings=tuple(findings),
        warnings=tuple(warnings),
    )


_SIDE_ORDER = {"right": 0, "left": 1, "segment_iv": 2, "caudate": 3}


def _set_aside_contradicted(
    order: Sequence[str],
    kinds: list[str | None],
    named_at: Sequence[int],
    terr: Territories,
    warnings: list[Note],
) -> tuple[frozenset[str], dict[str, str]]:
    """Named hepatic kinds checked against territory; territory wins. ``kinds`` holds
    every position's written kind and becomes the effective kinds: a name whose territory
    spans both sides is set aside (the vessel reads as unnamed), a name of the wrong side is
    re-read as its side's artery. Returns the vessels set aside and those re-read."""
    out = set()
    reread: dict[str, str] = {}
    for i in named_at:
        node = order[i]
        entry = kind(kinds[i] or "")
        bits = terr.reach_bits[i]
        if not entry.is_hepatic or not bits:
            continue
        reach = segments_of(bits)
        side = territory_side(reach)
        if terr.assumed_bits[i] and side != "both":
            continue  # its territory comes partly from its name: nothing to check it against
        if (
            side == entry.side
            and side != "both"
            and (entry.level != "segmental" or reach & entry.territory)
        ):
            continue  # the name agrees with the territory: the common case
        stated = describe(reach)
        if side == "both":
            kinds[i] = None
            out.add(node)
            warnings.append(
                Note(
                    "kind_contradicted",
                    node,
                    f"{node} is named {entry.label} but supplies both right and left liver "
                    f"({stated}); it is treated as an unnamed common trunk.",
                )
            )
        elif side != entry.side:
            read_as = side_artery(side)
            kinds[i] = reread[node] = read_as.name
            warnings.append(
                Note(
                    "kind_contradicted",
                    node,
                    f"{node} is named {entry.label} but supplies {stated}: by its territory it "
                    f"is a {read_as.label}, and is classified, routed and drawn as such "
                    f"({read_as.abbreviation}).",
                )
            )
        elif entry.level == "segmental" and not (reach & entry.territory):
            warnings.append(
                Note(
                    "kind_contradicted",
                    node,
                    f"{node} is named {entry.label} but supplies {stated}, not "
                    f"{describe(entry.territory)}.",
                )
            )
    return frozenset(out), reread


def _axis(
    walk: Tree,
    terr: Territories,
    kinds: Sequence[str | None],
    groups: Sequence[str | None],
    findings: list[Note],
) -> list[int]:
    """The hepatic axis (pre-order positions): named CHA/PHA, and unnamed trunks that are
    one in Song's sense.

    Song 2010 (anatomy-facts §3.2): the CHA is any trunk containing at least one hepatic
    artery and the GDA. So an unnamed vessel with liver territory is on the axis when it
    leads, through unnamed vessels only, to the GDA or to a named CHA/PHA; an unnamed
    vessel whose territory spans R and L is a common hepatic trunk even when no GDA is
    drawn. An unnamed vessel giving a named visceral trunk (LGA, splenic …) is a trunk
    itself, never the axis.
    """
    up = walk.up
    reach = terr.reach_bits
    n = len(up)
    trunk_groups = groups_with("trunk")
    gives_trunk_name = with_role("defines_hepatic_trunk")  # the GDA (Song 2010)
    leads = [False] * n
    gives_trunk = [False] * n
    candidate: list[int] = []
    # Children before parents (reverse pre-order); each tells its parent whether it leads
    # to the GDA or the named axis through unnamed vessels, or is a visceral trunk.
    for i in range(n - 1, -1, -1):
        group = groups[i]
        if group == "hepatic_axis":
            candidate.append(i)
        elif group is None and not gives_trunk[i]:
            bits = reach[i]
            if (bits & RIGHT_BITS and bits & LEFT_BITS) or (bits and leads[i]):
                candidate.append(i)
        parent = up[i]
        if parent >= 0:
            if (
                group == "hepatic_axis"
                or (group is None and leads[i])
                or kinds[i] in gives_trunk_name
            ):
                leads[parent] = True
            elif group in trunk_groups:
                gives_trunk[parent] = True
    candidate.reverse()  # pre-order
    on_axis = set(candidate)
    tops = [i for i in candidate if up[i] not in on_axis]
    if len(tops) <= 1:
        return candidate

    # Several separate trunks (rare): the one with the named axis or the GDA is the axis.
    order = walk.preorder
    where = {order[i]: i for i in candidate}

    def members(top: int) -> list[int]:
        out, stack = [], [top]
        while stack:
            i = stack.pop()
            out.append(i)
            stack.extend(where[c] for c in walk.children[order[i]] if c in where)
        return out

    def rank(top: int) -> tuple[int, int, str]:
        inside = members(top)
        named = any(groups[i] == "hepatic_axis" for i in inside)
        gda = any(  # (the GDA is not a hepatic kind, so never set aside)
            walk.vessel[c].kind in gives_trunk_name for i in inside for c in walk.children[order[i]]
        )
        return (0 if named else 1, 0 if gda else 1, order[top])

    primary = min(tops, key=rank)
    for other in tops:
        if other != primary:
            findings.append(
                Note(
                    "second_hepatic_trunk",
                    order[other],
                    f"{_name(walk, order[other])} also supplies both right and left liver, "
                    f"apart from the hepatic axis at {_name(walk, order[primary])}; its "
                    "branches are read as separate hepatic arteries.",
                )
            )
    return sorted(members(primary))


def _origin_kind(walk: Tree, origin: str | None, axis: frozenset[str] = frozenset()) -> str:
    if origin is None:
        return "unknown"
    if origin in axis:
        return "hepatic_axis"
    name = walk.vessel[origin].kind
    if name is None:
        return "unknown"
    entry = kind(name)
    return entry.counts_as or entry.name


def _arteries(
    walk: Tree,
    terr: Territories,
    kinds: Sequence[str | None],
    groups: Sequence[str | None],
    axis: frozenset[str],
    axis_at: Sequence[int],
    findings: list[Note],
) -> tuple[list[Artery], dict[str, str], dict[str, str], list[str | None], list[str | None]]:
    """Find the hepatic artery on every path, and every vessel's anchor: its nearest
    ancestor that is named (after contradictions) or on the axis, the vessel it "arises
    from" once unnamed branches are seen through. One pre-order pass."""
    # An unnamed vessel is not the artery when a named hepatic vessel lies below it, or a
    # named trunk or axis vessel that carries liver territory (the hepatic artery lies
    # below the *last* such vessel on the path): it is then a pass-through.
    order, up = walk.preorder, walk.up
    reach, own = terr.reach_bits, terr.own_bits
    n = len(order)
    on_axis = [False] * n
    for i in axis_at:
        on_axis[i] = True
    named_below = [False] * n
    for i in range(n - 1, 0, -1):  # children before parents; the root has no parent
        parent = up[i]
        if not named_below[parent]:
            group = groups[i]
            if (
                named_below[i]
                or group == "hepatic"
                or ((group is not None or on_axis[i]) and reach[i])
            ):
                named_below[parent] = True
    arteries: list[Artery] = []
    artery_of: dict[str, str] = {}
    collateral: dict[str, str] = {}
    collateral_at: list[int] = []
    # Per position: the anchor, the artery the vessel belongs to, the collateral source.
    anchor_at: list[str | None] = [None] * n
    artery_at: list[str | None] = [None] * n
    current_at: list[str | None] = [None] * n
    source_at: list[str | None] = [None] * n
    for i in range(n):
        node = order[i]
        parent = up[i]
        if parent >= 0:
            inherited = current_at[parent]
            source = source_at[parent]
            anchor = anchor_at[i] = (
                order[parent] if kinds[parent] is not None or on_axis[parent] else anchor_at[parent]
            )
            if inherited is not None and groups[i] is None and not on_axis[i]:
                # The common case: an unnamed branch inside a hepatic artery belongs to it.
                artery_of[node] = artery_at[i] = current_at[i] = inherited
                source_at[i] = source
                continue
        else:
            inherited = source = anchor = None
        group = groups[i]
        bits = reach[i]
        current: str | None = inherited
        if on_axis[i]:
            current, source = None, None
            if own[i]:
                artery_of[node] = artery_at[i] = node
        elif group is not None and group != "hepatic":
            current = None
            entry = kind(kinds[i] or "")
            source = None if entry.aberrant_origin else node
            if own[i]:
                if entry.aberrant_origin:
                    # Supply written on a trunk is aberrant supply through unlisted branches,
                    # on every side it reaches (DESIGN.md): one implicit artery per side.
                    for bits in _by_side(own[i]):
                        arteries.append(_artery(walk, i, node, terr, axis, implicit_bits=bits))
                    artery_of[node] = artery_at[i] = node
                else:
                    collateral[node] = node
                    collateral_at.append(i)
        elif inherited is None and source is not None and group != "hepatic":
            if bits:
                collateral[node] = source
                collateral_at.append(i)
        elif inherited is None:
            one_sided = bits != 0 and not (bits & RIGHT_BITS and bits & LEFT_BITS)
            if (group == "hepatic" and bits) or (
                group is None and one_sided and (not named_below[i] or own[i])
            ):
                arteries.append(_artery(walk, i, anchor, terr, axis))
                current = node
        if current is not None:
            artery_of[node] = artery_at[i] = current
        current_at[i] = current
        source_at[i] = source
    for i in sorted(collateral_at, key=order.__getitem__):
        node = order[i]
        if own[i]:
            findings.append(
                Note(
                    "collateral_supply",
                    node,
                    f"{_name(walk, node)} supplies {describe(segments_of(own[i]))} from "
                    f"{_name(walk, collateral[node])}: an extrahepatic (collateral) feeder, not a "
                    "hepatic artery; it does not change the Michels type.",
                )
            )
    return arteries, artery_of, collateral, anchor_at, artery_at


def _by_side(bits: int) -> list[int]:
    """A trunk's own supply split into the arteries it stands for: one per side when it
    reaches both the right liver and the left (segment IV with the left, the caudate with
    the right), else one."""
    if not (bits & RIGHT_BITS and bits & LEFT_BITS):
        return [bits]
    left = bits & (LEFT_BITS | IV_BITS)
    return [bits & ~left, left]


def _gastric_stems(
    walk: Tree,
    kinds: Sequence[str | None],
    axis_at: Sequence[int],
    named_at: Sequence[int],
    arteries: list[Artery],
) -> list[Artery]:
    """A hepatic artery that shares a short common stem with the LGA arises from the LGA.

    The stem is the LGA's parent when it is unnamed or a trunk with the role
    ``gastric_stem_without_axis`` (a "gastrohepatic trunk"), and gives no part of the
    hepatic axis: a trunk that gives the CHA is a celiac-trunk variant, as before (DESIGN.md).
    """
    order, up = walk.preorder, walk.up
    owners = with_role("owns_gastric_stem")
    may_be_stem = with_role("gastric_stem_without_axis")
    stems: dict[int, str] = {}  # stem position -> the LGA's vessel id
    for i in named_at:
        stem = up[i]
        if kinds[i] in owners and stem >= 0 and (kinds[stem] is None or kinds[stem] in may_be_stem):
            stems[stem] = order[i]
    if not stems or not arteries:
        return arteries
    size = walk.size
    for stem in list(stems):
        if any(stem <= a < stem + size[stem] for a in axis_at):
            del stems[stem]  # it gives the CHA: a celiac-trunk variant, not the LGA's stem
    if not stems:
        return arteries
    out = []
    for artery in arteries:
        i = up[artery.at]
        lga = None
        while i >= 0:  # through unnamed vessels up to (and including) the anchor
            if i in stems:
                lga = stems[i]
                break
            if kinds[i] is not None or order[i] == artery.origin:
                break
            i = up[i]
        if lga is None or artery.normal:
            out.append(artery)
            continue
        vessel, side, _, _, status, territory, assumed, implicit, stated, at = artery
        out.append(
            Artery(
                vessel,
                side,
                lga,
                _origin_kind(walk, lga),
                status,
                territory,
                assumed,
                implicit,
                stated,
                at,
            )
        )
    return out


def _artery(
    walk: Tree,
    at: int,
    origin: str | None,
    terr: Territories,
    axis: frozenset[str],
    implicit_bits: int = 0,
) -> Artery:
    """The artery at pre-order position ``at``, as normal until statuses are decided;
    ``implicit_bits``: the part of a trunk's own supply it stands for."""
    node = walk.preorder[at]
    reach = segments_of(implicit_bits or terr.reach_bits[at])
    side = territory_side(reach)
    if side not in _SIDE_ORDER:  # an artery is one-sided by construction
        raise AssertionError(f"hepatic artery {node} reaches {side} sides")
    return Artery(
        vessel=node,
        side=cast("Side", side),
        origin=origin,
        origin_kind=_origin_kind(walk, origin, axis),
        status="normal",
        territory=reach,
        assumed=terr.partly_at[at],
        implicit=bool(implicit_bits),
        stated_status=walk.vessel[node].status,
        at=at,
    )


def _statuses(
    walk: Tree,
    arteries: list[Artery],
    terr: Territories,
    axis_at: Sequence[int],
    findings: list[Note],
    warnings: list[Note],
) -> list[Artery]:
    """Replaced or accessory, side by side (DESIGN.md)."""
    axis_bits = 0
    for i in axis_at:
        axis_bits |= terr.own_bits[i]
    axis_own = segments_of(axis_bits)
    out: list[Artery] = []
    for side, region in (("right", RIGHT), ("left", LEFT)):
        mine = [a for a in arteries if a.side == side]
        aberrant = [a for a in mine if not a.normal]
        if not aberrant:
            out += mine  # all arise from the axis: normal, as made
            continue
        if len(aberrant) < len(mine) or axis_own & region:
            decided: dict[str, Status] = dict.fromkeys((a.vessel for a in aberrant), "accessory")
        else:
            decided = _without_normal(aberrant, region, findings)
        out += [a if a.normal else _with_status(a, decided.get(a.vessel, "normal")) for a in mine]
    out += [a for a in arteries if a.side not in ("right", "left")]
    for artery in out:
        stated = artery.stated_status
        if stated is not None and stated != artery.status:
            warnings.append(
                Note(
                    "status_contradicted",
                    artery.vessel,
                    f"{_name(walk, artery.vessel)} is written as {stated}, but it is "
                    f"{_status_reason(artery)}.",
                )
            )
    return out


def _status_reason(artery: Artery) -> str:
    if artery.status == "normal":
        return "a normal artery: it arises from the hepatic axis"
    if artery.status == "replaced":
        return "replaced: no artery from the hepatic axis reaches its side"
    return "accessory: normal supply also reaches its side"


def _without_normal(
    aberrant: list[Artery], region: frozenset[Segment], findings: list[Note]
) -> dict[str, Status]:
    """Several aberrant arteries and no normal supply: all replaced, except nested ones."""
    if len(aberrant) == 1:  # nothing to nest in or tie with
        return {aberrant[0].vessel: "replaced"}
    decided: dict[str, Status] = {}
    parts = {a.vessel: a.territory & region for a in aberrant}
    for artery in aberrant:
        mine = parts[artery.vessel]
        inside = any(mine < parts[o.vessel] for o in aberrant if o.vessel != artery.vessel)
        decided[artery.vessel] = "accessory" if inside else "replaced"
    groups: dict[frozenset[Segment], list[Artery]] = {}
    for artery in aberrant:
        if decided[artery.vessel] == "replaced":
            groups.setdefault(parts[artery.vessel], []).append(artery)
    for tied in groups.values():
        if len(tied) < 2:
            continue
        said_accessory = [a for a in tied if a.stated_status == "accessory"]
        if said_accessory and len(said_accessory) < len(tied):
            for artery in said_accessory:
                decided[artery.vessel] = "accessory"
        else:
            ids = ", ".join(sorted(a.vessel for a in tied))
            findings.append(
                Note(
                    "ambiguous_status",
                    sorted(a.vessel for a in tied)[0],
                    f"{ids} supply the same segments ({describe(parts[tied[0].vessel])}) with no "
                    "normal artery: which is replaced and which accessory cannot be told; state "
                    "`status` on one of them.",
                )
            )
    return decided


def _with_status(artery: Artery, status: Status) -> Artery:
    vessel, side, origin, origin_kind, _, territory, assumed, implicit, stated, at = artery
    return Artery(
        vessel, side, origin, origin_kind, status, territory, assumed, implicit, stated, at
    )
