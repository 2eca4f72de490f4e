"""Generated cases: anatomies sampled from a published prevalence table, with noise, each
with the answer it must get.

Case ``i`` of a population is drawn from its own random stream (the table, the seed and
``i``), so it is the same whatever the population's size: a row of the table (by its
count or percent, data/prevalence/), a pattern of that row (``within``: uniformly, or in
proportion to another table), and that pattern's canonical example tree
(data/michels_variants/; never a tree written in Python). Noise then rewrites the tree,
each kind seeded and each keeping the true answer:

- ``missing_run``: no SMA or no LGA in the study (the trunk and everything below it);
- ``partial_territory``: an artery supplies some of its segments through unnamed children;
- ``extrahepatic``: non-target branches where they usually arise (data/generator.yaml);
- ``pass_through`` and ``twig``: unnamed branches above a vessel, or below it with no
  territory;
- ``spelling``: kinds written as the vocabulary's names, abbreviations and synonyms, in
  any case and with status words (``rRHA``) or a ``status:`` field;
- ``rename`` and ``shuffle``: fresh vessel ids, vessels in another order.

The expected answer is computed from the rules of DESIGN.md, never by running the
classifier (so a test against it can fail). A full study answers the pattern's own type.
A study missing a run answers the Michels type whose rule equals what the rest of the
study shows (provisional), or ``incomplete`` when a side is left without supply; the
segments the missing run took; and the types it could still show: those whose rule adds
only arteries or a hepatic trunk from the missing trunk to what the study shows, with
replaced arteries only on a side the study leaves without supply (DESIGN.md,
Completeness). Missing runs are drawn for Michels types only: the patterns outside
Michels give conditions, not a whole signature, so their partial answer is not derived.

>>> first = next(generate("michels-1966", 1, seed=7, noise=NO_NOISE))
>>> first.expected["outcome"], first.expected["cannot_exclude"]
('classified', [])
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from anatomy.reference.noise import (
    NOISE_KINDS,
    Rate,
    branches,
    default_rates,
    left_out,
    missing_runs,
)
from anatomy.reference.patterns import Pattern, SideRule, michels_patterns, pattern
from anatomy.reference.prevalence import Row, Table, table
from anatomy.reference.vocabulary import Kind, lookup
from anatomy.segments import ALL_SEGMENTS, Segment, parse_segment, segment_names

__all__ = [
    "NO_NOISE",
    "Generated",
    "check",
    "check_all",
    "generate",
    "generated_case",
    "row_choices",
]

Document = dict[str, Any]

NO_NOISE: Mapping[str, Rate] = {name: Rate(per_case=0.0) for name in NOISE_KINDS}


@dataclass(frozen=True, slots=True)
class Generated:
    """A generated case document and the answer it must get."""

    case: Document
    expected: Document


def generate(
    table_id: str,
    count: int,
    *,
    seed: int = 0,
    noise: Mapping[str, Rate] | None = None,
    start: int = 0,
    tumors: bool = False,
) -> Iterator[Generated]:
    """Cases ``start`` … ``start + count - 1`` of the population drawn from a table.

    ``noise`` maps each kind of noise to its rate (default: data/generator.yaml; pass
    ``NO_NOISE`` for the canonical trees). ``tumors`` adds one or two tumors in supplied
    segments, for plans.
    """
    rates = default_rates() if noise is None else noise
    for index in range(start, start + count):
        yield generated_case(table_id, index, seed=seed, noise=rates, tumors=tumors)


def row_choices(source: Table) -> tuple[tuple[Row, Pattern, float], ...]:
    """Every (row, pattern, probability) a case of this table is drawn from."""
    return _choices(source.id)


@cache
def _choices(table_id: str) -> tuple[tuple[Row, Pattern, float], ...]:
    source = table(table_id)
    skipped = left_out()
    out = []
    for row in source.rows:
        share = source.share(row)
        usable = [p for p in row.patterns if p not in skipped]
        if share == 0 or not usable:
            continue
        weights = [_within(row, p) for p in usable]
        total = sum(weights)
        out += [(row, pattern(p), share * w / total) for p, w in zip(usable, weights, strict=True)]
    return tuple(out)


def _within(row: Row, pattern_id: str) -> float:
    """A pattern's weight inside its row: equal, or its share in the table ``within``."""
    if row.within in (None, "uniform"):
        return 1.0
    other = table(row.within)
    return next(other.share(r) for r in other.rows if pattern_id in r.patterns)


