"""hepatic's domain library: hepatic arterial anatomy as data, classified, explained, planned.

The spine, one typed stage at a time::

    Case ─► Tree ─► Anatomy ─► Classification | Plan ─► documents, text, diagrams, reports

Read a case (``load_case`` a file, ``parse_case`` a parsed document), annotate its tree
once (``annotate``), then ``classify`` the anatomy (Michels I–X, Hiatt 1–6, or unclassified
with reasons) and ``plan`` TACE for its tumors. ``answer`` runs the stages in one call.
A ``networkx.DiGraph`` is the interchange at the edges: ``from_networkx`` reads one whose
nodes carry the case's vessel fields, ``to_networkx`` gives a case back as one.
``load_input`` reads the other formats too (networkx node-link JSON, GraphML, SWC with a
sidecar). Nothing here knows about HTTP; the API and the CLI are thin adapters over these
functions.

>>> from anatomy import annotate, classify, parse_case
>>> case = parse_case({"vessels": [
...     {"id": "ao", "kind": "aorta"}, {"id": "ct", "kind": "celiac", "parent": "ao"},
...     {"id": "cha", "kind": "CHA", "parent": "ct"}, {"id": "pha", "kind": "PHA", "parent": "cha"},
...     {"id": "lha", "kind": "LHA", "parent": "pha", "supplies": ["II", "III", "IV"]},
...     {"id": "sma", "kind": "SMA", "parent": "ao"},
...     {"id": "rrha", "kind": "rRHA", "parent": "sma", "supplies": ["V", "VI", "VII", "VIII"]}]})
>>> result = classify(annotate(case.tree))
>>> result.michels, result.hiatt
('III', 3)
"""

from __future__ import annotations

from anatomy.case import Case, Tumor, load_case, parse_case, parse_case_text
from anatomy.classification.annotate import Anatomy, annotate
from anatomy.classification.classify import Classification, classify
from anatomy.classification.findings import Finding
from anatomy.errors import (
    CaseError,
    FollowUpError,
    HepaticError,
    Problem,
    ReferenceDataError,
    RenderCancelledError,
    RendererBusyError,
    RendererMissingError,
    RenderError,
    RenderTimeoutError,
    TooLargeToDrawError,
    UnreadableError,
)
from anatomy.formats.inputs import load_input, parse_input
from anatomy.formats.networkx import from_networkx, to_networkx
from anatomy.output.documents import classification_document, dumps, plan_document, versions
from anatomy.pipeline import Answer, answer
from anatomy.planning.plan import Plan, plan
from anatomy.tree import Tree, Vessel

__all__ = [
    "Anatomy",
    "Answer",
    "Case",
    "CaseError",
    "Classification",
    "Finding",
    "FollowUpError",
    "HepaticError",
    "Plan",
    "Problem",
    "ReferenceDataError",
    "RenderCancelledError",
    "RenderError",
    "RenderTimeoutError",
    "RendererBusyError",
    "RendererMissingError",
    "TooLargeToDrawError",
    "Tree",
    "Tumor",
    "UnreadableError",
    "Vessel",
    "annotate",
    "answer",
    "classification_document",
    "classify",
    "dumps",
    "from_networkx",
    "load_case",
    "load_input",
    "parse_case",
    "parse_case_text",
    "parse_input",
    "plan",
    "plan_document",
    "to_networkx",
    "versions",
]
