"""Reading case files (``hepatic-case/1``, YAML or JSON) into a validated Case.

The file's schema is checked by pydantic; the tree's shape (ids, parents, one root, no
cycles) and the tumors' references are checked here. A malformed file raises one
CaseError holding every problem, each naming the vessel or field and the fix.

>>> case = parse_case({"vessels": [{"id": "ao", "kind": "aorta"}]})
>>> case.vessels[0].kind
'aorta'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from anatomy.errors import CaseError, Problem, UnreadableError, sort_problems
from anatomy.formats.document import Repeated, locate, read_document, read_file
from anatomy.reference.collaterals import LOCATIONS, Location
from anatomy.reference.vocabulary import TermError, lookup
from anatomy.segments import Segment, looks_like_segment, parse_segment
from anatomy.suggestions import Suggestions
from anatomy.tree import Tree, Vessel, build_tree

__all__ = [
    "CASE_FORMAT",
    "Case",
    "Tumor",
    "Vessel",
    "has_teaching_block",
    "load_case",
    "parse_case",
    "parse_case_text",
]

CASE_FORMAT = "hepatic-case/1"
SLUG = r"^[a-z0-9][a-z0-9._-]{0,63}$"


@dataclass(frozen=True, slots=True)
class Tumor:
    """A lesion to plan for."""

    id: str
    segments: frozenset[Segment]
    diameter_mm: float | None = None
    short_axis_mm: float | None = None
    enhancing_diameter_mm: float | None = None
    feeders: tuple[str, ...] = ()
    label: str | None = None
    # Where on the liver it lies (dome, subcapsular, anterior …; data/collaterals.yaml's
    # location terms): ranks the extrahepatic collaterals to look for.
    location: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Case:
    """A validated case: a rooted tree of vessels and the tumors to treat."""

    vessels: tuple[Vessel, ...]
    tumors: tuple[Tumor, ...] = ()
    id: str | None = None
    title: str | None = None
    modality: str | None = None
    source: str | None = None
    notes: str | None = None
    # Built while validating that the vessels form one rooted tree.
    tree: Tree = field(kw_only=True, compare=False, repr=False)

    @property
    def root(self) -> Vessel:
        return self.tree.root


# -- the file's schema ----------------------------------------------------------------


def _id_text(value: object) -> object:
    # YAML reads `id: 12` as a number; an id written as digits is still that id.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _segment_list(value: object) -> object:
    single = isinstance(value, str | int) and not isinstance(value, bool)
    items = [value] if single else value
    if not isinstance(items, list):
        raise ValueError("must be a list of Couinaud segments, e.g. [V, VI] or [S5, 6]")
    out: set[Segment] = set()
    bad: list[tuple[int | None, str]] = []
    for index, item in enumerate(items):
        try:
            out |= parse_segment(item)
        except ValueError:
            bad.append((None if single else index, str(item)))
    if bad:
        # One problem per segment that is not one, each pointing at its place in the list.
        raise PydanticCustomError(
            "bad_segment",
            "{count} entries are not Couinaud segments",
            {"count": len(bad), "bad": bad},
        )
    return frozenset(out)


Slug = Annotated[str, BeforeValidator(_id_text), Field(pattern=SLUG)]


def _any_case(word: str) -> str:
    return "".join(f"[{c}{c.upper()}]" for c in word)


# A location term as written: any letter case, words joined by spaces, '-' or '_'
# (`bare area`, `Bare-Area`, `bare_area`). The same pattern in Python and in the API's
# JSON Schema (ASCII classes only), so the OpenAPI says exactly what the reader takes.
LOCATION_TEXT = (
    "^ *(?:"
    + "|".join("[ _-]+".join(_any_case(w) for w in term.split("_")) for term in LOCATIONS)
    + ") *$"
)


def _location_list(value: object) -> object:
    # A single term may stand alone.
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ValueError("must be a list of location terms, e.g. [subcapsular, anterior]")
    out = set()
    for item in value:
        if not isinstance(item, str) or not re.fullmatch(LOCATION_TEXT, item):
            raise ValueError(
                f"'{item}' is not a location term; use {', '.join(LOCATIONS)} "
                "(docs/tumor-location.md)"
            )
        out.add(re.sub(r"[ _-]+", "_", item.strip(" ").lower()))
    return frozenset(out)


def _number(value: object) -> object:
    # Strict: YAML `true` or "4 mm" must not pass as a measurement.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("bad number: must be a number in millimetres, e.g. 4.5")
    try:
        return float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise ValueError("bad number: far too large for a measurement in millimetres") from None


# C0 controls, DEL and C1 controls: invisible, and they break what is drawn or printed.
# Text that may run over lines (notes, source, teaching) keeps tab, line feed and return.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(value: object, multiline: bool = False) -> tuple[tuple[str | int, ...], str]:
    """Where in ``value`` (a string, or lists and mappings of them, keys too) the first
    control character stands, and which (``U+0007``); ``((), "")`` when there is none."""
    pattern = _CONTROL_IN_TEXT if multiline else _CONTROL
    stack: list[tuple[tuple[str | int, ...], object]] = [((), value)]
    while stack:  # no recursion: the teaching block is free-form
        where, item = stack.pop()
        if isinstance(item, str):
            # isprintable() is the fast path: no control character in it then.
            found = None if item.isprintable() else pattern.search(item)
            if found is not None:
                return where, f"U+{ord(found.group()):04X}"
        elif isinstance(item, Mapping):
            for key, inner in reversed(list(item.items())):
                stack.append(((*where, str(key)), inner))
                stack.append((where, key))
        elif isinstance(item, list | tuple):
            stack.extend(((*where, i), inner) for i, inner in reversed(list(enumerate(item))))
    return (), ""


_PLAIN = frozenset({int, float, bool})  # values that hold no text


def shown(text: str) -> str:
    """``text`` with each control character written as its escape (``\\x07``), so a
    message that quotes it prints as one plain line."""
    if text.isprintable():
        return text
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class _Model(BaseModel):
    """What every model of the file shares: unknown keys refused, and no control
    character in any string, checked here once for every field."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    multiline: ClassVar[frozenset[str]] = frozenset()  # fields of running text
    nested: ClassVar[frozenset[str]] = frozenset()  # lists of models that check themselves

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_character(cls, value: object, info: ValidationInfo) -> object:
        # Most fields: a number, or one-line text (isprintable() is one pass in C).
        if value is None or type(value) in _PLAIN or (type(value) is str and value.isprintable()):
            return value
        if type(value) is list and all(type(v) is str and v.isprintable() for v in value):
            return value  # segments, locations, feeders
        if info.field_name in cls.nested:
            return value
        where, char = control_character(value, info.field_name in cls.multiline)
        if char:
            raise PydanticCustomError(
                "control_character",
                "holds the control character {char}, which cannot be shown",
                {"char": char, "where": list(where)},
            )
        return value


