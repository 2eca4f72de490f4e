"""Response assessment: RECIST 1.1 (Eisenhauer 2009, S40) and mRECIST (Lencioni & Llovet
2010, S42), thresholds from anatomy-facts §9; the seed's 85 -> 40 mm is -52.9 %, PR."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from anatomy.case import Tumor
from anatomy.cli.main import main
from anatomy.errors import FollowUpError, ReferenceDataError
from anatomy.output.documents import dumps
from anatomy.reference.datafiles import data_dir, validated
from anatomy.response.assess import (
    Response,
    _CriteriaIn,
    assess,
    criteria,
    load_followup,
    new_lesion_evidence,
    parse_followup,
    response_dict,
    response_text,
)
from anatomy.segments import parse_segment


def lesion(
    tumor_id: str, diameter: float | None, enhancing: float | None = None, segment: str = "VII"
) -> Tumor:
    return Tumor(
        tumor_id, parse_segment(segment), diameter_mm=diameter, enhancing_diameter_mm=enhancing
    )


def run(baseline: tuple[Tumor, ...], *assessments: dict[str, Any]) -> Response:
    return assess(baseline, parse_followup({"assessments": list(assessments)}, baseline))


def at(interval: str, *measured: tuple[Any, ...], **extra: Any) -> dict[str, Any]:
    lesions = []
    for item in measured:
        entry: dict[str, Any] = {"id": item[0], "diameter_mm": item[1]}
        if len(item) > 2:
            entry["enhancing_diameter_mm"] = item[2]
        lesions.append(entry)
    return {"interval": interval, "lesions": lesions, **extra}


SEED = (lesion("t1", 85, segment="IV"),)


class TestSeed:
    def test_85_to_40_mm_is_a_partial_response(self) -> None:
        result = run(SEED, at("after TACE 1", ("t1", 40))).assessments[0]
        assert result.recist.category == "PR"
        assert f"{float(result.recist.change_vs_baseline_pct or 0):.1f}" == "-52.9"
        assert any("(40 - 85) / 85 = -52.9 %" in line for line in result.recist.arithmetic)

    def test_mrecist_needs_the_enhancing_diameter_at_follow_up(self) -> None:
        result = run(SEED, at("after TACE 1", ("t1", 40))).assessments[0]
        assert result.mrecist.category == "NE"
        assert any("enhancing_diameter_mm" in line for line in result.mrecist.arithmetic)
        with_enhancing = run(SEED, at("after TACE 1", ("t1", 40, 40))).assessments[0]
        assert with_enhancing.mrecist.category == "PR"

    def test_baseline_enhancing_diameter_is_assumed_and_said(self) -> None:
        response = run(SEED, at("w6", ("t1", 40, 40)))
        (choice,) = response.selections[1].choices
        assert choice.assumed and "taken as viable" in choice.reason


class TestThresholds:
    def test_exactly_minus_30_percent_is_partial_response(self) -> None:
        # 50 -> 35 mm: (35 - 50) / 50 is exactly -30 %; floating point says -29.999...
        result = run((lesion("t1", 50, 50),), at("w6", ("t1", 35, 35))).assessments[0]
        assert result.recist.category == "PR" and result.mrecist.category == "PR"
        assert result.recist.change_vs_baseline_pct == -30

    def test_just_above_minus_30_percent_is_stable(self) -> None:
        result = run((lesion("t1", 50, 50),), at("w6", ("t1", 35.1, 35.1))).assessments[0]
        assert result.recist.category == "SD"

    def test_plus_20_percent_under_5_mm_is_sd_by_recist_pd_by_mrecist(self) -> None:
        # 20 -> 24 mm: +20 % but only +4 mm: RECIST's 5 mm clause keeps it SD.
        result = run((lesion("t1", 20, 20),), at("w6", ("t1", 24, 24))).assessments[0]
        assert result.recist.category == "SD"
        assert result.mrecist.category == "PD"
        assert result.recist.increase_vs_nadir_mm == 4

    def test_plus_20_percent_and_5_mm_is_pd(self) -> None:
        result = run((lesion("t1", 25, 25),), at("w6", ("t1", 30, 30))).assessments[0]
        assert result.recist.category == "PD" and result.mrecist.category == "PD"

    def test_progression_is_measured_from_the_nadir(self) -> None:
        response = run(
            (lesion("t1", 100, 100),), at("w6", ("t1", 50, 50)), at("w12", ("t1", 61, 61))
        )
        second = response.assessments[1].recist
        # +22 % vs the 50 mm nadir, +11 mm, though still -39 % vs baseline.
        assert second.nadir_sum_mm == 50 and second.nadir_interval == "w6"
        assert second.category == "PD"

    def test_unequivocal_new_lesion_with_the_typical_pattern_is_progression(self) -> None:
        new = {
            "segments": ["VI"],
            "diameter_mm": 12,
            "arterial_enhancement": True,
            "washout": True,
            "unequivocal": True,
        }
        result = run(SEED, at("w6", ("t1", 40, 40), new_lesions=[new]))
        item = result.assessments[0]
        assert item.recist.category == item.mrecist.category == "PD"
        assert "new lesion: VI, 12 mm" in response_text(result)

    def test_complete_response(self) -> None:
        result = run(SEED, at("w6", ("t1", 0, 0))).assessments[0]
        assert result.recist.category == "CR" and result.mrecist.category == "CR"

    def test_mrecist_cr_is_loss_of_enhancement(self) -> None:
        result = run(SEED, at("w6", ("t1", 30, 0))).assessments[0]
        assert result.recist.category == "PR" and result.mrecist.category == "CR"

    def test_targets_gone_but_non_targets_persist_is_pr(self) -> None:
        baseline = (lesion("t1", 40, 40), lesion("t2", 8, 8, "II"))
        result = run(baseline, at("w6", ("t1", 0, 0), non_target="present")).assessments[0]
        assert result.recist.category == "PR"

    def test_unequivocal_non_target_progression_is_pd(self) -> None:
        baseline = (lesion("t1", 40, 40), lesion("t2", 8, 8, "II"))
        result = run(
            baseline, at("w6", ("t1", 30, 30), non_target="unequivocal_progression")
        ).assessments[0]
        assert result.recist.category == "PD"

    def test_a_target_not_measured_is_not_evaluable(self) -> None:
        baseline = (lesion("t1", 40, 40), lesion("t2", 30, 30, "II"))
        result = run(baseline, at("w6", ("t1", 20, 20))).assessments[0]
        assert result.recist.category == "NE"


def new_lesion(size: float | None, *, segment: str = "VI", **fields: Any) -> dict[str, Any]:
    return {"segments": [segment], "diameter_mm": size, **fields}


def judged(*assessments: dict[str, Any]) -> Response:
    """The seed (85 mm, fully viable) with the target at 40 mm at every time point."""
    return run(SEED, *assessments)


def week(interval: str, *new_lesions: dict[str, Any]) -> dict[str, Any]:
    return at(interval, ("t1", 40, 40), new_lesions=list(new_lesions))


class TestNewLesions:
    """A new lesion means PD only when unequivocal; under mRECIST a new liver lesion only at
    >= 10 mm with arterial enhancement and washout, or after >= 10 mm growth (Lencioni &
    Llovet 2010, S42; Llovet 2008 panel, S78; anatomy-facts §9.2). RECIST 1.1: an equivocal
    new lesion is followed, and a confirmed one dates progression from its first scan (S40).
    """

    def test_a_7_mm_enhancing_focus_without_washout_is_equivocal_under_both(self) -> None:
        # Issue 10, item 8: it made both criteria "PD".
        focus = new_lesion(7, arterial_enhancement=True, washout=False)
        item = judged(week("week 6", focus)).assessments[0]
        for result in (item.recist, item.mrecist):
            assert result.category == "PR"  # the target still went 85 -> 40 mm
            assert result.summary == "PR (equivocal new lesion: follow up)"
            assert not result.counted and len(result.equivocal) == 1
            rule = f"rule ({result.criterion.name}): {result.criterion.new_lesion.rule}"
            assert any(line.startswith(rule) for line in result.arithmetic)
        (call,) = item.mrecist.new_lesion_calls
        assert "7 mm < 10 mm" in call.reason and "no washout" in call.reason

    def test_marked_unequivocal_counts_for_recist_but_not_for_mrecist(self) -> None:
        focus = new_lesion(7, arterial_enhancement=True, washout=False, unequivocal=True)
        item = judged(week("week 6", focus)).assessments[0]
        assert item.recist.category == "PD"
        assert item.mrecist.category == "PR" and item.mrecist.equivocal
        assert "counts a new liver lesion only by the typical pattern" in (
            item.mrecist.new_lesion_calls[0].reason
        )

    def test_the_typical_pattern_at_10_mm_is_progression_under_both(self) -> None:
        typical = new_lesion(10, arterial_enhancement=True, washout=True)
        item = judged(week("week 6", typical)).assessments[0]
        assert item.recist.category == item.mrecist.category == "PD"
        # Not marked: the typical pattern stands in for RECIST's "unequivocal", and says so.
        assert "`unequivocal` not stated, but 10 mm >= 10 mm" in item.recist.counted[0].reason

    def test_just_under_10_mm_with_the_typical_pattern_is_equivocal(self) -> None:
        small = new_lesion(9.9, arterial_enhancement=True, washout=True)
        item = judged(week("week 6", small)).assessments[0]
        assert item.mrecist.category != "PD" and item.recist.category != "PD"

    def test_growth_of_10_mm_confirms_it_and_dates_progression_from_first_seen(self) -> None:
        first = new_lesion(7, id="n1", arterial_enhancement=True, washout=False)
        later = {**first, "diameter_mm": 17}
        response = judged(week("week 6", first), week("week 12", later))
        six, twelve = response.assessments
        for criterion in ("recist", "mrecist"):
            before, after = getattr(six, criterion), getattr(twelve, criterion)
            assert before.category == "PR" and before.equivocal[0].confirmed_at == "week 12"
            assert after.category == "PD" and after.progression_dated_from == "week 6"
            assert after.summary == "PD (dated from week 6)"
            assert after.counted[0].growth_mm == 10
        assert "grew from 7 mm (week 6) to 17 mm, +10 mm >= +10 mm" in (
            twelve.mrecist.counted[0].reason
        )

    def test_growth_under_10_mm_without_the_pattern_stays_equivocal(self) -> None:
        first = new_lesion(7, id="n1", arterial_enhancement=True, washout=False)
        response = judged(week("week 6", first), week("week 12", {**first, "diameter_mm": 16.9}))
        later = response.assessments[1].mrecist
        assert later.category == "PR" and "+9.9 mm < +10 mm" in later.equivocal[0].reason

    def test_reaching_10_mm_with_the_typical_pattern_confirms_it(self) -> None:
        first = new_lesion(7, id="n1", arterial_enhancement=True, washout=False)
        grown = {**first, "diameter_mm": 11, "washout": True}
        response = judged(week("week 6", first), week("week 12", grown))
        assert response.assessments[1].mrecist.category == "PD"
        assert response.assessments[1].mrecist.progression_dated_from == "week 6"

    def test_the_reader_marking_it_equivocal_is_respected_and_checked(self) -> None:
        typical = new_lesion(15, arterial_enhancement=True, washout=True, unequivocal=False)
        item = judged(week("week 6", typical)).assessments[0]
        assert item.recist.category == item.mrecist.category == "PR"
        assert "check the mark" in item.mrecist.equivocal[0].reason

    def test_an_extrahepatic_lesion_counts_when_unequivocal(self) -> None:
        lung = {"site": "extrahepatic", "diameter_mm": 8, "label": "lung nodule"}
        unsure = judged(week("week 6", lung)).assessments[0]
        assert unsure.recist.category == unsure.mrecist.category == "PR"
        sure = judged(week("week 6", {**lung, "unequivocal": True})).assessments[0]
        assert sure.recist.category == sure.mrecist.category == "PD"

    def test_an_unqualified_new_lesion_is_asked_about_never_silently_pd(self) -> None:
        # What a hepatic-followup/1 file written before these fields gives.
        response = judged(week("week 6", {"segments": ["VI"], "diameter_mm": 12}))
        item = response.assessments[0]
        assert item.recist.category == item.mrecist.category == "PR"
        assert "unequivocal? not stated" in item.recist.equivocal[0].reason
        text = response_text(response)
        assert "week 6: RECIST 1.1 PR (equivocal new lesion: follow up)" in text
        assert "write `unequivocal: true` if it is unequivocally new" in text

    def test_cr_with_an_equivocal_new_lesion_says_what_it_depends_on(self) -> None:
        focus = new_lesion(6, arterial_enhancement=True, washout=False)
        item = run(SEED, at("w6", ("t1", 0, 0), new_lesions=[focus])).assessments[0]
        assert item.recist.category == "CR"
        assert any("proves not to be tumor" in line for line in item.recist.arithmetic)

    def test_json_says_what_each_criterion_made_of_each_new_lesion(self) -> None:
        first = new_lesion(7, id="n1", arterial_enhancement=True, washout=False)
        document = response_dict(
            judged(week("week 6", first), week("week 12", {**first, "diameter_mm": 19}))
        )
        six, twelve = document["assessments"]
        (entry,) = six["new_lesions"]
        assert entry["id"] == "n1" and entry["first_seen"] == "week 6"
        assert (entry["arterial_enhancement"], entry["washout"], entry["unequivocal"]) == (
            True,
            False,
            None,
        )
        assert entry["mrecist"] == {
            "status": "equivocal",
            "reason": entry["mrecist"]["reason"],
            "confirmed_at": "week 12",
        }
        assert six["mrecist"]["new_lesions_equivocal"] == 1
        assert six["mrecist"]["summary"] == "PR (equivocal new lesion: follow up)"
        assert twelve["new_lesions"][0]["growth_mm"] == 12
        assert twelve["recist"]["new_lesions_counted"] == 1
        assert twelve["recist"]["progression_dated_from"] == "week 6"


class TestTargetSelection:
    def test_at_most_two_per_organ_the_largest(self) -> None:
        baseline = tuple(
            lesion(f"t{i}", size) for i, size in enumerate((12, 60, 9, 33, 45, 20, 18), start=1)
        )
        response = run(baseline, at("w6", ("t2", 30), ("t5", 20)))
        recist = response.selections[0]
        assert [c.id for c in recist.targets] == ["t2", "t5"]
        reasons = {c.id: c.reason for c in recist.choices}
        assert "not measurable, 9 mm < 10 mm" in reasons["t3"]
        assert "at most 2 per organ" in reasons["t4"]
        assert "at most 5 in all and 2 per organ" in recist.explanation
        assert response.assessments[0].recist.category == "PR"  # 105 -> 50 mm

    def test_ties_are_broken_by_id(self) -> None:
        baseline = (lesion("b", 30), lesion("a", 30), lesion("c", 30))
        response = run(baseline, at("w6", ("a", 30), ("b", 30)))
        assert sorted(c.id for c in response.selections[0].targets) == ["a", "b"]

    def test_nothing_measurable(self) -> None:
        baseline = (lesion("t1", 8), lesion("t2", None, segment="II"))
        result = run(baseline, at("w6", ("t1", 5), non_target="present")).assessments[0]
        assert result.recist.category == "non-CR/non-PD"
        gone = run(baseline, at("w6", non_target="absent")).assessments[0]
        assert gone.recist.category == "CR"


class TestFollowUpFile:
    def test_unknown_tumor_and_bad_number_name_the_field_and_fix(self) -> None:
        document = {
            "assessments": [
                {
                    "interval": "week 6",
                    "lesions": [
                        {"id": "t1", "diameter_mm": "forty"},
                        {"id": "t9", "diameter_mm": 3},
                    ],
                }
            ]
        }
        with pytest.raises(FollowUpError, match="follow-up file") as caught:
            parse_followup(document, SEED)
        where = {p.where(): p for p in caught.value.problems}
        assert "use one of the case's tumor ids (t1)" in where["assessments[0].lesions[1].id"].fix
        assert "bad number" in where["assessments[0].lesions[0].diameter_mm"].message

    @pytest.mark.parametrize("interval", ["2025-03-01", "1/3/25", "12 March"])
    def test_dates_are_refused(self, interval: str) -> None:
        with pytest.raises(FollowUpError, match="interval label"):
            parse_followup({"assessments": [{"interval": interval}]}, SEED)

    def test_a_yaml_date_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "f.yaml"
        path.write_text("assessments:\n  - interval: 2025-03-01\n")
        with pytest.raises(FollowUpError, match="a date is not allowed"):
            load_followup(path, SEED)

    def test_identifiers_have_no_field(self) -> None:
        with pytest.raises(FollowUpError, match="unknown key 'patient_name'"):
            parse_followup({"patient_name": "x", "assessments": [{"interval": "w6"}]}, SEED)

    def test_duplicates(self) -> None:
        document = {"assessments": [at("w6", ("t1", 40), ("t1", 41)), at("w6")]}
        with pytest.raises(FollowUpError) as caught:
            parse_followup(document, SEED)
        assert {p.code for p in caught.value.problems} == {"duplicate_id", "duplicate_interval"}

    def test_enhancing_larger_than_the_lesion_names_both_fields(self) -> None:
        document = {"assessments": [at("week 6", ("t1", 40, 45))]}
        with pytest.raises(FollowUpError) as caught:
            parse_followup(document, SEED)
        (problem,) = caught.value.problems
        assert problem.code == "enhancing_exceeds_diameter"
        assert problem.where() == "assessments[0].lesions[0].enhancing_diameter_mm"
        assert "tumor 't1'" in problem.message
        assert "`enhancing_diameter_mm` (45 mm)" in problem.message
        assert "`diameter_mm` (40 mm)" in problem.message

    def test_new_lesion_fields_are_checked(self) -> None:
        document = {
            "assessments": [
                {
                    "interval": "week 6",
                    "new_lesions": [
                        {"id": "t1", "diameter_mm": 12},
                        {"id": "n1", "washout": "maybe"},
                        {"site": "extrahepatic", "segments": ["VI"]},
                    ],
                }
            ]
        }
        with pytest.raises(FollowUpError) as caught:
            parse_followup(document, SEED)
        where = {p.where(): p for p in caught.value.problems}
        assert where["assessments[0].new_lesions[0].id"].code == "baseline_tumor_as_new"
        assert "write true or false" in where["assessments[0].new_lesions[1].washout"].fix
        assert where["assessments[0].new_lesions[2].segments"].code == "extrahepatic_with_segments"

    def test_a_new_lesion_listed_twice_at_one_time_point(self) -> None:
        twice = week("week 6", new_lesion(7, id="n1"), new_lesion(8, id="n1"))
        with pytest.raises(FollowUpError) as caught:
            parse_followup({"assessments": [twice]}, SEED)
        assert [p.code for p in caught.value.problems] == ["duplicate_id"]

    def test_syntax_error_is_clean(self, tmp_path: Path) -> None:
        path = tmp_path / "f.yaml"
        path.write_text("assessments: [\n")
        with pytest.raises(FollowUpError, match="not valid YAML"):
            load_followup(path, SEED)


class TestOutput:
    def test_json_is_deterministic(self) -> None:
        response = run(SEED, at("w6", ("t1", 40, 40)))
        text = dumps(response_dict(response))
        assert text == dumps(response_dict(run(SEED, at("w6", ("t1", 40, 40)))))
        document = json.loads(text)
        assert document["assessments"][0]["recist"]["category"] == "PR"
        assert document["assessments"][0]["recist"]["change_vs_baseline_pct"] == -52.9
        assert document["baseline"]["recist"]["targets"] == ["t1"]

    def test_cli(self, tmp_path: Path) -> None:
        case = tmp_path / "case.yaml"
        case.write_text(
            "id: seed\nvessels: [{id: ao, kind: aorta}]\n"
            "tumors: [{id: t1, segments: [IV], diameter_mm: 85}]\n"
        )
        follow = tmp_path / "follow.yaml"
        follow.write_text(
            "format: hepatic-followup/1\ncase: seed\nassessments:\n"
            "  - {interval: week 6, lesions: [{id: t1, diameter_mm: 40}]}\n"
        )
        runner = CliRunner()
        result = runner.invoke(main, ["response", str(case), str(follow)])
        assert result.exit_code == 0 and "RECIST 1.1 PR" in result.stdout
        result = runner.invoke(main, ["response", str(case), str(follow), "--json"])
        assert json.loads(result.stdout)["response"]["assessments"][0]["recist"]["category"] == "PR"
        follow.write_text("case: other\nassessments: [{interval: w6}]\n")
        result = runner.invoke(main, ["response", str(case), str(follow)])
        assert result.exit_code == 2 and "Traceback" not in result.stderr
        assert "the baseline is 'seed'" in result.stderr


class TestCriteriaData:
    """The thresholds are reference data (data/response_criteria.yaml), not code."""

    def test_the_rules_read_from_the_file(self) -> None:
        recist, mrecist = criteria()
        assert (recist.response_pct, recist.progression_pct, recist.progression_mm) == (-30, 20, 5)
        assert (mrecist.measures, mrecist.progression_mm) == ("enhancing", None)
        assert (recist.max_targets, recist.max_per_organ, recist.measurable_mm) == (5, 2, 10)

    def test_the_new_lesion_rules_read_from_the_file(self) -> None:
        recist, mrecist = criteria()
        assert (recist.new_lesion.liver, mrecist.new_lesion.liver) == (
            "reader",
            "typical_or_growth",
        )
        evidence = new_lesion_evidence()
        assert (evidence.typical_min_mm, evidence.growth_mm) == (10, 10)
        assert "S42" in mrecist.new_lesion.source and "S40" in recist.new_lesion.source

    def test_a_malformed_file_is_refused_naming_it_and_the_field(self) -> None:
        raw = yaml.safe_load((data_dir() / "response_criteria.yaml").read_text(encoding="utf-8"))
        raw["criteria"]["recist"]["response_pct"] = 30  # a response must be a decrease
        with pytest.raises(
            ReferenceDataError, match=r"(?s)response_criteria\.yaml.*recist\.response_pct"
        ):
            validated(_CriteriaIn, raw, "response_criteria.yaml")
