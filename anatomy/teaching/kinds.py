"""The question kinds: each a generator over the library and the pattern files.

Every answer comes from the code that answers a radiologist, never from a file: the
classifier names the type and each artery's status, the planner the catheter position,
completeness what a study has not excluded, the response criteria the category. The
data (data/quiz.yaml) gives each kind's sources and parameters and the response
exercises. A question's key names what it is made from (and may name its answer); its
id is an opaque digest of the key.

- ``name_type``: a figure with the hepatic vessels by letter; which Michels type?
- ``replaced_or_accessory``: the same figure; is artery *c* replaced or accessory?
- ``catheter``: a tumor in segment N; which vessel would you catheterize?
- ``not_excluded``: a study without one run; which type can it not yet exclude?
- ``response``: measurements before and after; which RECIST 1.1 or mRECIST category?
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from anatomy.case import Case, Tumor, parse_case
from anatomy.classification.classify import Classification
from anatomy.classification.findings import origin_label
from anatomy.errors import CaseError, ReferenceDataError
from anatomy.output.diagram import compact_segments
from anatomy.output.wording import not_excluded, open_type_label, reasons
from anatomy.pipeline import answer
from anatomy.planning.plan import Plan
from anatomy.planning.positions import short_name
from anatomy.reference.patterns import (
    MICHELS_ORDER,
    Pattern,
    Rule,
    michels_patterns,
    patterns,
    trunk_runs,
)
from anatomy.reference.quiz_data import Exercise, KindData
from anatomy.reference.vocabulary import kind, lookup
from anatomy.response.assess import AssessmentResult, Criterion, assess, criteria
from anatomy.response.followup import FollowUp, parse_followup
from anatomy.segments import describe, parse_segment, segment_names
from anatomy.teaching.figures import Figure, unlabelled
from anatomy.teaching.library import TeachingCase
from anatomy.teaching.question import (
    Choice,
    Question,
    Solution,
    question_id,
    shuffled,
    types_reader,
    words_reader,
)

__all__ = ["GENERATORS", "Item", "Subject", "subjects"]

Item = tuple[Question, Solution]
_HIDDEN_TITLE = "Hepatic arteries and hepatic trunk by letter (names hidden)"
_SIDES = {"right": "right liver (V–VIII)", "left": "left lateral liver (II–III)"}


# -- what questions are made from --------------------------------------------------------


class Subject:
    """A pattern's example or a library case, with what several kinds need of it.
    ``sources``: the case report a library case was written from (none for a pattern)."""

    def __init__(
        self,
        key: str,
        name: str,
        case: Case,
        sources: tuple[str, ...],
        note: str | None,
        pattern: Pattern | None = None,
        followup: FollowUp | None = None,
    ) -> None:
        self.key, self.name, self.case = key, name, case
        self.sources, self.note, self.pattern = sources, note, pattern
        self.followup = followup

    @cached_property
    def result(self) -> Classification:
        return answer(self.case).classification

    @cached_property
    def hidden(self) -> Case:
        """The case with its hepatic vessels renamed by letter (figures.unlabelled)."""
        return unlabelled(self.case)

    @cached_property
    def hidden_result(self) -> Classification:
        return answer(self.hidden).classification

    @property
    def complete(self) -> bool:
        """The study lacks no run: nothing it shows can change."""
        return not self.result.completeness.missing_runs


def subjects(cases: Sequence[TeachingCase]) -> tuple[Subject, ...]:
    """Every pattern's example (Michels types, then the named variants), then every case."""
    out = [
        Subject(
            f"variant:{p.id}",
            p.name,
            parse_case(p.example, source=f"michels_variants/{p.id}.yaml"),
            (),
            p.teaching[0] if p.teaching else None,
            p,
        )
        for p in patterns()
    ]
    out += [
        Subject(
            f"case:{c.id}",
            c.title,
            c.case,
            (c.references[0].citation,),
            c.explanation,
            followup=c.followup,
        )
        for c in cases
    ]
    return tuple(out)


def _sources(kind_data: KindData, subject: Subject | None = None) -> tuple[str, ...]:
    extra = subject.sources if subject is not None else ()
    return tuple(dict.fromkeys((*kind_data.sources, *extra)))