Positive = Annotated[float, BeforeValidator(_number), Field(gt=0, allow_inf_nan=False)]
NonNegative = Annotated[float, BeforeValidator(_number), Field(ge=0, allow_inf_nan=False)]
Segments = Annotated[frozenset[Segment], BeforeValidator(_segment_list)]
Text = Annotated[str, Field(max_length=2000)]


class VesselIn(_Model):
    """A vessel as written in the file."""

    id: Slug = Field(description="Unique id of the vessel in this case (a slug).")
    kind: Annotated[str, Field(max_length=100)] | None = Field(
        default=None, description="Vocabulary term (RHA, right hepatic artery, rRHA, ...)."
    )
    parent: Slug | None = Field(default=None, description="Id of the vessel it arises from.")
    supplies: Segments = Field(
        default=frozenset(), description="Couinaud segments fed by unlisted branches."
    )
    status: Literal["replaced", "accessory"] | None = None
    label: Annotated[str, Field(max_length=200)] | None = None
    diameter_mm: Positive | None = None
    length_mm: Positive | None = None


class TumorIn(_Model):
    """A tumor as written in the file."""

    id: Slug
    segments: Annotated[frozenset[Segment], BeforeValidator(_segment_list), Field(min_length=1)]
    diameter_mm: Positive | None = None
    short_axis_mm: Positive | None = None
    enhancing_diameter_mm: NonNegative | None = None
    feeders: list[Slug] = []
    label: Annotated[str, Field(max_length=200)] | None = None
    location: Annotated[frozenset[Location], BeforeValidator(_location_list)] = frozenset()


