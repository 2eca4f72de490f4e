"""Hypothesis strategies for case files (issue 16): valid ones (random trees of every
vessel kind, every segment spelling the reader takes, tumors) and invalid ones (garbage,
huge numbers, control characters, repeated keys, unknown parents and kinds, wrong
types), as documents and as the YAML or JSON text a client sends."""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import strategies as st

from anatomy.reference.access import access_ids
from anatomy.reference.collaterals import LOCATIONS
from anatomy.reference.vocabulary import TermError, all_kinds, lookup
from anatomy.segments import parse_segment


def _reads(term: str) -> bool:
    try:
        lookup(term, suggest=False)
    except TermError:
        return False
    return True


# Every way the vocabulary writes a kind that reads back as a kind on its own.
KIND_SPELLINGS: tuple[str, ...] = tuple(
    sorted(
        {
            spelling
            for kind in all_kinds()
            for spelling in (kind.name, kind.label, *kind.abbreviations, *kind.synonyms)
            if _reads(spelling)
        }
    )
)
_NUMBERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8}
# Every segment spelling the reader takes: Roman and Arabic, S and segment prefixes, any
# letter case, IV's halves; the Arabic ones also as YAML/JSON integers.
SEGMENT_SPELLINGS: tuple[str | int, ...] = tuple(
    spelling
    for roman, number in _NUMBERS.items()
    for half in (("", "a", "b") if roman == "IV" else ("",))
    for spelling in (
        roman + half,
        (roman + half).lower(),
        f"{number}{half}",
        f"S{number}{half}",
        f"s {number}{half}",
        f"segment {number}{half}",
        f"Segment {roman}{half}",
        *((number,) if not half else ()),
    )
    if parse_segment(spelling)
)
# The location terms, in each way the reader takes them: any case, '-', '_' or spaces.
LOCATION_SPELLINGS: tuple[str, ...] = tuple(
    spelling
    for term in LOCATIONS
    for spelling in (term, term.replace("_", " ").upper(), term.replace("_", "-").title())
)

# Text people write in titles and labels: any printable character, none of the controls.
printable = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30
)
slugs = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,11}", fullmatch=True)
lengths = st.floats(min_value=0.1, max_value=300, allow_nan=False, allow_infinity=False)


@st.composite
def case_documents(draw: st.DrawFn, max_vessels: int = 25) -> dict[str, Any]:
    """A valid case document: an aorta and a random tree below it, every field used."""
    ids = draw(
        st.lists(slugs, min_size=1, max_size=max_vessels, unique=True).filter(
            lambda found: "ao-root" not in found
        )
    )
    vessels: list[dict[str, Any]] = [{"id": "ao-root", "kind": "aorta"}]
    for index, vid in enumerate(ids):
        vessel: dict[str, Any] = {
            "id": vid,
            "parent": draw(st.sampled_from(["ao-root", *ids[:index]])),
        }
        if draw(st.booleans()):
            vessel["kind"] = draw(st.sampled_from(KIND_SPELLINGS))
        if draw(st.booleans()):
            vessel["supplies"] = draw(st.lists(st.sampled_from(SEGMENT_SPELLINGS), max_size=3))
        if draw(st.integers(0, 4)) == 0:
            vessel["label"] = draw(printable)
        if draw(st.integers(0, 4)) == 0:
            vessel["diameter_mm"] = draw(lengths)
        vessels.append(vessel)
    document: dict[str, Any] = {
        "format": "hepatic-case/1",
        "vessels": draw(st.permutations(vessels)),
    }
    if draw(st.booleans()):
        document["title"] = draw(printable)
    if draw(st.booleans()):
        document["notes"] = "\n".join(draw(st.lists(printable, max_size=3)))
    tumors = []
    for number in range(draw(st.integers(0, 3))):
        tumor: dict[str, Any] = {
            "id": f"t{number}",
            "segments": draw(st.lists(st.sampled_from(SEGMENT_SPELLINGS), min_size=1, max_size=3)),
        }
        if draw(st.booleans()):
            tumor["feeders"] = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
        if draw(st.booleans()):
            tumor["diameter_mm"] = draw(lengths)
        if draw(st.booleans()):
            tumor["location"] = draw(st.lists(st.sampled_from(LOCATION_SPELLINGS), max_size=2))
        tumors.append(tumor)
    if tumors:
        document["tumors"] = tumors
    return document


accesses = st.sampled_from(access_ids())

# Any JSON value, nested a little.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
controls = st.sampled_from([chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))])
_FIELDS = ("id", "kind", "parent", "supplies", "status", "label", "diameter_mm", "length_mm")


@st.composite
def broken_documents(draw: st.DrawFn) -> Any:
    """A case document with something wrong: one of the ways a client gets it wrong, on a
    valid document, or any JSON value at all."""
    how = draw(
        st.sampled_from(
            ["garbage", "huge", "control", "parent", "kind", "feeder", "type", "missing", "top"]
        )
    )
    if how == "garbage":
        return draw(json_values)
    document = draw(case_documents(max_vessels=8))
    vessels = document["vessels"]
    vessel = draw(st.sampled_from(vessels))
    if how == "huge":
        field = draw(st.sampled_from(["diameter_mm", "length_mm"]))
        vessel[field] = draw(st.sampled_from([10**400, -(10**400), 1e308 * 10, -1, 0, 2**64]))
    elif how == "control":
        field = draw(st.sampled_from(["label", "kind", "id", "parent"]))
        text = draw(printable)
        at = draw(st.integers(0, len(text)))
        vessel[field] = text[:at] + draw(controls) + text[at:]
    elif how == "parent":
        vessel["parent"] = draw(slugs) + "-gone"
    elif how == "kind":
        vessel["kind"] = draw(printable)
    elif how == "feeder":
        document["tumors"] = [{"id": "t", "segments": [5], "feeders": [draw(slugs) + "-gone"]}]
    elif how == "type":
        vessel[draw(st.sampled_from(_FIELDS))] = draw(json_values)
    elif how == "missing":
        vessel.pop("id")
    else:
        document[draw(st.text(max_size=10))] = draw(json_values)
    return document


def as_text(document: Any, syntax: str) -> str:
    """The document as a client would send it: JSON, or block YAML."""
    if syntax == "json":
        return json.dumps(document, allow_nan=False)
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@st.composite
def repeated_key_texts(draw: st.DrawFn) -> str:
    """JSON text of a valid document with one key written twice: at the top (a second
    ``vessels``) or in a vessel (``kind`` twice)."""
    document = draw(case_documents(max_vessels=6))
    if draw(st.booleans()):
        return '{"vessels": [], ' + json.dumps(document)[1:]
    index = draw(st.integers(0, len(document["vessels"]) - 1))
    entries = [json.dumps(v) for v in document["vessels"]]
    entries[index] = entries[index][:-1] + ', "kind": "RHA", "kind": "LHA"}'
    top = {k: v for k, v in document.items() if k != "vessels"}
    return json.dumps(top)[:-1] + (", " if top else "") + '"vessels": [' + ", ".join(entries) + "]}"


# Text that is no case at all: random characters, bytes, or text cut short.
garbage_texts = st.one_of(
    st.text(max_size=200),
    st.binary(max_size=200),
    st.builds(
        lambda text, cut: text[:cut],
        case_documents(max_vessels=4).map(lambda d: json.dumps(d)),
        st.integers(0, 200),
    ),
)
