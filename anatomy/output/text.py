"""The plan as a pre-procedure note: per tumor, the target(s) with their full route, what
to avoid and what to look for; then the recommended positions, the alternatives and what
the study has not shown.
"""

from __future__ import annotations

import textwrap

from anatomy.classification.classify import Classification
from anatomy.output.wording import level_words
from anatomy.planning.feeders import Feeder
from anatomy.planning.plan import Cost, Plan, Target, TumorPlan
from anatomy.planning.positions import Position, short_name
from anatomy.planning.routes import RouteMap
from anatomy.planning.warnings import COLLATERAL_LEAD, PlanWarning
from anatomy.reference.access import access_site
from anatomy.reference.collaterals import ranked_first
from anatomy.segments import describe, segment_names

__all__ = ["plan_text", "summary"]

_WIDTH = 100
_AVOID = ("feeder_is_trunk", "protect_first")
_ROUTE = ("variant_route", "way_in", "name_reread", "superselect")
_ROUTE_HEAD = {
    "variant_route": "Variant",
    "way_in": "Way in",
    "name_reread": "Name",
    "superselect": "Superselect",
}


def plan_text(
    plan: Plan, title: str | None = None, classification: Classification | None = None
) -> str:
    """The note. ``classification`` (from ``classify_tree``) adds the anatomy line."""
    lines: list[str] = []
    lines.append(f"TACE plan: {title}" if title else "TACE plan")
    anatomy = _anatomy(classification)
    lines.append(f"{anatomy}Access: {access_site(plan.access).label}.")
    lines.append(
        "Research and teaching software, not a medical device: verify every route "
        "against the images."
    )
    if not plan.tumors:
        lines.append("")
        lines.append("No tumors in the case: nothing to plan (add `tumors:` to the case file).")
    for item in plan.tumors:
        lines.append("")
        lines += _tumor(plan, item)
    if plan.positions:
        lines.append("")
    for depth, text in summary(plan):
        first = "  " * depth
        rest = first + ("   " if depth == 1 and text[:1].isdigit() else "  ")
        lines += [text] if depth == 0 else _wrap(text, first, rest)
    if plan.warnings:
        lines.append("Study:")
        for warning in plan.warnings:
            lines += _wrap(f"- {warning.message}", "  ", "    ")
    return "\n".join(lines) + "\n"


def summary(plan: Plan, *, prompts: bool = True) -> list[tuple[int, str]]:
    """The plan in brief, as (depth, line): the recommended positions (with what to protect,
    superselect and look for at each, unless ``prompts`` is False), then each alternative
    with its cost and positions. ``plan_text`` and the report both print it."""
    out: list[tuple[int, str]] = []
    if plan.positions:
        out.append((0, f"Recommended: {_cost(plan.cost)}."))
        at_position = _position_prompts(plan)
        for target in plan.positions:
            tip = target.position
            out.append(
                (
                    1,
                    f"{target.number}. {_tip(plan.routes, tip)}, {_level(tip)}, for "
                    f"{', '.join(target.tumors)}: {tip.route_text}",
                )
            )
            if prompts:
                out += _position_lines(at_position.get(target.number, []))
    if plan.alternatives:
        out.append((0, "Alternatives:"))
        for alt in plan.alternatives:
            shown = alt.name.replace("_", " ")
            if alt.same_as is not None:
                out.append(
                    (1, f"{shown}: the same positions as the {alt.same_as.replace('_', ' ')} plan.")
                )
                continue
            out.append((1, f"{shown} ({alt.description}): {_cost(alt.cost)}."))
            for tip in alt.positions:
                extra = (
                    f"; downstream: {', '.join(b.name for b in tip.downstream)}"
                    if tip.downstream
                    else ""
                )
                out.append((2, f"{_tip(plan.routes, tip)}, {_level(tip)}: {tip.route_text}{extra}"))
    return out


def _anatomy(classification: Classification | None) -> str:
    if classification is None:
        return ""
    if classification.michels is not None:
        name = classification.michels_subtype or classification.michels
        hiatt = f", Hiatt {classification.hiatt}" if classification.hiatt else ""
        pattern = f" ({classification.pattern.name})" if classification.pattern else ""
        return f"Anatomy: Michels {name}{pattern}{hiatt}. "
    return f"Anatomy: {classification.outcome} (no Michels type). "


def _tumor(plan: Plan, item: TumorPlan) -> list[str]:
    tumor = item.tumor
    names = segment_names(tumor.segments)
    head = f"Tumor {tumor.id}: segment{'s' if len(names) > 1 else ''} {', '.join(names)}"
    if tumor.diameter_mm is not None:
        head += f", {tumor.diameter_mm:g} mm"
    if tumor.label:
        head += f" ({tumor.label})"
    lines = [head]
    if item.feeders:
        fed = "; ".join(_feeder(plan.routes, f) for f in item.feeders)
        lines += _wrap(f"Fed by: {fed}.", "  ", "    ")
    by_number = {t.number: t for t in plan.positions}
    targets = [by_number[n] for n in item.targets]
    if not targets:
        lines.append("  Target: none can be planned (see below).")
    for target in targets:
        lines += _target(plan.routes, target)
    # Prompts about a position are shown once, under the position (see plan_text).
    warnings = [w for w in item.warnings if w.position is None]
    route = [w for w in warnings if w.code in _ROUTE]
    avoid = [w for w in warnings if w.code in _AVOID]
    look = [w for w in warnings if w.code not in _AVOID + _ROUTE]
    for w in route:
        lines += _wrap(f"{_ROUTE_HEAD[w.code]}: {w.message}", "  ", "    ")
    if avoid:
        lines.append("  Avoid:")
        for w in avoid:
            lines += _wrap(f"- {w.message}", "    ", "      ")
    if look:
        lines.append("  Look for:")
        for w in look:
            lines += _look(w)
    if targets:
        numbers = ", ".join(str(t.number) for t in targets)
        lines.append(f"  What to protect and look for at the tip: see position {numbers} below.")
    return lines