class CaseIn(_Model):
    """The top level of a case file."""

    multiline: ClassVar[frozenset[str]] = frozenset({"source", "notes", "teaching"})
    nested: ClassVar[frozenset[str]] = frozenset({"vessels", "tumors"})
    format: Literal["hepatic-case/1"] | None = None
    id: Slug | None = None
    title: Annotated[str, Field(max_length=200)] | None = None
    modality: Literal["DSA", "CTA", "CBCT", "MRA", "dissection", "other"] | None = None
    source: Text | None = None
    notes: Text | None = None
    vessels: list[VesselIn] = Field(min_length=1)
    tumors: list[TumorIn] = []
    teaching: dict[str, Any] | None = Field(
        default=None,
        description="A teaching case's question, answer, explanation and references. "
        "Classification and planning do not read it; the teaching library checks it when "
        "the file joins the library (docs/data-schemas.md, data/teaching_cases/).",
    )


# -- reading ------------------------------------------------------------------------


def load_case(path: str | Path) -> Case:
    """Read and validate a case file (YAML or JSON, by content)."""
    return parse_case_text(read_file(path), source=str(path))


def has_teaching_block(path: str | Path) -> bool:
    """Whether a readable case file holds a ``teaching`` block (a teaching case's)."""
    try:
        data = read_document(read_file(path))
    except CaseError:  # unreadable, too large, or not YAML/JSON
        return False
    return isinstance(data, Mapping) and "teaching" in data


def parse_case_text(text: str | bytes, source: str | None = None) -> Case:
    """Validate a case given as YAML or JSON text (JSON when it starts with ``{``); each
    problem names its line and column in the text."""
    try:
        data = read_document(text)
    except UnreadableError as exc:
        raise UnreadableError(exc.problems, source=source) from None
    try:
        return parse_case(data, source=source)
    except CaseError as exc:
        raise CaseError(locate(text, exc.problems), source=source) from None


def parse_case(data: object, source: str | None = None) -> Case:
    """Validate an already-parsed case document and return the Case."""
    if not isinstance(data, Mapping):
        raise CaseError(
            [
                Problem(
                    "wrong_type",
                    (),
                    "a case file must be a mapping with a `vessels` list.",
                    "start the file with `vessels:` (see case-format.md)",
                )
            ],
            source=source,
        )
    problems: list[Problem] = repeated_keys(data, ("vessels", "tumors"))
    # "Did you mean" for the first few unknown kinds, parents and feeders only: a file
    # of thousands of them is answered in time linear in its size.
    hints = Suggestions()
    raw_vessels = data.get("vessels")
    tumors: Sequence[TumorIn | None]
    try:
        parsed = CaseIn.model_validate(data)
    except ValidationError as exc:
        problems += _pydantic_problems(exc, raw_vessels)
        parsed = None
        failed = _failed_fields(exc)
        vessels = _salvage_vessels(raw_vessels, problems, failed.get("vessels", {}), hints)
        tumors = _salvage_tumors(data.get("tumors"), failed.get("tumors", {}))
    if parsed is not None:
        vessels = [_vessel(v, problems, i, hints) for i, v in enumerate(parsed.vessels)]
        tumors = parsed.tumors
    tree, tree_problems = build_tree(vessels, hints)
    problems += tree_problems
    ids = {v.id for v in vessels if v is not None}
    problems += _tumor_problems(tumors, ids, hints.over(ids))
    if problems:
        raise CaseError(sort_problems(problems), source=source)
    assert parsed is not None and tree is not None
    return Case(
        vessels=tuple(v for v in vessels if v is not None),
        tumors=tuple(_tumor(t) for t in parsed.tumors),
        id=parsed.id,
        title=parsed.title,
        modality=parsed.modality,
        source=parsed.source,
        notes=parsed.notes,
        tree=tree,
    )