# -- name the type -----------------------------------------------------------------------


def name_type(
    items: Sequence[Subject], data: KindData, _: Sequence[Exercise] = ()
) -> Iterator[Item]:
    for subject in items:
        result = subject.hidden_result
        if result.outcome == "incomplete" or result.provisional:
            continue  # a partial study's type is not the figure's to tell
        value = result.michels_subtype or result.michels or "unclassified"
        if value == "unclassified":
            near = [d.michels for d in result.nearest]
            distractors = _fill(
                near, _nearest(near[0] if near else "I", set(near), 9), data.choices - 1
            )
        else:
            distractors = _nearest(value, {value}, data.choices - 1)
        key = f"name_type/{subject.key}"
        choices = shuffled([_type_choice(v) for v in (value, *distractors)], key)
        explanation = " ".join(_short_reasons(result))
        if subject.note:
            explanation += f" {subject.note}"
        # A variant outside Michels is named by the series that counted it.
        extra = _variant_source(subject)
        yield (
            Question(
                question_id(key),
                "name_type",
                data.title,
                "The figure shows an arterial tree whose hepatic arteries and hepatic trunk are "
                "drawn by letter, their names hidden; each vessel shows the liver segments it "
                "supplies. Which Michels type is it?",
                choices,
                Figure(subject.hidden, hide_hepatic_names=True, title=_HIDDEN_TITLE),
                None,
            ),
            Solution(
                _type_choice(value).text,
                _accepted_types(value),
                explanation,
                tuple(dict.fromkeys((*_sources(data, subject), *([extra] if extra else [])))),
                types_reader(),
                subject.key,
            ),
        )


def _short_reasons(result: Classification) -> list[str]:
    """The classification's reasons, with the nearest Michels type only (not three)."""
    said = reasons(result)
    nearest = [r for r in said if r.startswith("Nearest Michels")]
    return [r for r in said if not r.startswith("Nearest Michels")] + nearest[:1]


def _variant_source(subject: Subject) -> str | None:
    pattern = subject.pattern
    if pattern is None or pattern.scheme == "michels":
        return None
    return pattern.prevalence[0].source


def _type_choice(value: str) -> Choice:
    text = "Unclassified (no Michels type)" if value == "unclassified" else f"Michels {value}"
    return Choice(text, value)


def _accepted_types(value: str) -> frozenset[str]:
    """VIIIa and VIIIb are both Michels' own type VIII."""
    return frozenset({value, "VIII"} if value.startswith("VIII") else {value})


def _rules() -> Mapping[str, Rule]:
    return {p.type: p.rule for p in michels_patterns() if p.type and p.rule}


def _facts(rule: Rule) -> tuple[object, ...]:
    """A type's defining facts: the trunk's origin; per side, normal supply, replaced
    origins, accessory origins."""
    right, left = rule.right, rule.left
    return (
        rule.hepatic_trunk_from,
        *(right.normal, right.replaced_from, right.accessory_from),
        *(left.normal, left.replaced_from, left.accessory_from),
    )


def _distance(a: Rule, b: Rule) -> int:
    """How many of two types' defining facts differ."""
    return sum(x != y for x, y in zip(_facts(a), _facts(b), strict=True))


def _nearest(type_name: str, exclude: set[str], count: int) -> list[str]:
    """The Michels types closest to ``type_name`` by their rules (not its VIII sibling)."""
    rules = _rules()
    anchor = rules[type_name]
    family = {t for t in rules if t[:4] == type_name[:4] == "VIII"}
    order = sorted(
        (t for t in rules if t not in exclude and t not in family),
        key=lambda t: (_distance(anchor, rules[t]), MICHELS_ORDER.index(t)),
    )
    return order[:count]


def _fill(first: Sequence[str], more: Sequence[str], count: int) -> list[str]:
    out: list[str] = []
    for item in (*first, *more):
        if item not in out and len(out) < count:
            out.append(item)
    return out


# -- replaced or accessory ---------------------------------------------------------------