def generated_case(
    table_id: str,
    index: int,
    *,
    seed: int = 0,
    noise: Mapping[str, Rate] | None = None,
    tumors: bool = False,
) -> Generated:
    """Case ``index`` (0-based) of the population drawn from ``table_id`` with ``seed``."""
    rates = default_rates() if noise is None else noise
    rng = random.Random(f"hepatic-generator/1:{table_id}:{seed}:{index}")
    choices = _choices(table_id)
    row, chosen, _ = rng.choices(choices, weights=[c[2] for c in choices])[0]
    _check_explicit(chosen.id)
    vessels = [_copy(v) for v in chosen.example["vessels"]]
    applied: list[str] = []

    def drawn(kind: str) -> Rate | None:
        rate = rates.get(kind)
        if rate is None or rng.random() >= rate.per_case:
            return None
        applied.append(kind)
        return rate

    missing = None
    if chosen.rule is not None and drawn("missing_run"):
        missing = rng.choice(missing_runs())
        vessels = _without_run(vessels, missing)
    expected = _expected(chosen, missing, vessels)
    if rate := drawn("partial_territory"):
        _partial_territories(rng, vessels, rate.per_vessel)
    if rate := drawn("extrahepatic"):
        _extrahepatic(rng, vessels, rate.per_vessel)
    if rate := drawn("twig"):
        _twigs(rng, vessels, rate.per_vessel)
    if rate := drawn("pass_through"):
        _pass_through(rng, vessels, rate.per_vessel)
    if rate := drawn("spelling"):
        _spellings(rng, vessels, rate.per_vessel)
    tumor_list = _tumors(rng, vessels) if tumors else []
    if drawn("rename"):
        _rename(rng, vessels, tumor_list)
    if drawn("shuffle"):
        rng.shuffle(vessels)
    case_id = f"gen.{table_id}.{seed}.{index + 1:07d}"
    case: Document = {
        "format": "hepatic-case/1",
        "id": case_id,
        "title": f"Generated case {index + 1} ({table_id}, seed {seed})",
        "modality": chosen.example.get("modality", "other"),
        "vessels": vessels,
    }
    if tumor_list:
        case["tumors"] = tumor_list
    return Generated(
        case,
        {
            "id": case_id,
            "table": table_id,
            "row": row.id,
            "pattern": chosen.id,
            "noise": applied,
            "missing_run": missing,
            **expected,
        },
    )


# -- the expected answer ------------------------------------------------------------------


def _kind_of(vessel: Mapping[str, Any]) -> Kind | None:
    written = vessel.get("kind")
    return None if written is None else _read_kind(str(written))


@cache
def _read_kind(written: str) -> Kind:
    return lookup(written).kind


@cache
def _check_explicit(pattern_id: str) -> None:
    """The expected unsupplied segments are read from ``supplies``: a hepatic vessel whose
    territory would be assumed from its name would make them a guess."""
    chosen = pattern(pattern_id)
    vessels = chosen.example["vessels"]
    parents = {v["id"]: v.get("parent") for v in vessels}
    below: set[str] = set()
    for item in vessels:
        node: Any = item["id"] if item.get("supplies") else None
        while node is not None and node not in below:
            below.add(node)
            node = parents.get(node)
    for item in vessels:
        found = _kind_of(item)
        if found is not None and found.is_hepatic and item["id"] not in below:
            raise ValueError(
                f"pattern {chosen.id}: example vessel '{item['id']}' has no stated territory; "
                "generated cases need every hepatic vessel's segments written out"
            )


def _without_run(vessels: list[Document], trunk: str) -> list[Document]:
    """The study without the run of ``trunk``: the trunk and everything below it."""
    gone = {v["id"] for v in vessels if (k := _kind_of(v)) is not None and k.name == trunk}
    changed = True
    while changed:
        changed = False
        for item in vessels:
            if item.get("parent") in gone and item["id"] not in gone:
                gone.add(item["id"])
                changed = True
    return [v for v in vessels if v["id"] not in gone]


