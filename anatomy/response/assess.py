"""Tumor response after TACE: RECIST 1.1 and mRECIST, with the arithmetic shown.

The baseline is the case file's tumors (``diameter_mm``; ``enhancing_diameter_mm`` for
mRECIST); the follow-up file (``hepatic-followup/1``, docs/followup-format.md) gives one
or more assessments labelled by interval ("week 6"), never by date. Per criterion:
target lesions are chosen (measurable >= 10 mm, at most 5 and at most 2 per organ, the
liver being one organ: the largest), their sum is compared with the baseline sum
(response) and with the nadir (progression; RECIST also needs +5 mm, mRECIST does not),
and new lesions or unequivocal non-target progression mean PD. Percentages are compared
exactly (rational arithmetic), so -30 % is a partial response and +20 % is progression.

>>> from anatomy.case import Tumor
>>> from anatomy.segments import parse_segment
>>> base = (Tumor("t1", parse_segment("IV"), diameter_mm=85.0),)
>>> follow = parse_followup({"assessments": [{"interval": "week 6",
...     "lesions": [{"id": "t1", "diameter_mm": 40}]}]}, base)
>>> result = assess(base, follow).assessments[0].recist
>>> result.category, f"{float(result.change_vs_baseline_pct):.1f}"
('PR', '-52.9')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from anatomy.case import Tumor
from anatomy.reference.datafiles import load_yaml, validated
from anatomy.response.followup import (
    FOLLOWUP_FORMAT,
    Assessment,
    FollowUp,
    NewLesion,
    load_followup,
    parse_followup,
)
from anatomy.segments import segment_names

__all__ = [
    "FOLLOWUP_FORMAT",
    "Assessment",
    "AssessmentResult",
    "Criterion",
    "CriterionResult",
    "FollowUp",
    "NewLesionCall",
    "NewLesionEvidence",
    "NewLesionRule",
    "Response",
    "Selection",
    "assess",
    "criteria",
    "load_followup",
    "new_lesion_evidence",
    "parse_followup",
    "response_dict",
    "response_text",
]

# -- the criteria ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewLesionRule:
    """When a criterion counts a new lesion as progression, and the rule as quoted.

    ``liver``: ``reader`` counts a lesion the reader marks unequivocal (or, not stated,
    one that the typical pattern or growth shows to be tumor); ``typical_or_growth`` counts
    a new liver lesion only by the typical pattern or growth. Extrahepatic: ``reader``."""

    liver: Literal["reader", "typical_or_growth"]
    rule: str
    source: str


@dataclass(frozen=True, slots=True)
class NewLesionEvidence:
    """What shows a new liver lesion to be tumor (mRECIST's new HCC): at least
    ``typical_min_mm`` with arterial enhancement and washout, or ``growth_mm`` of growth."""

    typical_min_mm: int
    growth_mm: int
    source: str


@dataclass(frozen=True, slots=True)
class Criterion:
    """A response criterion's rules (thresholds in percent and millimetres)."""

    key: str
    name: str
    measures: str  # "diameter" (whole lesion) or "enhancing" (viable, arterial phase)
    measurable_mm: int
    max_targets: int
    max_per_organ: int
    response_pct: int  # <= this change vs baseline: partial response
    progression_pct: int  # >= this change vs nadir: progression ...
    progression_mm: int | None  # ... and at least this absolute increase (None: no clause)
    source: str
    new_lesion: NewLesionRule


class _NewLesionRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    liver: Literal["reader", "typical_or_growth"]
    rule: str = Field(min_length=1)
    source: str = Field(min_length=1)


class _NewLesionEvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    typical_min_mm: int = Field(gt=0)
    growth_mm: int = Field(gt=0)
    source: str = Field(min_length=1)


class _CriterionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    measures: Literal["diameter", "enhancing"]
    measurable_mm: int = Field(gt=0)
    max_targets: int = Field(gt=0)
    max_per_organ: int = Field(gt=0)
    response_pct: int = Field(lt=0)
    progression_pct: int = Field(gt=0)
    progression_mm: int | None = Field(gt=0)
    source: str
    new_lesion: _NewLesionRuleIn


class _CriteriaSetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    recist: _CriterionIn
    mrecist: _CriterionIn


class _CriteriaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["hepatic-response-criteria/1"]
    criteria: _CriteriaSetIn
    new_lesions: _NewLesionEvidenceIn


@cache
def _criteria_file() -> _CriteriaIn:
    name = "response_criteria.yaml"
    return validated(_CriteriaIn, load_yaml(name), name)


def _criterion(key: str, found: _CriterionIn) -> Criterion:
    fields = found.model_dump(exclude={"new_lesion"})
    rule = found.new_lesion
    rule_text = " ".join(rule.rule.split())
    return Criterion(
        key,
        **fields,
        new_lesion=NewLesionRule(rule.liver, rule_text, " ".join(rule.source.split())),
    )


@cache
def criteria() -> tuple[Criterion, Criterion]:
    """RECIST 1.1 and mRECIST, as data/response_criteria.yaml gives them."""
    found = _criteria_file().criteria
    return _criterion("recist", found.recist), _criterion("mrecist", found.mrecist)


@cache
def new_lesion_evidence() -> NewLesionEvidence:
    """The typical-pattern and growth thresholds for a new liver lesion (the same file)."""
    found = _criteria_file().new_lesions
    return NewLesionEvidence(found.typical_min_mm, found.growth_mm, found.source)


# -- the assessment ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """A baseline lesion and what the criterion made of it."""

    id: str
    baseline_mm: float | None
    target: bool
    reason: str
    assumed: bool = False  # mRECIST baseline taken from the whole diameter


@dataclass(frozen=True, slots=True)
class Selection:
    """The target lesions a criterion chose at baseline, and why."""

    criterion: Criterion
    choices: tuple[Choice, ...]
    explanation: str

    @property
    def targets(self) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if c.target)