def replaced_or_accessory(
    items: Sequence[Subject], data: KindData, _: Sequence[Exercise] = ()
) -> Iterator[Item]:
    reader = words_reader(("replaced", "accessory"))
    for subject in items:
        if not subject.complete:
            continue  # a missing run could still show the normal artery of that side
        result = subject.hidden_result
        arteries = result.anatomy.arteries
        for artery in arteries:
            if artery.side not in _SIDES or artery.status not in ("replaced", "accessory"):
                continue
            origin = origin_label(artery.origin_kind)
            key = f"replaced_or_accessory/{subject.key}/{artery.vessel}"
            side_word = f"{artery.side} hepatic artery"
            yield (
                Question(
                    question_id(key),
                    "replaced_or_accessory",
                    data.title,
                    f"In the figure, artery {artery.vessel} arises from the {origin} and "
                    f"supplies {compact_segments(artery.territory)}. Is it a replaced or an "
                    f"accessory {side_word}?",
                    (Choice("Replaced", "replaced"), Choice("Accessory", "accessory")),
                    Figure(subject.hidden, hide_hepatic_names=True, title=_HIDDEN_TITLE),
                    None,
                ),
                Solution(
                    artery.status.capitalize(),
                    frozenset({artery.status}),
                    _status_explanation(result, artery.vessel),
                    _sources(data, subject),
                    reader,
                    subject.key,
                ),
            )


def _status_explanation(result: Classification, vessel: str) -> str:
    arteries = result.anatomy.arteries
    artery = next(a for a in arteries if a.vessel == vessel)
    side, liver = artery.side, _SIDES[artery.side]
    origin = origin_label(artery.origin_kind)
    normal = [a.vessel for a in arteries if a.side == side and a.normal]
    if artery.status == "accessory" and getattr(result.signature, side).normal:
        where = f" (artery {', '.join(normal)})" if normal else ""
        text = (
            f"The {liver} also receives normal supply from the hepatic axis{where}, so artery "
            f"{vessel}, from the {origin}, adds to it: an accessory {side} hepatic artery."
        )
    elif artery.status == "accessory":
        wider = [
            a.vessel
            for a in arteries
            if a.side == side and a.status == "replaced" and artery.territory < a.territory
        ]
        text = (
            f"No artery from the hepatic axis reaches the {liver}; artery {vessel}'s territory "
            f"lies inside that of artery {', '.join(wider) or 'another aberrant one'}, the "
            f"replaced one, so artery {vessel} is accessory."
        )
    else:
        text = (
            f"No artery from the hepatic axis reaches the {liver}: artery {vessel}, from the "
            f"{origin}, is its only supply, a replaced {side} hepatic artery."
        )
    if result.michels is not None:
        text += f" The anatomy is Michels {result.michels_subtype or result.michels}."
    else:
        text += " Michels' scheme has no type for this anatomy (unclassified)."
    return text


# -- where to put the catheter -----------------------------------------------------------


def catheter(
    items: Sequence[Subject], data: KindData, _: Sequence[Exercise] = ()
) -> Iterator[Item]:
    for subject in items:
        if not subject.complete:
            continue
        for segment in data.segments:
            tumor = Tumor("t1", parse_segment(segment))
            planned = answer(replace(subject.case, tumors=(tumor,)), with_plan=True).plan
            assert planned is not None
            if len(planned.positions) != 1 or planned.tumors[0].unsupplied:
                continue  # several tips, or none: not a one-answer question
            yield _catheter_item(subject, data, segment, planned)


def _catheter_item(subject: Subject, data: KindData, segment: str, planned: Plan) -> Item:
    routes = planned.routes
    target = planned.positions[0]
    tip = target.position
    key = f"catheter/{subject.key}/{segment}"
    options = _catheter_options(planned, tip.vessel, data.choices - 1)
    names = _choice_names(planned, (tip.vessel, *options))
    choices = shuffled([Choice(names[v], v) for v in (tip.vessel, *options)], key)
    feeders = ", ".join(short_name(routes, f.vessel) for f in planned.tumors[0].feeders)
    lines = [
        f"Segment {segment} is supplied by {feeders}. The recommended tip is {names[tip.vessel]}, "
        f"a {tip.level.replace('_', ' ')} position treating {describe(tip.segments)} "
        f"(non-tumor liver: {describe(tip.non_tumor_segments)}): {tip.route_text}."
    ]
    tree = routes.note.tree
    for trunk in (v for v in options if _is_trunk(tree.vessel[v].kind)):
        lines.append(
            f"The {names[trunk]} is never a catheter position: an injection in a visceral "
            "trunk embolizes bowel, stomach or spleen."
        )
    lines += [w.message for w in planned.tumors[0].warnings]
    return (
        Question(
            question_id(key),
            "catheter",
            data.title,
            f"A tumor lies in segment {segment} of this liver. Which vessel would you "
            "catheterize for its chemoembolization (the most selective safe position)?",
            choices,
            Figure(subject.case, title=subject.name),
            subject.key.partition(":")[2],
        ),
        Solution(
            names[tip.vessel],
            frozenset({tip.vessel}),
            " ".join(lines),
            _sources(data, subject),
            _VesselReader(planned, names),
            subject.key,
        ),
    )


