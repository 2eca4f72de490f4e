"""hepatic's domain library: hepatic arterial anatomy as data, classified and explained.

Read a case (``load_case``), classify it (``classify``: Michels I–X, Hiatt 1–6, or
unclassified with reasons), and serialize the answer (``classification_dict``). Nothing
here knows about HTTP; the API and the CLI are thin adapters over these functions.

>>> from anatomy import parse_case, classify
>>> result = classify(parse_case({"vessels": [
...     {"id": "ao", "kind": "aorta"}, {"id": "ct", "kind": "celiac", "parent": "ao"},
...     {"id": "cha", "kind": "CHA", "parent": "ct"}, {"id": "pha", "kind": "PHA", "parent": "cha"},
...     {"id": "lha", "kind": "LHA", "parent": "pha", "supplies": ["II", "III", "IV"]},
...     {"id": "sma", "kind": "SMA", "parent": "ao"},
...     {"id": "rrha", "kind": "rRHA", "parent": "sma", "supplies": ["V", "VI", "VII", "VIII"]}]}))
>>> result.michels, result.hiatt
('III', 3)
"""

from __future__ import annotations

from anatomy.case import Case, Tumor, Vessel, load_case, parse_case, parse_case_text
from anatomy.classification.classify import Classification, Finding, classify, classify_tree
from anatomy.errors import (
    CaseError,
    FollowUpError,
    HepaticError,
    Problem,
    ReferenceDataError,
    RendererMissingError,
)
from anatomy.output.documents import classification_dict, dumps, versions
from anatomy.tree import build_tree

__all__ = [
    "Case",
    "CaseError",
    "Classification",
    "Finding",
    "FollowUpError",
    "HepaticError",
    "Problem",
    "ReferenceDataError",
    "RendererMissingError",
    "Tumor",
    "Vessel",
    "build_tree",
    "classification_dict",
    "classify",
    "classify_tree",
    "dumps",
    "load_case",
    "parse_case",
    "parse_case_text",
    "versions",
]
