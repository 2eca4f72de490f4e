"""Classification: Michels I–X, Hiatt 1–6, or unclassified, with findings and completeness.

The anatomy's facts (from ``annotate``) become a signature: where the hepatic trunk arises,
and per side whether normal supply is present and the origins of replaced and accessory
arteries. Michels types are matched against the rules in data/michels_variants/;
"unclassified" is an answer, with the nearest types and exactly what differs. The findings
(findings.py) and what the study cannot exclude (completeness.py) come with it; the
sentences behind the answer are worded in anatomy/output/wording.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from anatomy.classification.annotate import Anatomy, Note
from anatomy.classification.completeness import Completeness, completeness
from anatomy.classification.findings import Finding, findings, origin_label
from anatomy.classification.signature import SideState, Signature, signature
from anatomy.reference.patterns import (
    HiattType,
    Pattern,
    Rule,
    SideRule,
    hiatt_types,
    michels_patterns,
    non_michels_patterns,
)

__all__ = ["Classification", "Difference", "SideState", "Signature", "classify", "signature"]


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
    completeness: Completeness

    @property
    def unsupplied(self) -> tuple[str, ...]:
        """Segment names with no identified supply."""
        return self.completeness.unsupplied

    @property
    def provisional(self) -> bool:
        """The headline type could still change with a run the study lacks."""
        return self.completeness.provisional


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
    sig = signature(note)
    found = findings(note)
    match = next(iter(_with_signature(sig)), None)
    codes = {f.code for f in found}
    gda_from = {f.origin for f in found if f.code == "gastroduodenal_origin"}
    aberrant: set[tuple[str, str, str]] = {
        (a.side, a.origin_kind, a.status) for a in note.arteries if not a.normal
    }
    variants = tuple(
        p for p in non_michels_patterns() if _holds(p, note, sig, codes, gda_from, aberrant)
    )
    hiatt = _hiatt(match, sig)
    nearest = () if match else _nearest(sig)
    incomplete = match is None and (
        not (sig.right.normal or sig.right.replaced_from)
        or not (sig.left.normal or sig.left.replaced_from)
        or (
            sig.hepatic_trunk_from is None
            and not (sig.right.replaced_from or sig.left.replaced_from)
        )
    )
    outcome = "classified" if match else ("incomplete" if incomplete else "unclassified")
    return Classification(
        anatomy=note,
        signature=sig,
        outcome=outcome,
        michels=match.michels if match else None,
        michels_subtype=match.type if match and match.type != match.michels else None,
        pattern=match,
        hiatt=hiatt.type if hiatt else None,
        named_variants=variants,
        nearest=nearest,
        findings=found,
        warnings=note.warnings,
        completeness=completeness(note, sig, match),
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
            "the hepatic trunk's origin is not shown "
            f"(type: {origin_label(rule.hepatic_trunk_from)})"
        )
    elif signature.hepatic_trunk_from != rule.hepatic_trunk_from:
        out.append(
            f"hepatic trunk from {origin_label(signature.hepatic_trunk_from)}, "
            f"not from {origin_label(rule.hepatic_trunk_from)}"
        )
    if rule.gastroduodenal_on_trunk and signature.gastroduodenal_from not in (None, "hepatic_axis"):
        out.append(
            f"the GDA arises from {origin_label(signature.gastroduodenal_from)}, not from the "
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
                out.append(
                    f"{status} {name} hepatic artery from {origin_label(extra)} not in this type"
                )
            for missing in sorted(expected - got):
                out.append(f"no {status} {name} hepatic artery from {origin_label(missing)}")
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