def _is_trunk(name: str | None) -> bool:
    return name is not None and kind(name).trunk


def _catheter_options(planned: Plan, tip: str, count: int) -> list[str]:
    """Wrong places, most instructive first: the visceral trunk the route leaves, the
    hepatic axis (whole liver), the other side's hepatic artery, the tip's parent, the GDA,
    then any named vessel."""
    routes = planned.routes
    note = routes.note
    tree = note.tree
    path = tree.path(tip)
    named = [n for n in tree.preorder if tree.vessel[n].kind is not None and n != tip]
    trunk = [n for n in reversed(path[:-1]) if not routes.allowed_at[routes.index[n]]]
    artery = note.artery_of.get(tip)
    side = routes.artery[artery].side if artery is not None and artery in routes.artery else None
    other = [a.vessel for a in note.arteries if a.side in _SIDES and a.side != side]
    parent = [routes.parent[tip]] if routes.parent[tip] is not None else []
    gda = [n for n in named if kind(tree.vessel[n].kind or "").has("defines_hepatic_trunk")]
    root = tree.preorder[0]
    wanted = [
        *trunk[:1],
        *note.axis[:1],
        *other[:1],
        *[p for p in parent if p is not None],
        *gda[:1],
        *named,
    ]
    out: list[str] = []
    for node in wanted:
        if node not in out and node not in (tip, root) and len(out) < count:
            out.append(node)
    return out


def _choice_names(planned: Plan, vessels: Sequence[str]) -> dict[str, str]:
    """How choices name vessels: as a route does (rRHA, LHA); with the id when two would
    read the same or the vessel is unnamed."""
    routes = planned.routes
    short = {v: short_name(routes, v) for v in vessels}
    counts: dict[str, int] = {}
    for name in short.values():
        counts[name] = counts.get(name, 0) + 1
    out = {}
    for vessel, name in short.items():
        if name == vessel:  # an unnamed branch is shown by its id
            out[vessel] = f"branch {vessel}"
        elif counts[name] > 1:
            out[vessel] = f"{name} ({vessel})"
        else:
            out[vessel] = name
    return out


class _VesselReader:
    """Reads a vessel: its id, its name as the choices write it, or a vocabulary term (with
    a status word, "replaced RHA") that fits one vessel of the case."""

    def __init__(self, planned: Plan, names: Mapping[str, str]) -> None:
        self.note = planned.routes.note
        self.names = {n.lower(): v for v, n in names.items()}
        self.short = {short_name(planned.routes, v).lower(): v for v in self.note.tree.preorder}
        self.status = {a.vessel: a.status for a in self.note.arteries}

    def read(self, text: str) -> str | None:
        key = text.strip().lower()
        if key in self.note.tree.vessel:
            return key
        found = self.names.get(key) or self.short.get(key)
        if found is not None:
            return found
        try:
            meant = lookup(text)
        except ValueError:
            return None
        fits = [
            v
            for v in self.note.tree.preorder
            if self.note.effective(v) == meant.kind.name
            and (meant.status is None or self.status.get(v) == meant.status)
        ]
        return fits[0] if len(fits) == 1 else None


# -- what the study has not excluded ----------------------------------------------------


