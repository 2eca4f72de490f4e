"""Wording: the reasons behind a classification, and the ten-second text summary.

Kept apart from the rules so the rules stay short and the prose can be reviewed by a
radiologist on its own.
"""

from __future__ import annotations

from anatomy.classification.classify import Classification, SideState
from anatomy.classification.completeness import OpenType, usual_feeders_for
from anatomy.classification.findings import origin_label, origin_labels
from anatomy.reference.patterns import run_names

__all__ = [
    "figure_title",
    "level_words",
    "not_excluded",
    "open_type_label",
    "reasons",
    "summary_text",
    "unsupplied_advice",
]

# What a catheter position's level means for the liver it treats (DESIGN.md "Catheter
# positions"; anatomy-facts.md §7.3).
_LEVELS = {
    "subsegmental": "subsegmental (part of one segment)",
    "segmental": "segmental (one segment)",
    "sectoral": "sectoral (one section, two segments)",
    "lobar": "lobar (one hemiliver)",
    "whole_liver": "whole liver (both hemilivers)",
    "extrahepatic": "extrahepatic (a collateral outside the liver)",
}


def level_words(level: str) -> str:
    """A position's level in words: ``lobar`` is "lobar (one hemiliver)".

    >>> level_words("whole_liver")
    'whole liver (both hemilivers)'
    """
    return _LEVELS.get(level, level.replace("_", " "))


def figure_title(result: Classification) -> tuple[str, str, str]:
    """A figure's title: the Michels headline, the Hiatt type and the pattern's name (or
    the nearest types and named variants of an unclassified anatomy)."""
    if result.michels is not None:
        sub = f" ({result.michels_subtype})" if result.michels_subtype else ""
        head = f"Michels {result.michels}{sub}"
        name = result.pattern.name if result.pattern is not None else ""
    else:
        head = (
            "Michels: cannot be determined (incomplete study)"
            if result.outcome == "incomplete"
            else "Michels: unclassified"
        )
        near = ", ".join(d.michels for d in result.nearest[:3])
        name = f"nearest Michels {near}" if near else ""
        variants = "; ".join(p.name for p in result.named_variants)
        if variants:
            name = f"{variants}; {name}" if name else variants
    hiatt = f"Hiatt {result.hiatt}" if result.hiatt is not None else "Hiatt —"
    return head, hiatt, name


def _side_sentence(name: str, state: SideState) -> str:
    liver = "Right liver (V–VIII)" if name == "right" else "Left lateral liver (II–III)"
    parts = []
    if state.normal:
        parts.append("normal supply from the hepatic axis")
    if state.replaced_from:
        parts.append(f"replaced artery from {origin_labels(state.replaced_from)}")
    if state.accessory_from:
        parts.append(f"accessory artery from {origin_labels(state.accessory_from)}")
    return f"{liver}: {', '.join(parts) if parts else 'no identified supply'}."


def reasons(result: Classification) -> list[str]:
    """The sentences that justify the answer, most important first."""
    sig = result.signature
    out = []
    axis_top = result.anatomy.axis_top
    if axis_top is not None and sig.hepatic_trunk_from is None:
        out.append(
            f"The hepatic trunk ({axis_top}) is where the study starts: its origin is not shown."
        )
    elif sig.hepatic_trunk_from is None:
        out.append("No common hepatic trunk (CHA/PHA) was identified.")
    else:
        out.append(f"Hepatic trunk arises from {origin_label(sig.hepatic_trunk_from)}.")
    out.append(_side_sentence("right", sig.right))
    out.append(_side_sentence("left", sig.left))
    if result.pattern is not None:
        sub = (
            f" ({result.michels_subtype}: {result.pattern.name})"
            if result.michels_subtype
            else f" ({result.pattern.name})"
        )
        out.append(f"This is Michels type {result.michels}{sub}.")
        if result.provisional:
            runs = sorted({r for t in result.completeness.open_types for r in t.runs})
            out.append(
                "The type is provisional: the study lacks "
                + ", ".join(run_names()[r] for r in runs)
                + f", which could still show {_types(result.completeness.open_types)}."
            )
    else:
        for item in result.named_variants:
            out.append(f"Named variant outside Michels: {item.name}.")
        for near in result.nearest[:3]:
            out.append(
                f"Nearest Michels {near.michels}, except: "
                f"{'; '.join(near.differences) or 'nothing'}."
            )
    return out


def summary_text(result: Classification) -> str:
    """What a radiologist reads in ten seconds."""
    lines = []
    if result.michels is not None:
        sub = f" ({result.michels_subtype})" if result.michels_subtype else ""
        name = result.pattern.name if result.pattern else ""
        provisional = " (provisional)" if result.provisional else ""
        lines.append(f"Michels {result.michels}{sub}{provisional}: {name}")
    elif result.outcome == "incomplete":
        lines.append("Michels: cannot be determined from this study (incomplete)")
    else:
        names = "; ".join(p.name for p in result.named_variants)
        lines.append("Michels: unclassified" + (f" ({names})" if names else ""))
    lines.append(f"Hiatt: {result.hiatt if result.hiatt is not None else '—'}")
    said = reasons(result)
    lines += [f"  {r}" for r in said[:3]]
    if result.pattern is None:
        lines += [f"  {r}" for r in said[3:]]
    shown = [f for f in result.findings if f.code not in ("hepatic_trunk_origin",)]
    if shown:
        lines.append("Findings:")
        lines += [f"  - [{f.code}] {f.message}" for f in shown]
    if result.warnings:
        lines.append("Warnings:")
        lines += [f"  ! [{w.code}] {w.message}" for w in result.warnings]
    not_yet = not_excluded(result) + [
        f"{segments}: no identified supply" + (f"; look for {advice}" if advice else "")
        for segments, advice in unsupplied_advice(result.unsupplied)
    ]
    if not_yet:
        lines.append("Not yet excluded:")
        lines += [f"  - {line}" for line in not_yet]
    return "\n".join(lines)


def open_type_label(item: OpenType) -> str:
    """ "Michels VI" or "Hiatt 6"."""
    return item.type if item.type.startswith("Hiatt") else f"Michels {item.type}"


def _types(items: tuple[OpenType, ...]) -> str:
    michels = [t.type for t in items if not t.type.startswith("Hiatt")]
    others = [t.type for t in items if t.type.startswith("Hiatt")]
    return ", ".join(([f"Michels {', '.join(michels)}"] if michels else []) + others)


def not_excluded(result: Classification) -> list[str]:
    """One sentence per type the study cannot exclude: what a missing run would have to
    show, and which run."""
    return [
        f"{open_type_label(t)}: {' and '.join(t.could_show)} — {t.because}"
        for t in result.completeness.open_types
    ]


def unsupplied_advice(segments: tuple[str, ...], shown: int = 2) -> list[tuple[str, str]]:
    """("segment VI" or "segments VI, VII", where such a feeder usually is) per advice."""
    by_advice: dict[str, list[str]] = {}
    for segment in segments:
        feeders = usual_feeders_for(segment)[:shown]
        advice = "; ".join(f"{f.where} ({f.study})" for f in feeders)
        by_advice.setdefault(advice, []).append(segment)
    return [
        (f"{'segment' if len(names) == 1 else 'segments'} {', '.join(names)}", advice)
        for advice, names in by_advice.items()
    ]
