"""Wording: the reasons behind a classification, and the ten-second text summary.

Kept apart from the rules so the rules stay short and the prose can be reviewed by a
radiologist on its own.
"""

from __future__ import annotations

from anatomy.classification.classify import (
    Classification,
    SideState,
    _label,
    _labels,
    usual_feeders_for,
)

__all__ = ["reasons", "summary_text"]


def _side_sentence(name: str, state: SideState) -> str:
    liver = "Right liver (V–VIII)" if name == "right" else "Left lateral liver (II–III)"
    parts = []
    if state.normal:
        parts.append("normal supply from the hepatic axis")
    if state.replaced_from:
        parts.append(f"replaced artery from {_labels(state.replaced_from)}")
    if state.accessory_from:
        parts.append(f"accessory artery from {_labels(state.accessory_from)}")
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
        out.append(f"Hepatic trunk arises from {_label(sig.hepatic_trunk_from)}.")
    out.append(_side_sentence("right", sig.right))
    out.append(_side_sentence("left", sig.left))
    if result.pattern is not None:
        sub = (
            f" ({result.michels_subtype}: {result.pattern.name})"
            if result.michels_subtype
            else f" ({result.pattern.name})"
        )
        out.append(f"This is Michels type {result.michels}{sub}.")
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
        lines.append(f"Michels {result.michels}{sub}: {name}")
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
    if result.cannot_exclude or result.unsupplied:
        lines.append("Not yet excluded:")
        by_reason: dict[str, list[str]] = {}
        for what, why in result.cannot_exclude:
            for reason in why.split("; "):
                by_reason.setdefault(reason, []).append(what)
        for reason, types in by_reason.items():
            michels = [t for t in types if not t.startswith("Hiatt")]
            others = [t for t in types if t.startswith("Hiatt")]
            label = ", ".join(([f"Michels {', '.join(michels)}"] if michels else []) + others)
            lines.append(f"  - {label}: {reason}")
        by_advice: dict[str, list[str]] = {}
        for segment in result.unsupplied:
            feeders = usual_feeders_for(segment)[:2]
            advice = "; ".join(f"{f.where} ({f.study})" for f in feeders)
            by_advice.setdefault(advice, []).append(segment)
        for advice, segments in by_advice.items():
            word = "segment" if len(segments) == 1 else "segments"
            lines.append(
                f"  - {word} {', '.join(segments)}: no identified supply"
                + (f"; look for {advice}" if advice else "")
            )
    return "\n".join(lines)