def _supplied(vessels: Sequence[Mapping[str, Any]]) -> frozenset[Segment]:
    out: set[Segment] = set()
    for item in vessels:
        for name in item.get("supplies", ()):
            out |= parse_segment(name)
    return frozenset(out)


SideState = tuple[bool, frozenset[str], frozenset[str]]


def _expected(chosen: Pattern, missing: str | None, vessels: Sequence[Document]) -> Document:
    unsupplied = segment_names(ALL_SEGMENTS - _supplied(vessels))
    if chosen.rule is None:  # outside Michels, always a full study
        return {
            "outcome": "unclassified",
            "michels": None,
            "michels_subtype": None,
            "hiatt": chosen.hiatt,
            "named_variants": [chosen.id],
            "hepatic_trunk_from": None,
            "sides": None,
            "unsupplied_segments": unsupplied,
            "cannot_exclude": [],
        }
    gone = frozenset({missing} if missing else ())
    rule = chosen.rule
    trunk = None if rule.hepatic_trunk_from in gone else rule.hepatic_trunk_from

    def seen(side: SideRule) -> SideState:
        return (
            side.normal and trunk is not None,
            side.replaced_from - gone,
            side.accessory_from - gone,
        )

    right, left = seen(rule.right), seen(rule.left)
    match = next((p for p in michels_patterns() if _shows(p, trunk, right, left)), None)
    if match is None and not (
        not (right[0] or right[1]) or not (left[0] or left[1]) or trunk is None
    ):
        raise AssertionError(f"{chosen.id} without {missing}: no type, yet every side supplied")
    is_viii = match is not None and match.michels != match.type
    return {
        "outcome": "classified" if match else "incomplete",
        "michels": match.michels if match else None,
        "michels_subtype": match.type if match and is_viii else None,
        "hiatt": match.hiatt if match else None,
        "named_variants": [],
        "hepatic_trunk_from": trunk,
        "sides": {"right": _side_dict(right), "left": _side_dict(left)},
        "unsupplied_segments": unsupplied,
        "cannot_exclude": [
            p.type
            for p in michels_patterns()
            if p is not match and p.type and _still_open(p, trunk, right, left, gone)
        ],
    }


def _side_dict(state: SideState) -> Document:
    return {
        "normal": state[0],
        "replaced_from": sorted(state[1]),
        "accessory_from": sorted(state[2]),
    }


def _shows(item: Pattern, trunk: str | None, right: SideState, left: SideState) -> bool:
    """Whether a Michels type's rule equals what the study shows."""
    rule = item.rule
    assert rule is not None
    return (
        rule.hepatic_trunk_from == trunk
        and (rule.right.normal, rule.right.replaced_from, rule.right.accessory_from) == right
        and (rule.left.normal, rule.left.replaced_from, rule.left.accessory_from) == left
    )


def _still_open(
    item: Pattern, trunk: str | None, right: SideState, left: SideState, gone: frozenset[str]
) -> bool:
    """Whether the missing runs could still show this type: its rule is what the study
    shows plus arteries (or the hepatic trunk) from the missing trunks only, and a
    replaced artery only where the study shows no supply of that side."""
    rule = item.rule
    assert rule is not None
    if trunk is None:
        if rule.hepatic_trunk_from not in gone:
            return False
    elif rule.hepatic_trunk_from != trunk:
        return False
    for shown, want in ((right, rule.right), (left, rule.left)):
        normal, replaced, accessory = shown
        if trunk is not None and want.normal != normal:
            return False
        if not (replaced <= want.replaced_from and accessory <= want.accessory_from):
            return False
        if not ((want.replaced_from - replaced) | (want.accessory_from - accessory)) <= gone:
            return False
        if want.replaced_from - replaced and (normal or replaced):
            return False
    return True


# -- noise ------------------------------------------------------------------------------


def _copy(vessel: Mapping[str, Any]) -> Document:
    """A vessel of an example, to rewrite (its values are text or lists of text)."""
    return {k: list(v) if isinstance(v, list) else v for k, v in vessel.items()}


def _fresh(vessels: Sequence[Mapping[str, Any]], stem: str) -> str:
    """An id not yet used: ``stem-1``, ``stem-2`` … (stems are ids plus a suffix, so a
    clash is rare and the scan short)."""
    n = 1
    while any(v["id"] == f"{stem}-{n}" for v in vessels):
        n += 1
    return f"{stem}-{n}"