def not_excluded_kind(
    items: Sequence[Subject], data: KindData, _: Sequence[Exercise] = ()
) -> Iterator[Item]:
    for subject, study, run in _partial_studies(items, data):
        result = answer(study).classification
        open_michels = [t.type for t in result.completeness.open_types if t.type in _rules()]
        if not open_michels:
            continue
        key = f"not_excluded/{subject.key}/{run or 'as-published'}"
        value = open_michels[int(question_id(key)[1:], 16) % len(open_michels)]
        headline = result.pattern.type if result.pattern is not None else None
        shut = set(open_michels) | ({headline} if headline else set())
        distractors = _nearest(value, shut, data.choices - 1)
        if len(distractors) < data.choices - 1:
            continue
        choices = shuffled([_type_choice(v) for v in (value, *distractors)], key)
        missing = "; ".join(trunk_runs()[r] for r in result.completeness.missing_runs)
        if result.michels is not None:
            reading = f"It reads as Michels {result.michels_subtype or result.michels}"
        else:
            reading = "Its Michels type cannot be told yet"
        lines = [
            "Only what a missing run would add stays open; what the study shows excludes the rest."
        ]
        lines += [f"{line}." for line in not_excluded(result)]
        closed = ", ".join(open_type_label(t) for t in result.completeness.open_types)
        lines.append(f"Open: {closed}; every other type is excluded by what the study shows.")
        yield (
            Question(
                question_id(key),
                "not_excluded",
                data.title,
                f"This study is partial: {missing}. {reading}. Which of these types can it "
                "not yet exclude?",
                choices,
                Figure(study, title=subject.name if run is None else None),
                subject.key.partition(":")[2] if run is None else None,
            ),
            Solution(
                _type_choice(value).text,
                frozenset(open_michels) | ({"VIII"} if value.startswith("VIII") else set()),
                " ".join(lines),
                _sources(data, subject),
                types_reader(),
                subject.key,
            ),
        )


def _partial_studies(
    items: Sequence[Subject], data: KindData
) -> Iterator[tuple[Subject, Case, str | None]]:
    """Library cases that lack a run as published; and each Michels pattern's example
    without each of the kind's runs (the run's trunk and everything from it)."""
    for subject in items:
        if subject.pattern is None and not subject.complete:
            yield subject, subject.case, None
        if subject.pattern is None or subject.pattern.scheme != "michels":
            continue
        for run in data.runs:
            study = _without(subject.case, run)
            if study is not None:
                yield subject, study, run


def _without(case: Case, run: str) -> Case | None:
    """The case without the vessels of ``run`` (a trunk kind) and below; None when it has
    none or nothing else remains."""
    tree = case.tree
    gone: set[str] = set()
    for node in tree.preorder:  # parents first
        parent = tree.parent[node]
        if tree.vessel[node].kind == run or (parent is not None and parent in gone):
            gone.add(node)
    if not gone or len(gone) == len(tree):
        return None
    vessels = tuple(v for v in case.vessels if v.id not in gone)
    document = {
        "vessels": [
            {
                "id": v.id,
                **({"parent": v.parent} if v.parent else {}),
                **({"kind": v.kind} if v.kind else {}),
                **({"status": v.status} if v.status else {}),
                **({"supplies": segment_names(v.supplies)} if v.supplies else {}),
            }
            for v in vessels
        ]
    }
    return parse_case(document)


# -- tumor response ----------------------------------------------------------------------

_CATEGORIES = {
    "CR": "CR (complete response)",
    "PR": "PR (partial response)",
    "SD": "SD (stable disease)",
    "PD": "PD (progressive disease)",
    "NE": "NE (not evaluable)",
    "non-CR/non-PD": "non-CR/non-PD",
}


@dataclass(frozen=True, slots=True)
class _Exercise:
    key: str
    name: str
    baseline: tuple[Tumor, ...]
    followup: FollowUp
    criteria: tuple[str, ...]
    lesson: str | None
    sources: tuple[str, ...]


