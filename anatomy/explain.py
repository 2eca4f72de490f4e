"""Wording: the reasons behind a classification, and the ten-second text summary.

Kept apart from the rules so the rules stay short and the prose can be reviewed by a
radiologist on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anatomy.classify import Classification

__all__ = ["reasons", "summary_text"]


def _side_sentence(name: str, state: object) -> str:
    from anatomy.classify import SideState, _labels

    assert isinstance(state, SideState)
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
    from anatomy.classify import _label

    sig = result.signature
    out = []
    if sig.hepatic_trunk_from is None:
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
                f"Nearest Michels {near.michels}: differs by "
                f"{'; '.join(near.differences) or 'nothing'}."
            )
    return out


def summary_text(result: Classification) -> str:
    """What a radiologist reads in ten seconds."""
    from anatomy.classify import usual_feeders_for

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
    lines += [f"  {r}" for r in result.reasons[:3]]
    if result.pattern is None:
        lines += [f"  {r}" for r in result.reasons[3:]]
    shown = [f for f in result.findings if f.code not in ("hepatic_trunk_origin",)]
    if shown:
        lines.append("Findings:")
        lines += [f"  - [{f.code}] {f.message}" for f in shown]
    if result.warnings:
        lines.append("Warnings:")
        lines += [f"  ! [{w.code}] {w.message}" for w in result.warnings]
    if result.cannot_exclude or result.unsupplied:
        lines.append("Not yet excluded:")
        for what, why in result.cannot_exclude:
            label = what if what.startswith("Hiatt") else f"Michels {what}"
            lines.append(f"  - {label}: {why}")
        for segment in result.unsupplied:
            where = "; ".join(f"{f.where} ({f.study})" for f in usual_feeders_for(segment)[:2])
            lines.append(
                f"  - segment {segment} has no identified supply"
                + (f": look for {where}" if where else "")
            )
    return "\n".join(lines)
