"""Figures for class: a case drawn with or without its answer, and cases as documents.

A question that asks students to read the anatomy (name the type, replaced or accessory)
shows a figure whose hepatic arteries and hepatic axis carry no names: ``unlabelled``
renames every vessel (the hepatic ones by letter, ``a``, ``b``, … in pre-order; the others
``n1``, ``n2`` …) and drops the labels, title, notes and source, so neither the drawing nor
its ids give the answer away. Renaming changes nothing the classifier reads, so the
questions' answers are computed on the renamed case and name the letters the figure shows.

>>> from anatomy.reference.patterns import pattern
>>> from anatomy.case import parse_case
>>> hidden = unlabelled(parse_case(pattern("III").example))
>>> sorted(v.id for v in hidden.vessels if v.id.isalpha())
['a', 'b', 'c', 'd', 'e', 'f']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count, product
from string import ascii_lowercase
from typing import Any

from anatomy.case import CASE_FORMAT, Case, Tumor, parse_case
from anatomy.output.diagram import diagram
from anatomy.output.outline import hepatic_vessels, outline
from anatomy.pipeline import answer
from anatomy.segments import segment_names
from anatomy.tree import Vessel

__all__ = ["Figure", "case_document", "figure_dot", "figure_text", "unlabelled"]


@dataclass(frozen=True, slots=True)
class Figure:
    """What a question or a library page shows: a case, and whether the hepatic vessels'
    names are hidden. ``title`` is the figure's caption."""

    case: Case
    hide_hepatic_names: bool = False
    title: str | None = None


def figure_dot(figure: Figure) -> str:
    """The figure as Graphviz DOT text (no tumors: a question names its segment)."""
    result = answer(figure.case).classification
    return diagram(
        result,
        title=figure.title,
        hide_hepatic_names=figure.hide_hepatic_names,
    )


def figure_text(figure: Figure) -> str:
    """The figure for a terminal: the tree as indented text."""
    result = answer(figure.case).classification
    return outline(result, hide_hepatic_names=figure.hide_hepatic_names)


def unlabelled(case: Case) -> Case:
    """The case renamed so that nothing but the tree's shape, its trunks' names and the
    segments tell the hepatic arteries apart (see the module docstring). Tumors are kept
    under their own ids."""
    result = answer(case).classification
    hepatic = hepatic_vessels(result)
    letters, numbers = _letters(), count(1)
    ids = {
        node: next(letters) if node in hepatic else f"n{next(numbers)}"
        for node in case.tree.preorder
    }
    vessels = [
        _vessel_document(case.tree.vessel[node], ids, keep_label=False)
        for node in case.tree.preorder
    ]
    tumors = [_tumor_document(t, ids, keep_label=False) for t in case.tumors]
    return parse_case({"format": CASE_FORMAT, "vessels": vessels, "tumors": tumors})


def case_document(case: Case) -> dict[str, Any]:
    """The case as a ``hepatic-case/1`` document (kinds as written, vessels in its order)."""
    head = {
        "format": CASE_FORMAT,
        "id": case.id,
        "title": case.title,
        "modality": case.modality,
        "source": case.source,
        "notes": case.notes,
    }
    ids = {node: node for node in case.tree.preorder}
    return {
        **{key: value for key, value in head.items() if value is not None},
        "vessels": [_vessel_document(v, ids, keep_label=True) for v in case.vessels],
        "tumors": [_tumor_document(t, ids, keep_label=True) for t in case.tumors],
    }


def _letters() -> Iterator[str]:
    """a … z, then aa, ab, …: as many slugs as a tree needs."""
    for width in count(1):
        for letters in product(ascii_lowercase, repeat=width):
            yield "".join(letters)


def _vessel_document(vessel: Vessel, ids: dict[str, str], *, keep_label: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ids[vessel.id]}
    if vessel.parent is not None:
        out["parent"] = ids[vessel.parent]
    if vessel.kind is not None:
        out["kind"] = vessel.written_kind if keep_label and vessel.written_kind else vessel.kind
    if vessel.status is not None:
        out["status"] = vessel.status
    if vessel.supplies:
        out["supplies"] = segment_names(vessel.supplies)
    if keep_label and vessel.label:
        out["label"] = vessel.label
    for key in ("diameter_mm", "length_mm"):
        value = getattr(vessel, key)
        if value is not None:
            out[key] = value
    return out


def _tumor_document(tumor: Tumor, ids: dict[str, str], *, keep_label: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": tumor.id, "segments": segment_names(tumor.segments)}
    for key in ("diameter_mm", "short_axis_mm", "enhancing_diameter_mm"):
        value = getattr(tumor, key)
        if value is not None:
            out[key] = value
    if keep_label and tumor.label:
        out["label"] = tumor.label
    if tumor.feeders:
        out["feeders"] = [ids[f] for f in tumor.feeders]
    return out