def response(
    items: Sequence[Subject], data: KindData, exercises: Sequence[Exercise] = ()
) -> Iterator[Item]:
    by_key = {c.key: c for c in criteria()}
    reader = words_reader(_CATEGORIES)
    for exercise in (*_exercises(exercises), *_library_followups(items)):
        result = assess(exercise.baseline, exercise.followup)
        last = result.assessments[-1]
        for name in exercise.criteria:
            criterion = by_key[name]
            found = last.recist if name == "recist" else last.mrecist
            value = found.category
            key = f"response/{exercise.key}/{name}"
            offered = [c for c in _CATEGORIES if c != "non-CR/non-PD"][: data.choices]
            if value not in offered:
                offered[-1] = value
            lines = [exercise.lesson] if exercise.lesson else []
            lines.append("\n".join(found.arithmetic))
            yield (
                Question(
                    question_id(key),
                    "response",
                    data.title,
                    _response_prompt(exercise, criterion, last),
                    tuple(Choice(_CATEGORIES[c], c) for c in offered),
                    None,
                    exercise.name,
                ),
                Solution(
                    _CATEGORIES[value],
                    frozenset({value}),
                    "\n".join(lines),
                    tuple(dict.fromkeys((*data.sources, criterion.source, *exercise.sources))),
                    reader,
                    exercise.key,
                ),
            )


def _response_prompt(exercise: _Exercise, criterion: Criterion, last: AssessmentResult) -> str:
    lines = [
        f"Which {criterion.name} category fits the last time point ({last.interval})?",
        "Baseline: " + "; ".join(_baseline_lesion(t) for t in exercise.baseline) + ".",
    ]
    for item in exercise.followup.assessments:
        measured = "; ".join(
            f"{lesion_id} {_size(m.diameter_mm, m.enhancing_diameter_mm)}"
            for lesion_id, m in item.lesions.items()
        )
        new = len(item.new_lesions)
        new_text = "none" if not new else f"{new} ({_new_lesions(item.new_lesions)})"
        others = (item.non_target or "not stated").replace("_", " ")
        lines.append(
            f"{item.interval}: {measured or 'no lesion measured'}; new lesions: {new_text}; "
            f"non-target lesions: {others}."
        )
        if item.interval == last.interval:
            break
    return "\n".join(lines)


def _baseline_lesion(tumor: Tumor) -> str:
    names = segment_names(tumor.segments)
    where = f"segment{'s' if len(names) > 1 else ''} {compact_segments(tumor.segments)}"
    return f"{tumor.id} ({where}) {_size(tumor.diameter_mm, tumor.enhancing_diameter_mm)}"


def _size(mm: float | None, enhancing: float | None) -> str:
    whole = "not measured" if mm is None else f"{mm:g} mm"
    return whole + (f" (enhancing {enhancing:g} mm)" if enhancing is not None else "")


def _new_lesions(lesions: Sequence[object]) -> str:
    parts = []
    for lesion in lesions:
        where = compact_segments(getattr(lesion, "segments", ())) or "segment not stated"
        size = getattr(lesion, "diameter_mm", None)
        label = getattr(lesion, "label", None)
        parts.append(
            where + (f", {size:g} mm" if size is not None else "") + (f", {label}" if label else "")
        )
    return "; ".join(parts)


def _exercises(exercises: Sequence[Exercise]) -> Iterator[_Exercise]:
    for item in exercises:
        where = f"quiz.yaml, response_exercises {item.id}"
        try:
            baseline = parse_case(
                {"vessels": [{"id": "liver"}], "tumors": list(item.baseline)}, source=where
            ).tumors
            followup = parse_followup(dict(item.followup), baseline, source=where)
        except CaseError as exc:
            raise ReferenceDataError(str(exc)) from None
        yield _Exercise(
            f"exercise:{item.id}",
            "response exercise",
            baseline,
            followup,
            item.criteria,
            item.lesson,
            (),
        )


def _library_followups(items: Sequence[Subject]) -> Iterator[_Exercise]:
    for subject in items:
        followup = getattr(subject, "followup", None)
        if followup is None:
            continue
        enhancing = any(
            m.enhancing_diameter_mm is not None
            for a in followup.assessments
            for m in a.lesions.values()
        )
        yield _Exercise(
            subject.key,
            subject.key.partition(":")[2],
            subject.case.tumors,
            followup,
            ("recist", "mrecist") if enhancing else ("recist",),
            None,
            subject.sources,
        )


Generator = Callable[[Sequence[Subject], KindData, Sequence[Exercise]], Iterator[Item]]
GENERATORS: Mapping[str, Generator] = {
    "name_type": name_type,
    "replaced_or_accessory": replaced_or_accessory,
    "catheter": catheter,
    "not_excluded": not_excluded_kind,
    "response": response,
}