def repeated_keys(data: Mapping[str, Any], lists: Sequence[str]) -> list[Problem]:
    """A problem per key written twice: at the top level, and in each entry of ``lists``."""
    places: list[tuple[tuple[str | int, ...], object]] = [((), data)]
    for name in lists:
        items = data.get(name)
        if isinstance(items, list):
            places += [((name, i), item) for i, item in enumerate(items)]
    out = []
    for loc, item in places:
        if isinstance(item, Repeated):
            index = loc[-1] if loc[:1] == ("vessels",) else None
            vessel = _raw_id(data.get("vessels"), index) if isinstance(index, int) else None
            out += [
                Problem(
                    "duplicate_key",
                    (*loc, key),
                    f"the key '{shown(key)}' is written more than once here; only one value "
                    "can count.",
                    "keep one of them",
                    vessel,
                )
                for key in item.repeated
            ]
    return out


def _vessel(
    item: VesselIn, problems: list[Problem], index: int, hints: Suggestions
) -> Vessel | None:
    kind: str | None = None
    status = item.status
    found = None
    if item.kind is not None:
        try:
            found = lookup(item.kind, suggest=hints.left > 0)
        except TermError as exc:
            if exc.code == "unknown_kind":
                hints.take()
            # Reported, and the vessel still takes part in the tree checks (unknown
            # parent, cycles …) so the file's every problem comes in one answer.
            problems.append(
                Problem(
                    exc.code,
                    ("vessels", index, "kind"),
                    f"{exc}.",
                    _KIND_FIX[exc.code],
                    item.id,
                    suggestions=exc.suggestions,
                )
            )
    if found is not None:
        kind = found.kind.name
        if found.status is not None:
            if status is not None and status != found.status:
                problems.append(
                    Problem(
                        "conflicting_status",
                        ("vessels", index, "status"),
                        f"`kind: {item.kind}` says {found.status} but `status` says {status}.",
                        "make `kind` and `status` agree, or drop one of them",
                        item.id,
                    )
                )
            status = found.status
    return Vessel(
        id=item.id,
        parent=item.parent,
        kind=kind,
        status=status,
        supplies=item.supplies,
        label=item.label,
        written_kind=item.kind,
        diameter_mm=_float(item.diameter_mm),
        length_mm=_float(item.length_mm),
    )


def _float(value: float | int | None) -> float | None:
    return None if value is None else float(value)


def _tumor(item: TumorIn) -> Tumor:
    return Tumor(
        id=item.id,
        segments=item.segments,
        diameter_mm=_float(item.diameter_mm),
        short_axis_mm=_float(item.short_axis_mm),
        enhancing_diameter_mm=_float(item.enhancing_diameter_mm),
        feeders=tuple(item.feeders),
        label=item.label,
        location=frozenset(item.location),
    )


_KIND_FIX = {
    "unknown_kind": "use a vocabulary term (`hepatic vocabulary` lists them; `hepatic vocabulary "
    "TERM` shows how a term is read) or leave `kind` out for an unnamed branch",
    "ambiguous_kind": "write one of the kinds listed, or leave `kind` out and give `supplies`",
    "status_not_applicable": "drop the status word (replaced, accessory), or name the kind meant",
    "side_not_applicable": "drop the side word, or name the kind meant",
    "conflicting_words": "keep one of the contradicting words",
}


def _failed_fields(exc: ValidationError) -> dict[str, dict[int, set[str]]]:
    """Per list (vessels, tumors) and entry, the fields that failed the schema."""
    out: dict[str, dict[int, set[str]]] = {}
    for error in exc.errors(include_input=False, include_url=False, include_context=False):
        loc = error["loc"]
        if len(loc) >= 3 and loc[0] in ("vessels", "tumors") and isinstance(loc[1], int):
            out.setdefault(str(loc[0]), {}).setdefault(loc[1], set()).add(str(loc[2]))
    return out


def _kept(item: Mapping[str, Any], failed: set[str]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in failed}