def _partial_territories(rng: random.Random, vessels: list[Document], chance: float) -> None:
    """Some of a vessel's segments supplied through new unnamed children instead."""
    for item in list(vessels):
        units = sorted(_supplied([item]), key=list(Segment).index)
        if len(units) < 2 or rng.random() >= chance:
            continue
        rng.shuffle(units)
        cut = rng.randint(1, len(units))  # the vessel may keep none of them
        moved, kept = units[:cut], units[cut:]
        parts = rng.randint(1, len(moved))
        groups = [moved[i::parts] for i in range(parts)]
        if kept:
            item["supplies"] = segment_names(kept)
        else:
            del item["supplies"]
        for group in groups:
            vessels.append(
                {
                    "id": _fresh(vessels, f"{item['id']}-br"),
                    "parent": item["id"],
                    "supplies": segment_names(group),
                }
            )


def _extrahepatic(rng: random.Random, vessels: list[Document], chance: float) -> None:
    """Non-target branches under vessels of the kinds they usually arise from."""
    present = {k.name for v in vessels if (k := _kind_of(v)) is not None}
    for branch in branches():
        if branch.kind in present:
            continue
        parents = [
            v for v in vessels if (k := _kind_of(v)) is not None and k.name in branch.parents
        ]
        if parents and rng.random() < chance:
            parent = rng.choice(parents)
            vessels.append(
                {
                    "id": _fresh(vessels, branch.kind.replace("_", "-")),
                    "kind": branch.kind,
                    "parent": parent["id"],
                }
            )
            present.add(branch.kind)


def _twigs(rng: random.Random, vessels: list[Document], chance: float) -> None:
    """Unnamed side twigs with no territory."""
    for item in list(vessels):
        if rng.random() < chance:
            vessels.append({"id": _fresh(vessels, f"{item['id']}-tw"), "parent": item["id"]})


def _pass_through(rng: random.Random, vessels: list[Document], chance: float) -> None:
    """Unnamed pass-through branches inserted above vessels."""
    for item in list(vessels):
        if "parent" in item and rng.random() < chance:
            link = {"id": _fresh(vessels, f"{item['id']}-via"), "parent": item["parent"]}
            item["parent"] = link["id"]
            vessels.append(link)


def _spellings(rng: random.Random, vessels: list[Document], chance: float) -> None:
    """Kinds written another way the vocabulary reads as the same kind and status."""
    for item in vessels:
        written = item.get("kind")
        if written is None or rng.random() >= chance:
            continue
        found = lookup(str(written))
        status = item.get("status") or found.status
        spelling, in_words = _spelling(rng, found.kind, status)
        check = lookup(spelling)
        if check.kind.name != found.kind.name or check.status not in (None, status):
            continue  # a spelling the vocabulary reads otherwise is not used
        item["kind"] = spelling
        if status is not None and not in_words:
            item["status"] = status
        elif "status" in item and check.status == status:
            del item["status"]


def _spelling(rng: random.Random, entry: Kind, status: str | None) -> tuple[str, bool]:
    """One way to write a kind (and its status): the term, and whether it holds the status."""
    terms = _terms(entry)
    term = rng.choice(terms)
    if status is not None and entry.status_words:
        abbreviations = [a for a in entry.abbreviations if len(a) <= 4]
        how = rng.randrange(3)
        if how == 0 and abbreviations:
            return f"{status[0]}{rng.choice(abbreviations)}", True
        if how == 1:
            return f"{_cased(rng, status)} {_styled(rng, term)}", True
    return _styled(rng, term), False


@cache
def _terms(entry: Kind) -> list[str]:
    return [entry.name, entry.label, *entry.abbreviations, *entry.synonyms]


def _styled(rng: random.Random, term: str) -> str:
    """The term in another case, with spaces, underscores or hyphens between words."""
    sep = rng.choice((" ", "_", "-"))
    return _cased(rng, sep.join(term.replace("_", " ").split()))


def _cased(rng: random.Random, text: str) -> str:
    return rng.choice((text, text.lower(), text.upper(), text.title()))