@dataclass(frozen=True, slots=True)
class NewLesionCall:
    """What a criterion made of one new lesion at one time point."""

    name: str  # its id, or "new lesion 2" (its place in the list) without one
    id: str | None
    progression: bool  # False: equivocal, followed
    reason: str
    first_seen: str  # the interval that first listed it (this one, without an id)
    growth_mm: Fraction | None  # its longest diameter now minus when first measured
    confirmed_at: str | None = None  # a later interval at which it meant progression


@dataclass(frozen=True, slots=True)
class _Track:
    """A new lesion followed by its id: where first seen, and its growth since."""

    name: str
    first_seen: str
    growth_mm: Fraction | None = None
    grew_from: tuple[float, str] | None = None  # first diameter and where measured


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion at one time point."""

    criterion: Criterion
    interval: str
    category: str  # CR | PR | SD | PD | NE | non-CR/non-PD
    baseline_sum_mm: Fraction | None
    current_sum_mm: Fraction | None
    nadir_sum_mm: Fraction | None
    nadir_interval: str | None
    change_vs_baseline_pct: Fraction | None
    change_vs_nadir_pct: Fraction | None
    increase_vs_nadir_mm: Fraction | None
    lesions: tuple[tuple[str, float | None, float | None], ...]  # id, baseline, now
    new_lesions: int  # listed at this time point, counted or not
    non_target: str | None
    arithmetic: tuple[str, ...]
    new_lesion_calls: tuple[NewLesionCall, ...] = ()  # one per new lesion, in file order
    progression_dated_from: str | None = None  # an earlier interval that first showed it

    @property
    def counted(self) -> tuple[NewLesionCall, ...]:
        """The new lesions that mean progression under this criterion."""
        return tuple(c for c in self.new_lesion_calls if c.progression)

    @property
    def equivocal(self) -> tuple[NewLesionCall, ...]:
        """The new lesions that are equivocal under this criterion: followed, not PD."""
        return tuple(c for c in self.new_lesion_calls if not c.progression)

    @property
    def summary(self) -> str:
        """The category, with an equivocal new lesion said as such (never as PD)."""
        if self.equivocal and self.category != "PD":
            many = len(self.equivocal) > 1
            return f"{self.category} (equivocal new lesion{'s' if many else ''}: follow up)"
        if self.progression_dated_from and self.category == "PD":
            return f"PD (dated from {self.progression_dated_from})"
        return self.category


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    interval: str
    recist: CriterionResult
    mrecist: CriterionResult
    new_lesions: tuple[NewLesion, ...] = ()


@dataclass(frozen=True, slots=True)
class Response:
    """Both criteria at every follow-up time point."""

    selections: tuple[Selection, Selection]  # RECIST 1.1, mRECIST
    assessments: tuple[AssessmentResult, ...]


def assess(baseline: Sequence[Tumor], followup: FollowUp) -> Response:
    """RECIST 1.1 and mRECIST for every assessment of ``followup``."""
    recist, mrecist = criteria()
    selections = (_select(recist, baseline), _select(mrecist, baseline))
    results: dict[str, list[CriterionResult]] = {"recist": [], "mrecist": []}
    tracks = _tracks(followup)
    for selection in selections:
        history: list[tuple[str, Fraction]] = []
        for item, track in zip(followup.assessments, tracks, strict=True):
            result = _evaluate(selection, baseline, item, history, track)
            results[selection.criterion.key].append(result)
            if result.current_sum_mm is not None:
                history.append((item.interval, result.current_sum_mm))
        results[selection.criterion.key] = _confirmed_later(results[selection.criterion.key])
    return Response(
        selections=selections,
        assessments=tuple(
            AssessmentResult(a.interval, r, m, a.new_lesions)
            for a, r, m in zip(
                followup.assessments, results["recist"], results["mrecist"], strict=True
            )
        ),
    )


# -- new lesions ---------------------------------------------------------------------------


def _tracks(followup: FollowUp) -> list[tuple[_Track, ...]]:
    """Per assessment, per new lesion: its name, where first seen, its growth since.

    A lesion is followed by its ``id``; growth is measured from its first diameter."""
    first: dict[str, tuple[str, tuple[float, str] | None]] = {}
    out = []
    for item in followup.assessments:
        row = []
        for k, lesion in enumerate(item.new_lesions, start=1):
            if lesion.id is None:
                row.append(_Track(f"new lesion {k}", item.interval))
                continue
            seen_at, measured = first.get(lesion.id, (item.interval, None))
            if measured is None:
                if lesion.diameter_mm is not None:
                    measured = (lesion.diameter_mm, item.interval)
                first[lesion.id] = (seen_at, measured)
                row.append(_Track(lesion.id, seen_at))
                continue
            growth = (
                None
                if lesion.diameter_mm is None
                else _exact(lesion.diameter_mm) - _exact(measured[0])
            )
            row.append(_Track(lesion.id, seen_at, growth, measured))
        out.append(tuple(row))
    return out


def _pattern(lesion: NewLesion) -> str:
    def said(value: bool | None, what: str) -> str:
        return f"{what} not recorded" if value is None else (what if value else f"no {what}")

    enhancement = said(lesion.arterial_enhancement, "arterial enhancement")
    return f"{enhancement}, {said(lesion.washout, 'washout')}"


def _described(lesion: NewLesion, track: _Track) -> str:
    where = (
        "extrahepatic"
        if lesion.site == "extrahepatic"
        else (", ".join(segment_names(lesion.segments)) or "liver, segments not stated")
    )
    size = f", {lesion.diameter_mm:g} mm" if lesion.diameter_mm is not None else ", size not stated"
    pattern = f", {_pattern(lesion)}" if lesion.site == "liver" else ""
    return f"{track.name} ({where}{size}{pattern})"


def _judge(
    criterion: Criterion, lesion: NewLesion, track: _Track, evidence: NewLesionEvidence
) -> NewLesionCall:
    """Whether a new lesion means progression under ``criterion``, and why.

    The reader's ``unequivocal: false`` is always respected. A new liver lesion is shown to
    be tumor by the typical pattern (at least ``typical_min_mm`` with arterial enhancement
    and washout) or by growth of ``growth_mm``; under a ``reader`` rule that evidence stands
    in for an ``unequivocal`` not stated, under ``typical_or_growth`` nothing else counts."""

    def call(progression: bool, reason: str) -> NewLesionCall:
        return NewLesionCall(
            track.name, lesion.id, progression, reason, track.first_seen, track.growth_mm
        )

    liver = lesion.site == "liver"
    size = lesion.diameter_mm
    typical = (
        liver
        and size is not None
        and size >= evidence.typical_min_mm
        and lesion.arterial_enhancement is True
        and lesion.washout is True
    )
    grown = liver and track.growth_mm is not None and track.growth_mm >= evidence.growth_mm
    shown = None
    if typical:
        assert size is not None
        shown = (
            f"{size:g} mm >= {evidence.typical_min_mm} mm with arterial enhancement and "
            "washout (the typical pattern)"
        )
    elif grown:
        assert track.growth_mm is not None and track.grew_from is not None and size is not None
        shown = (
            f"grew from {track.grew_from[0]:g} mm ({track.grew_from[1]}) to {size:g} mm, "
            f"+{float(track.growth_mm):g} mm >= +{evidence.growth_mm} mm"
        )
    missing = []
    if liver and not shown:
        if size is None:
            missing.append("size not recorded")
        elif size < evidence.typical_min_mm:
            missing.append(f"{size:g} mm < {evidence.typical_min_mm} mm")
        if lesion.arterial_enhancement is not True:
            missing.append(
                "arterial enhancement not recorded"
                if lesion.arterial_enhancement is None
                else "no arterial enhancement"
            )
        if lesion.washout is not True:
            missing.append("washout not recorded" if lesion.washout is None else "no washout")
        if track.growth_mm is not None:
            missing.append(
                f"growth since {track.first_seen} {float(track.growth_mm):+g} mm "
                f"< +{evidence.growth_mm} mm"
            )
        elif lesion.id is None:
            missing.append("no `id` to follow its growth at later assessments")
    not_shown = f"neither the typical pattern nor growth shows it is tumor ({'; '.join(missing)})"

    if lesion.unequivocal is False:
        check = f"; yet {shown}: check the mark" if shown else ""
        return call(False, f"marked equivocal (`unequivocal: false`){check}")
    if not liver or criterion.new_lesion.liver == "reader":
        if lesion.unequivocal:
            return call(True, "marked unequivocal")
        if shown:
            return call(True, f"`unequivocal` not stated, but {shown}")
        why = "" if not liver else f", and {not_shown}"
        return call(
            False,
            f"unequivocal? not stated{why}; write `unequivocal: true` if it is unequivocally new",
        )
    if shown:
        return call(True, shown)
    marked = (
        f"; marked unequivocal, but {criterion.name} counts a new liver lesion only by the "
        "typical pattern or growth"
        if lesion.unequivocal
        else ""
    )
    return call(False, f"{not_shown}{marked}")


def _confirmed_later(results: list[CriterionResult]) -> list[CriterionResult]:
    """Mark each equivocal new lesion that a later time point counted, with where; the
    progression is dated from where it was first seen (RECIST 1.1; mRECIST)."""
    confirmed: dict[str, int] = {}  # lesion id -> the first time point that counted it
    for i, result in enumerate(results):
        for call in result.counted:
            if call.id is not None:
                confirmed.setdefault(call.id, i)
    out = []
    for i, result in enumerate(results):
        calls, lines = [], list(result.arithmetic)
        for call in result.new_lesion_calls:
            later = confirmed.get(call.id, -1) if call.id is not None else -1
            if not call.progression and later > i:
                at = results[later].interval
                call = replace(call, confirmed_at=at)
                lines.insert(
                    len(lines) - 1,
                    f"{call.name} meant progression at {at}: progression dates from "
                    f"{call.first_seen}, when it was first seen",
                )
            calls.append(call)
        out.append(replace(result, new_lesion_calls=tuple(calls), arithmetic=tuple(lines)))
    return out


def _baseline_value(criterion: Criterion, tumor: Tumor) -> tuple[float | None, bool]:
    if criterion.measures == "diameter":
        return tumor.diameter_mm, False
    if tumor.enhancing_diameter_mm is not None:
        return tumor.enhancing_diameter_mm, False
    return tumor.diameter_mm, tumor.diameter_mm is not None


def _select(criterion: Criterion, baseline: Sequence[Tumor]) -> Selection:
    """Target lesions: measurable (>= 10 mm), the largest, at most 5 and 2 per organ."""
    limit = min(criterion.max_targets, criterion.max_per_organ)  # every tumor is in the liver
    values = {t.id: _baseline_value(criterion, t) for t in baseline}
    measurable = sorted(
        (
            t
            for t in baseline
            if values[t.id][0] is not None and (values[t.id][0] or 0) >= criterion.measurable_mm
        ),
        key=lambda t: (-(values[t.id][0] or 0), t.id),
    )
    chosen = {t.id for t in measurable[:limit]}
    what = "enhancing (viable) diameter" if criterion.measures == "enhancing" else "diameter"
    choices = []
    for tumor in baseline:
        value, assumed = values[tumor.id]
        note = (
            " (no enhancing diameter at baseline: the whole diameter is taken as viable)"
            if assumed
            else ""
        )
        if value is None:
            reason = f"non-target: no baseline {what} (`diameter_mm`) in the case"
        elif value < criterion.measurable_mm:
            reason = f"non-target: not measurable, {value:g} mm < {criterion.measurable_mm} mm"
        elif tumor.id in chosen:
            rank = [t.id for t in measurable].index(tumor.id) + 1
            reason = (
                f"target: measurable ({value:g} mm >= {criterion.measurable_mm} mm), "
                f"liver lesion {rank} by size{note}"
            )
        else:
            reason = (
                f"non-target: measurable ({value:g} mm), but the liver already has "
                f"{limit} larger targets (at most {criterion.max_per_organ} per organ)"
            )
        choices.append(Choice(tumor.id, value, tumor.id in chosen, reason, assumed))
    explanation = (
        f"{criterion.name} takes as targets the measurable lesions (longest {what} >= "
        f"{criterion.measurable_mm} mm), at most {criterion.max_targets} in all and "
        f"{criterion.max_per_organ} per organ; every tumor here is in the liver, one organ, so "
        f"at most {limit}: the largest. The others are followed as non-target lesions."
    )
    return Selection(criterion, tuple(choices), explanation)


def _exact(value: float) -> Fraction:
    return Fraction(Decimal(repr(value)))


def _pct(text: Fraction) -> str:
    return f"{float(text):+.1f} %"


def _mm_text(value: Fraction) -> str:
    return f"{float(value):g} mm"


def _evaluate(
    selection: Selection,
    baseline: Sequence[Tumor],
    item: Assessment,
    history: list[tuple[str, Fraction]],
    tracks: tuple[_Track, ...],
) -> CriterionResult:
    criterion = selection.criterion
    field = "diameter_mm" if criterion.measures == "diameter" else "enhancing_diameter_mm"
    measure = "diameters" if criterion.measures == "diameter" else "enhancing diameters"
    targets = selection.targets
    non_targets = [c for c in selection.choices if not c.target]
    lines: list[str] = []
    now: list[tuple[str, float | None, float | None]] = []
    missing = []
    for choice in targets:
        measured = item.lesions.get(choice.id)
        value = None if measured is None else getattr(measured, field)
        now.append((choice.id, choice.baseline_mm, value))
        if value is None:
            missing.append(choice.id)
    new = len(item.new_lesions)
    evidence = new_lesion_evidence()
    calls = tuple(
        _judge(criterion, lesion, track, evidence)
        for lesion, track in zip(item.new_lesions, tracks, strict=True)
    )
    counted = [c for c in calls if c.progression]
    equivocal = [c for c in calls if not c.progression]
    non_target = item.non_target
    if non_target is None and non_targets:
        non_target = "present"
        lines.append("non-target lesions not assessed in the file: taken as present")
    progression_reasons = []
    if counted:
        progression_reasons.append(
            f"{len(counted)} new lesion{'s' if len(counted) != 1 else ''} "
            f"({', '.join(c.name for c in counted)})"
        )
    earlier = [c.first_seen for c in counted if c.first_seen != item.interval]
    dated_from = earlier[0] if earlier else None
    if non_target == "unequivocal_progression":
        progression_reasons.append("unequivocal progression of non-target lesions")

    base_sum = cur_sum = nadir = change_base = change_nadir = increase = None
    nadir_at: str | None = None
    category: str
    if targets:
        base_values = [_exact(c.baseline_mm or 0) for c in targets]
        base_sum = sum(base_values, Fraction(0))
        lines.append(
            f"baseline sum of target {measure}: "
            f"{' + '.join(f'{float(v):g}' for v in base_values)} = {_mm_text(base_sum)}"
        )
    if targets and not missing:
        cur_values = [_exact(v or 0) for _, _, v in now]
        cur_sum = sum(cur_values, Fraction(0))
        lines.append(
            f"{item.interval} sum: {' + '.join(f'{float(v):g}' for v in cur_values)}"
            f" = {_mm_text(cur_sum)}"
        )
        assert base_sum is not None
        nadir, nadir_at = base_sum, "baseline"
        for interval, value in history:
            if value < nadir:
                nadir, nadir_at = value, interval
        change_base = (cur_sum - base_sum) * 100 / base_sum
        lines.append(
            f"change vs baseline: ({float(cur_sum):g} - {float(base_sum):g}) / "
            f"{float(base_sum):g} = {_pct(change_base)} "
            f"(PR needs <= {criterion.response_pct} %)"
        )
        increase = cur_sum - nadir
        if nadir > 0:
            change_nadir = increase * 100 / nadir
            clause = (
                f" and >= +{criterion.progression_mm} mm"
                if criterion.progression_mm
                else ", no absolute clause"
            )
            lines.append(
                f"change vs nadir ({nadir_at}, {_mm_text(nadir)}): "
                f"({float(cur_sum):g} - {float(nadir):g}) / {float(nadir):g} = "
                f"{_pct(change_nadir)}, {float(increase):+g} mm "
                f"(PD needs >= +{criterion.progression_pct} %{clause})"
            )
        else:
            lines.append(
                f"nadir ({nadir_at}) was 0 mm: any regrowth is measured from zero, "
                f"{float(increase):+g} mm"
            )
        grew = (
            change_nadir >= criterion.progression_pct if change_nadir is not None else increase > 0
        )
        if grew and (criterion.progression_mm is None or increase >= criterion.progression_mm):
            progression_reasons.append(
                f"target sum {'+' if increase >= 0 else ''}{float(increase):g} mm vs nadir"
            )
    if missing:
        lines.append(
            f"not evaluable: target{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} not measured ({field}) at {item.interval}"
        )
    for lesion, track, call in zip(item.new_lesions, tracks, calls, strict=True):
        verdict = "counts: PD" if call.progression else "equivocal new lesion: follow up"
        lines.append(f"new lesion {_described(lesion, track)}: {verdict}; {call.reason}")
    if equivocal:
        lines.append(
            f"rule ({criterion.name}): {criterion.new_lesion.rule} ({criterion.new_lesion.source})"
        )
    told = (
        "none"
        if not new
        else ", ".join(
            part
            for part in (
                f"{len(counted)} counted" if counted else "",
                f"{len(equivocal)} equivocal (followed, not PD)" if equivocal else "",
            )
            if part
        )
    )
    lines.append(
        f"new lesions: {told}; non-target lesions: {(non_target or 'none').replace('_', ' ')}"
    )
    if progression_reasons:
        category = "PD"
        lines.append(f"PD: {'; '.join(progression_reasons)}")
        if dated_from is not None:
            lines.append(f"progression dates from {dated_from}, when the new lesion was first seen")
    elif missing:
        category = "NE"
    elif not targets:
        category = "CR" if non_target in (None, "absent") else "non-CR/non-PD"
        lines.append("no target lesions: the category follows the non-target lesions")
        if category == "CR" and equivocal:
            lines.append("CR holds only if the equivocal new lesion proves not to be tumor")
    else:
        assert cur_sum is not None and change_base is not None
        if cur_sum == 0 and non_target in (None, "absent"):
            category = "CR"
            lines.append(
                f"CR: every target lesion gone ({criterion.measures} 0 mm), no "
                "non-target lesion left, no new lesion counted"
            )
            if equivocal:
                lines.append("CR holds only if the equivocal new lesion proves not to be tumor")
        elif cur_sum == 0:
            category = "PR"
            lines.append("target lesions gone but non-target lesions persist: PR")
        elif change_base <= criterion.response_pct:
            category = "PR"
        else:
            category = "SD"
    lines.append(f"{criterion.name}: {category}")
    return CriterionResult(
        criterion=criterion,
        interval=item.interval,
        category=category,
        baseline_sum_mm=base_sum,
        current_sum_mm=cur_sum,
        nadir_sum_mm=nadir,
        nadir_interval=nadir_at,
        change_vs_baseline_pct=change_base,
        change_vs_nadir_pct=change_nadir,
        increase_vs_nadir_mm=increase,
        lesions=tuple(now),
        new_lesions=new,
        non_target=non_target,
        arithmetic=tuple(lines),
        new_lesion_calls=calls,
        progression_dated_from=dated_from,
    )


# -- output ------------------------------------------------------------------------------


def _rounded(value: Fraction | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def response_dict(response: Response) -> dict[str, Any]:
    """The response as JSON (see docs/followup-format.md)."""

    def criterion(c: Criterion) -> dict[str, Any]:
        return {k: v for k, v in asdict(c).items() if k != "key"}

    def result(r: CriterionResult) -> dict[str, Any]:
        return {
            "category": r.category,
            "baseline_sum_mm": _rounded(r.baseline_sum_mm, 2),
            "current_sum_mm": _rounded(r.current_sum_mm, 2),
            "nadir_sum_mm": _rounded(r.nadir_sum_mm, 2),
            "nadir_interval": r.nadir_interval,
            "change_vs_baseline_pct": _rounded(r.change_vs_baseline_pct),
            "change_vs_nadir_pct": _rounded(r.change_vs_nadir_pct),
            "increase_vs_nadir_mm": _rounded(r.increase_vs_nadir_mm, 2),
            "lesions": [{"id": i, "baseline_mm": b, "current_mm": n} for i, b, n in r.lesions],
            "new_lesions": r.new_lesions,
            "new_lesions_counted": len(r.counted),
            "new_lesions_equivocal": len(r.equivocal),
            "progression_dated_from": r.progression_dated_from,
            "summary": r.summary,
            "non_target": r.non_target,
            "arithmetic": list(r.arithmetic),
        }

    def call(c: NewLesionCall) -> dict[str, Any]:
        return {
            "status": "progression" if c.progression else "equivocal",
            "reason": c.reason,
            "confirmed_at": c.confirmed_at,
        }

    def new_lesion(n: NewLesion, r: NewLesionCall, m: NewLesionCall) -> dict[str, Any]:
        return {
            "id": n.id,
            "name": r.name,
            "site": n.site,
            "segments": segment_names(n.segments),
            "diameter_mm": n.diameter_mm,
            "arterial_enhancement": n.arterial_enhancement,
            "washout": n.washout,
            "unequivocal": n.unequivocal,
            "label": n.label,
            "first_seen": r.first_seen,
            "growth_mm": _rounded(r.growth_mm, 2),
            "recist": call(r),
            "mrecist": call(m),
        }

    return {
        "criteria": {s.criterion.key: criterion(s.criterion) for s in response.selections},
        "baseline": {
            s.criterion.key: {
                "targets": [c.id for c in s.targets],
                "lesions": [
                    {
                        "id": c.id,
                        "baseline_mm": c.baseline_mm,
                        "target": c.target,
                        "reason": c.reason,
                        "assumed": c.assumed,
                    }
                    for c in s.choices
                ],
                "explanation": s.explanation,
            }
            for s in response.selections
        },
        "assessments": [
            {
                "interval": a.interval,
                "recist": result(a.recist),
                "mrecist": result(a.mrecist),
                "new_lesions": [
                    new_lesion(n, r, m)
                    for n, r, m in zip(
                        a.new_lesions,
                        a.recist.new_lesion_calls,
                        a.mrecist.new_lesion_calls,
                        strict=True,
                    )
                ],
            }
            for a in response.assessments
        ],
    }


def response_text(response: Response) -> str:
    """The response for people: the targets chosen and why, then each time point's sums."""
    lines = ["Tumor response (RECIST 1.1 and mRECIST)"]
    for selection in response.selections:
        lines.append("")
        lines.append(f"{selection.criterion.name} targets: {selection.explanation}")
        for choice in selection.choices:
            lines.append(f"  {choice.id}: {choice.reason}")
    for item in response.assessments:
        lines.append("")
        lines.append(
            f"{item.interval}: {item.recist.criterion.name} {item.recist.summary}, "
            f"{item.mrecist.criterion.name} {item.mrecist.summary}"
        )
        for lesion in item.new_lesions:
            if lesion.site == "extrahepatic":
                where = "extrahepatic"
            else:
                where = ", ".join(segment_names(lesion.segments)) or "segments not stated"
            size = f", {lesion.diameter_mm:g} mm" if lesion.diameter_mm is not None else ""
            label = f" ({lesion.label})" if lesion.label else ""
            name = f" {lesion.id}" if lesion.id else ""
            pattern = f", {_pattern(lesion)}" if lesion.site == "liver" else ""
            judged = (
                ", unequivocal not stated"
                if lesion.unequivocal is None
                else (", marked unequivocal" if lesion.unequivocal else ", marked equivocal")
            )
            lines.append(f"  new lesion{name}: {where}{size}{pattern}{judged}{label}")
        for result in (item.recist, item.mrecist):
            lines.append(f"  {result.criterion.name}:")
            lines += [f"    {line}" for line in result.arithmetic]
    lines.append("")
    recist, mrecist = criteria()
    lines.append(f"Sources: {recist.source}; {mrecist.source}.")
    return "\n".join(lines) + "\n"