def _salvage_vessels(
    raw: object, problems: list[Problem], failed: Mapping[int, set[str]], hints: Suggestions
) -> list[Vessel | None]:
    """Every vessel, from the fields that did validate (those that failed are already
    reported), so its kind and its place in the tree are checked in the same answer: a
    kind typo is not hidden behind a bad segment of the same vessel."""
    if not isinstance(raw, list):
        return []
    out: list[Vessel | None] = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            out.append(None)
            continue
        try:
            model = VesselIn.model_validate(_kept(item, failed.get(index, set())))
        except ValidationError:
            # No usable id (or a required field missing): its parent, when usable, still
            # takes part in the tree checks.
            out.append(_bare_vessel(item))
            continue
        out.append(_vessel(model, problems, index, hints))
    return out


def _bare_vessel(item: object) -> Vessel | None:
    if not isinstance(item, Mapping):
        return None
    vid, parent = _id_text(item.get("id")), _id_text(item.get("parent"))
    if not isinstance(vid, str) or not (parent is None or isinstance(parent, str)):
        return None
    # A control character is reported already; the id stays printable in later messages.
    return Vessel(
        id=shown(vid),
        parent=parent if parent is None else shown(parent),
        kind=None,
        status=None,
        supplies=frozenset(),
    )


def _salvage_tumors(raw: object, failed: Mapping[int, set[str]]) -> list[TumorIn | None]:
    """Every tumor in file order, from the fields that did validate (None where too little
    did), so its feeders are still checked and its problems keep its index."""
    if not isinstance(raw, list):
        return []
    out: list[TumorIn | None] = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            out.append(None)
            continue
        kept = _kept(item, failed.get(index, set()))
        if "segments" not in kept:
            kept["segments"] = ["I"]  # reported already; only the feeders are checked here
        try:
            out.append(TumorIn.model_validate(kept))
        except ValidationError:
            out.append(None)
    return out


_FIX = {
    "extra_forbidden": "remove it or check its spelling against case-format.md; "
    "the file has no field for patient identifiers",
    "missing": "add it",
    "string_pattern_mismatch": "use lower-case letters, digits, '.', '_' or '-', "
    "starting with a letter or digit, at most 64 characters",
    "greater_than": "give a positive number in millimetres",
    "greater_than_equal": "give zero or a positive number in millimetres",
    "literal_error": "use one of the values listed",
    "too_short": "add at least one entry",
    "string_too_long": "shorten it",
    "finite_number": "give a finite number in millimetres",
}