def _tumors(rng: random.Random, vessels: Sequence[Document]) -> list[Document]:
    supplied = segment_names(_supplied(vessels))
    if not supplied:
        return []
    count = min(len(supplied), rng.randint(1, 2))
    return [
        {"id": f"t{n + 1}", "segments": [segment], "diameter_mm": rng.randint(10, 90)}
        for n, segment in enumerate(rng.sample(supplied, count))
    ]


_SLUG = string.ascii_lowercase + string.digits


def _rename(rng: random.Random, vessels: list[Document], tumors: list[Document]) -> None:
    """Every vessel id replaced by a fresh random slug (parents and feeders follow)."""
    new: dict[str, str] = {}
    used: set[str] = set()
    for item in vessels:
        fresh = ""
        while not fresh or fresh in used:
            fresh = "".join(rng.choices(_SLUG, k=rng.randint(2, 8)))
        used.add(fresh)
        new[item["id"]] = fresh
    for item in vessels:
        item["id"] = new[item["id"]]
        if "parent" in item:
            item["parent"] = new[item["parent"]]
    for tumor in tumors:
        if "feeders" in tumor:
            tumor["feeders"] = [new[f] for f in tumor["feeders"]]


# -- checking an answer against the expected one --------------------------------------------


def check(
    record: Mapping[str, Any], expected: Mapping[str, Any], *, strict_completeness: bool = False
) -> list[str]:
    """What differs between a batch record (``anatomy.batch``) and its expected answer;
    empty when they agree.

    The types the study cannot exclude must include the expected ones; with
    ``strict_completeness`` they must be exactly those ("and only that", DESIGN.md).
    """
    if record.get("status") != "ok":
        codes = ", ".join(p.get("code", "?") for p in record.get("problems", ()))
        return [f"no answer: {codes or 'unknown problem'}"]
    got: Mapping[str, Any] = record["classification"]
    out = []
    for key in ("outcome", "michels", "michels_subtype", "hiatt"):
        if got.get(key) != expected[key]:
            out.append(f"{key}: expected {expected[key]!r}, got {got.get(key)!r}")
    variants = sorted(v["id"] for v in got.get("named_variants", ()))
    if variants != sorted(expected["named_variants"]):
        out.append(f"named_variants: expected {expected['named_variants']}, got {variants}")
    if expected.get("sides") is not None:
        trunk = got.get("hepatic_trunk", {}).get("from")
        if trunk != expected["hepatic_trunk_from"]:
            out.append(
                f"hepatic trunk from: expected {expected['hepatic_trunk_from']!r}, got {trunk!r}"
            )
        if got.get("sides") != expected["sides"]:
            out.append(f"sides: expected {expected['sides']}, got {got.get('sides')}")
    completeness = got.get("completeness", {})
    unsupplied = [s["segment"] for s in completeness.get("unsupplied_segments", ())]
    if unsupplied != expected["unsupplied_segments"]:
        out.append(
            f"unsupplied segments: expected {expected['unsupplied_segments']}, got {unsupplied}"
        )
    listed = {c["type"] for c in completeness.get("cannot_exclude", ())}
    want = set(expected["cannot_exclude"])
    if not want <= listed:
        out.append(f"cannot exclude: {sorted(want - listed)} not listed")
    if strict_completeness and listed - want:
        out.append(f"cannot exclude: {sorted(listed - want)} listed, but the study excludes them")
    return out


def check_all(
    records: Iterable[Mapping[str, Any]],
    answers: Iterable[Mapping[str, Any]],
    *,
    strict_completeness: bool = False,
) -> tuple[int, list[tuple[str, list[str]]]]:
    """Records and expected answers side by side, in the same order (a batch writes its
    records in input order): how many agree, and each other case's id with what differs."""
    agree = 0
    differ: list[tuple[str, list[str]]] = []
    records_left, answers_left = iter(records), iter(answers)
    for expected in answers_left:
        record = next(records_left, None)
        if record is None:
            differ.append((expected["id"], ["no record: the batch output ends before it"]))
            continue
        if record.get("id") != expected["id"]:
            raise ValueError(
                f"record for '{record.get('id')}' beside the answer for '{expected['id']}': "
                "the records and answers are not in the same order"
            )
        found = check(record, expected, strict_completeness=strict_completeness)
        if found:
            differ.append((expected["id"], found))
        else:
            agree += 1
    return agree, differ