def _position_prompts(plan: Plan) -> dict[int, list[PlanWarning]]:
    """Each position's prompts, once (a position serving two tumors carries them twice)."""
    out: dict[int, list[PlanWarning]] = {}
    seen: set[tuple[int, str]] = set()
    for item in plan.tumors:
        for w in item.warnings:
            if w.position is not None and (w.position, w.message) not in seen:
                seen.add((w.position, w.message))
                out.setdefault(w.position, []).append(w)
    return out


def _position_lines(prompts: list[PlanWarning]) -> list[tuple[int, str]]:
    """What to protect, superselect and look for at one position, as (depth, line)."""
    lines: list[tuple[int, str]] = []
    protect = [w for w in prompts if w.code == "protect_first"]
    if protect:
        lines.append((2, "Protect first:"))
        lines += [(3, f"- {w.message}") for w in protect]
    else:
        lines.append(
            (
                2,
                "Avoid: no non-target branch is drawn downstream of the tip (not drawn is "
                "not absent: see below).",
            )
        )
    lines += [(2, f"{_ROUTE_HEAD[w.code]}: {w.message}") for w in prompts if w.code in _ROUTE]
    shown = [w for w in prompts if w.code == "not_shown"]
    if shown:
        lines.append((2, "Not shown, look for:"))
        lines += [(3, f"- {w.message}") for w in shown]
    return lines


def _feeder(routes: RouteMap, feeder: Feeder) -> str:
    text = _tip_name(routes, feeder.vessel)
    if feeder.segments:
        text += f" — {describe(feeder.segments)}"
    notes = []
    if feeder.observed:
        notes.append("observed; a way in" if feeder.way_in else "observed")
    if feeder.assumed:
        notes.append(f"{describe(feeder.assumed)} assumed")
    if not feeder.reachable:
        notes.append("a trunk: no route")
    return text + (f" ({', '.join(notes)})" if notes else "")


def _target(routes: RouteMap, target: Target) -> list[str]:
    tip = target.position
    lines = _wrap(
        f"Target: position {target.number}, {_tip(routes, tip)}, {_level(tip)}; treats "
        f"{describe(tip.segments)} (non-tumor liver: {describe(tip.non_tumor_segments)})",
        "  ",
        "    ",
    )
    lines += _wrap(f"Route: {tip.route_text}", "    ", "      ")
    passed = f"{len(tip.branch_points)} branch point{'s' if len(tip.branch_points) != 1 else ''}"
    detail = f"{passed} passed"
    if tip.branch_points:
        detail += f" ({', '.join(short_name(routes, n) for n in tip.branch_points)})"
    if tip.narrowest is not None:
        detail += (
            f"; narrowest on the way: {_tip_name(routes, tip.narrowest[0])}, "
            f"{tip.narrowest[1]:g} mm"
        )
    lines += _wrap(detail + ".", "    ", "      ")
    return lines


def _look(warning: PlanWarning) -> list[str]:
    if warning.code != "collateral_check":
        return _wrap(f"- {warning.message}", "    ", "      ")
    head, _, _ = warning.message.partition(COLLATERAL_LEAD)
    lines = _wrap(f"- {head}{COLLATERAL_LEAD}", "    ", "      ")
    for i, check in enumerate(warning.collaterals, start=1):
        row = check.collateral
        seen = f" — seen: {', '.join(check.seen)}" if check.seen else f" — {row.study}"
        first = f" — {ranked_first(row.ranked_by)}" if row.ranked_by else ""
        lines += _wrap(
            f"{i}. {row.name}{seen} [{', '.join(row.sources)}]{first}", "        ", "           "
        )
    return lines


def _tip_name(routes: RouteMap, node: str) -> str:
    shown = short_name(routes, node)
    return node if shown == node else f"{shown} ({node})"


def _tip(routes: RouteMap, tip: Position) -> str:
    return _tip_name(routes, tip.vessel)


def _level(tip: Position) -> str:
    return level_words(tip.level)


def _cost(cost: Cost) -> str:
    count = cost.non_target
    both = (
        f"; {cost.bilobar} injection{'s' if cost.bilobar != 1 else ''} spanning both lobes"
        if cost.bilobar
        else ""
    )
    return (
        f"{cost.positions} position{'s' if cost.positions != 1 else ''}; "
        f"{count} non-target vessel{'s' if count != 1 else ''} at or beyond the tips; "
        f"{cost.non_tumor_segments} non-tumor segment"
        f"{'s' if cost.non_tumor_segments != 1 else ''} treated{both}"
    )


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text,
        _WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [first.rstrip()]