def _pydantic_problems(exc: ValidationError, raw_vessels: object) -> list[Problem]:
    out = []
    for error in exc.errors(include_input=False, include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        vessel = None
        if len(loc) >= 2 and loc[0] in ("vessels", "tumors") and isinstance(loc[1], int):
            vessel = _raw_id(raw_vessels, loc[1]) if loc[0] == "vessels" else None
        if kind == "bad_segment":
            out += _segment_problems(loc, error.get("ctx", {}).get("bad", ()), vessel)
            continue
        if kind == "control_character":
            ctx = error.get("ctx", {})
            out.append(
                Problem(
                    "control_character",
                    (*loc, *ctx.get("where", ())),
                    f"the text holds the control character {ctx.get('char')}, which no "
                    "diagram or report can show.",
                    f"remove the control character {ctx.get('char')}",
                    vessel,
                )
            )
            continue
        message = error["msg"].removeprefix("Value error, ").rstrip(".")
        if kind == "extra_forbidden":
            loc = (*loc[:-1], shown(str(loc[-1])))
            message = f"unknown key '{loc[-1]}'"
        elif kind.endswith("_type") or kind in ("int_parsing", "float_parsing"):
            message = f"wrong type: {message.lower()}"
            if loc and loc[-1] in (
                "diameter_mm",
                "length_mm",
                "short_axis_mm",
                "enhancing_diameter_mm",
            ):
                message = "bad number: must be a number in millimetres, e.g. 4.5"
        if loc == ("format",):
            message = f"unknown format; this reader understands `{CASE_FORMAT}`"
        code = (
            "unknown_key"
            if kind == "extra_forbidden"
            else (
                "bad_segment"
                if (loc and loc[-1] in ("supplies", "segments"))
                or (len(loc) > 1 and loc[-2] in ("supplies", "segments"))
                else "invalid_field"
            )
        )
        fix = _FIX.get(kind, "correct the value as described")
        if code == "bad_segment":
            fix = "write segments as I–VIII, IVa, IVb (or 1-8, 4a, S4, segment 4)"
        if loc[:1] == ("tumors",) and loc[-1:] == ("location",):
            code, message = "bad_location", message.removeprefix("Value error, ")
            fix = "use the location terms listed, or leave `location` out"
        if loc == ("format",):
            fix = f"write `format: {CASE_FORMAT}` or leave it out"
        out.append(Problem(code, loc, message + ".", fix, vessel))
    return out


def _segment_problems(
    loc: tuple[str | int, ...], bad: Sequence[tuple[int | None, str]], vessel: str | None
) -> list[Problem]:
    return [
        Problem(
            "bad_segment",
            loc if index is None else (*loc, index),
            f"'{text}' is not a Couinaud segment.",
            "write segments as I–VIII, IVa, IVb (or 1-8, 4a, S4, segment 4)",
            vessel,
            segment=text.strip() if looks_like_segment(text) else None,
        )
        for index, text in bad
    ]


def _raw_id(raw: object, index: int) -> str | None:
    if isinstance(raw, list) and index < len(raw) and isinstance(raw[index], Mapping):
        value = raw[index].get("id")
        return shown(str(value)) if isinstance(value, str | int) else None
    return None


def enhancing_exceeds_diameter(
    loc: tuple[str | int, ...],
    lesion: str,
    diameter_mm: float | None,
    enhancing_diameter_mm: float | None,
) -> Problem | None:
    """A problem when a lesion's enhancing (viable) diameter is larger than the lesion's own
    diameter: the enhancing part lies inside the lesion, so one of the two is mistyped."""
    if diameter_mm is None or enhancing_diameter_mm is None:
        return None
    if enhancing_diameter_mm <= diameter_mm:
        return None
    return Problem(
        "enhancing_exceeds_diameter",
        (*loc, "enhancing_diameter_mm"),
        f"{lesion}: `enhancing_diameter_mm` ({enhancing_diameter_mm:g} mm) is larger than "
        f"`diameter_mm` ({diameter_mm:g} mm); the enhancing (viable) part lies inside the "
        "lesion.",
        "check both measurements: `diameter_mm` is the whole lesion's longest diameter, "
        "`enhancing_diameter_mm` that of its arterially enhancing part, at most as long",
    )


def _tumor_problems(
    tumors: Sequence[TumorIn | None], vessel_ids: set[str], hints: Suggestions
) -> list[Problem]:
    """Repeated tumor ids, enhancing parts larger than their lesions, and feeders that
    are no vessel of the case (with the closest ids, from ``hints`` among them)."""
    problems = []
    seen: set[str] = set()
    for index, tumor in enumerate(tumors):
        if tumor is None:
            continue
        if tumor.id in seen:
            problems.append(
                Problem(
                    "duplicate_id",
                    ("tumors", index, "id"),
                    f"tumor id '{tumor.id}' is used twice.",
                    "give each tumor its own id",
                )
            )
        seen.add(tumor.id)
        larger = enhancing_exceeds_diameter(
            ("tumors", index), f"tumor '{tumor.id}'", tumor.diameter_mm, tumor.enhancing_diameter_mm
        )
        if larger is not None:
            problems.append(larger)
        for j, feeder in enumerate(tumor.feeders):
            if feeder not in vessel_ids:
                close = hints.closest(feeder)
                hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                problems.append(
                    Problem(
                        "unknown_feeder",
                        ("tumors", index, "feeders", j),
                        f"tumor '{tumor.id}' names feeder '{feeder}', which is not a vessel in "
                        f"this case.{hint}",
                        "list the feeding vessel under `vessels` or correct the id",
                        feeder,
                        suggestions=tuple(close),
                    )
                )
    return problems
