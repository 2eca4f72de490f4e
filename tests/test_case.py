"""Reading case files: every accepted form, and every problem reported at once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from anatomy.case import LOCATION_TEXT, load_case, parse_case, parse_case_text
from anatomy.errors import CaseError
from anatomy.segments import Segment

SEED = Path(__file__).resolve().parents[1] / "data" / "cases" / "khassaf-2025-net.yaml"
MINIMAL = {"vessels": [{"id": "ao", "kind": "aorta"}]}


def problems(document: object) -> list[tuple[str, str]]:
    """(code, location) of every problem in the document."""
    with pytest.raises(CaseError) as caught:
        parse_case(document)
    return [(p.code, p.where()) for p in caught.value.problems]


def with_vessels(*vessels: dict[str, object], **top: object) -> dict[str, object]:
    return {"vessels": [{"id": "ao", "kind": "aorta"}, *vessels], **top}


class TestAccepted:
    def test_tumor_location_terms(self) -> None:
        tumor = {"id": "t1", "segments": [7], "location": ["Bare area", "subcapsular"]}
        case = parse_case({**MINIMAL, "tumors": [tumor]})
        assert case.tumors[0].location == {"bare_area", "subcapsular"}
        alone = parse_case({**MINIMAL, "tumors": [{**tumor, "location": "dome"}]})
        assert alone.tumors[0].location == {"dome"}
        assert (
            parse_case({**MINIMAL, "tumors": [{"id": "t", "segments": [7]}]}).tumors[0].location
            == frozenset()
        )

    def test_seed_case(self) -> None:
        case = load_case(SEED)
        assert case.id == "khassaf-2025-net"
        assert {v.id: v.kind for v in case.vessels}["rrha"] == "right_hepatic"
        assert {v.id: v.status for v in case.vessels}["rrha"] == "replaced"
        assert [t.id for t in case.tumors] == ["t1", "t2"]

    def test_json_and_yaml_give_the_same_case(self) -> None:
        from_yaml = load_case(SEED)
        import yaml

        document = yaml.safe_load(SEED.read_text())
        assert parse_case_text(json.dumps(document)) == from_yaml

    def test_kind_synonyms_and_status_field(self) -> None:
        case = parse_case(
            with_vessels(
                {"id": "ct", "kind": "Celiac Axis", "parent": "ao"},
                {"id": "x", "kind": "right hepatic", "parent": "ct", "status": "accessory"},
            )
        )
        x = case.vessels[-1]
        assert (x.kind, x.status, x.written_kind) == ("right_hepatic", "accessory", "right hepatic")

    def test_segment_spellings(self) -> None:
        case = parse_case(
            with_vessels({"id": "a", "parent": "ao", "supplies": ["S4", 5, "segment 6", "8"]})
        )
        assert case.vessels[-1].supplies == {
            Segment.IVa,
            Segment.IVb,
            Segment.V,
            Segment.VI,
            Segment.VIII,
        }

    def test_numeric_ids_are_ids(self) -> None:
        case = parse_case({"vessels": [{"id": 1, "kind": "aorta"}, {"id": 2, "parent": 1}]})
        assert [v.id for v in case.vessels] == ["1", "2"]

    def test_partial_study_rooted_at_celiac(self) -> None:
        case = parse_case({"vessels": [{"id": "ct", "kind": "celiac"}]})
        assert case.root.id == "ct"


class TestEveryProblemAtOnce:
    def test_a_file_with_many_problems_gets_all_of_them(self) -> None:
        found = problems(
            {
                "format": "hepatic-case/2",
                "patient_name": "x",
                "vessels": [
                    {"id": "ao", "kind": "aorta"},
                    {"id": "ct", "kind": "celiac", "parent": "ao"},
                    {"id": "ct", "kind": "SMA", "parent": "ao"},
                    {"id": "a", "kind": "rigth hepatic", "parent": "ct"},
                    {"id": "b", "parent": "nowhere"},
                    {"id": "c", "parent": "ct", "supplies": ["IX"]},
                    {"id": "d", "parent": "ct", "diameter_mm": -2},
                    {"id": "e", "parent": "ct", "lenght_mm": 3},
                ],
                "tumors": [{"id": "t", "segments": ["X"], "feeders": ["zz"]}],
            }
        )
        codes = {code for code, _ in found}
        assert {
            "invalid_field",
            "unknown_key",
            "duplicate_id",
            "unknown_kind",
            "unknown_parent",
            "bad_segment",
        } <= codes
        assert ("unknown_key", "patient_name") in found
        assert ("unknown_key", "vessels[7].lenght_mm") in found
        assert ("bad_segment", "tumors[0].segments[0]") in found
        assert ("invalid_field", "format") in found
        assert ("invalid_field", "vessels[6].diameter_mm") in found

    def test_a_vessel_with_an_unknown_kind_still_gets_its_tree_problems(self) -> None:
        found = problems(with_vessels({"id": "x", "kind": "RHAX", "parent": "zz"}))
        assert found == [
            ("unknown_kind", "vessels[1].kind"),
            ("unknown_parent", "vessels[1].parent"),
        ]

    def test_a_vessel_failing_the_schema_still_gets_its_tree_problems(self) -> None:
        found = problems(with_vessels({"id": "x", "supplies": ["IX"], "parent": "zz"}))
        assert found == [
            ("unknown_parent", "vessels[1].parent"),
            ("bad_segment", "vessels[1].supplies[0]"),
        ]

    # Issue 11, item 2: a kind typo, a parent that does not exist and a segment IX, all on
    # one vessel, come in one answer (the typo used to show only after the other two).
    THREE = (
        "vessels:\n"
        "  - {id: ao, kind: aorta}\n"
        "  - {id: ct, kind: celiac trunk, parent: ao}\n"
        "  - {id: rha, kind: rigth hepatic, parent: pha, supplies: [V, IX]}\n"
    )

    def test_three_problems_on_one_vessel_come_together(self) -> None:
        with pytest.raises(CaseError) as caught:
            parse_case_text(self.THREE)
        found = [(p.code, p.where(), p.vessel) for p in caught.value.problems]
        assert found == [
            ("unknown_kind", "vessels[2].kind", "rha"),
            ("unknown_parent", "vessels[2].parent", "rha"),
            ("bad_segment", "vessels[2].supplies[1]", "rha"),
        ]

    def test_each_problem_has_its_line_column_and_what_to_write(self) -> None:
        with pytest.raises(CaseError) as caught:
            parse_case_text(self.THREE)
        kind, parent, segment = caught.value.problems
        assert (kind.line, kind.column) == (4, 21)
        assert (parent.line, parent.column) == (4, 44)
        assert (segment.line, segment.column) == (4, 63)
        assert "right hepatic artery (right_hepatic)" in kind.suggestions
        assert segment.segment == "IX"
        assert "line 4, column 21" in str(caught.value)

    def test_a_kind_problem_after_a_schema_problem_of_the_same_vessel(self) -> None:
        found = problems(with_vessels({"id": "x", "kind": "RHAX", "parent": "ao", "length_mm": -1}))
        assert found == [
            ("unknown_kind", "vessels[1].kind"),
            ("invalid_field", "vessels[1].length_mm"),
        ]

    def test_a_tumor_after_a_broken_one_keeps_its_index(self) -> None:
        found = problems(
            {
                **MINIMAL,
                "tumors": [
                    {"id": "t1", "segments": ["IX"], "feeders": ["zz"]},
                    {"id": "t2", "segments": ["V"], "feeders": ["yy"]},
                ],
            }
        )
        assert found == [
            ("unknown_feeder", "tumors[0].feeders[0]"),
            ("bad_segment", "tumors[0].segments[0]"),
            ("unknown_feeder", "tumors[1].feeders[0]"),
        ]

    def test_every_problem_names_vessel_or_field_and_a_fix(self) -> None:
        with pytest.raises(CaseError) as caught:
            parse_case(with_vessels({"id": "x", "kind": "GDAX", "parent": "ao"}))
        (problem,) = caught.value.problems
        assert problem.vessel == "x"
        assert problem.fix
        assert "gastroduodenal" in problem.message  # the closest vocabulary term
        assert "vessel 'x' (vessels[1].kind)" in str(caught.value)


class TestPositions:
    def test_yaml_problems_point_at_line_and_column(self) -> None:
        text = "vessels:\n  - id: ao\n    kind: aorta\n  - id: x\n    parent: ao\n    colour: red\n"
        with pytest.raises(CaseError) as caught:
            parse_case_text(text)
        (problem,) = caught.value.problems
        assert (problem.code, problem.line, problem.column) == ("unknown_key", 6, 5)

    def test_a_missing_field_points_at_its_entry(self) -> None:
        with pytest.raises(CaseError) as caught:
            parse_case_text("vessels:\n  - {id: ao}\n  - {kind: SMA, parent: ao}\n")
        (problem,) = caught.value.problems
        assert (problem.where(), problem.line, problem.column) == ("vessels[1].id", 3, 5)

    def test_json_problems_point_at_line_and_column_too(self) -> None:
        text = '{"vessels": [\n  {"id": "ao"},\n  {"id": "x", "parent": "zz"}\n]}'
        with pytest.raises(CaseError) as caught:
            parse_case_text(text)
        (problem,) = caught.value.problems
        assert (problem.line, problem.column) == (3, 25)

    def test_a_parsed_document_has_no_positions(self) -> None:
        with pytest.raises(CaseError) as caught:
            parse_case(with_vessels({"id": "x", "parent": "zz"}))
        assert caught.value.problems[0].line is None


class TestEachProblem:
    def test_duplicate_id(self) -> None:
        assert ("duplicate_id", "vessels[2].id") in problems(
            with_vessels({"id": "a", "parent": "ao"}, {"id": "a", "parent": "ao"})
        )

    def test_unknown_parent_suggests_close_ids(self) -> None:
        with pytest.raises(CaseError, match="Did you mean 'celiac'"):
            parse_case(
                with_vessels({"id": "celiac", "parent": "ao"}, {"id": "x", "parent": "celac"})
            )

    def test_cycle(self) -> None:
        found = problems(with_vessels({"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}))
        assert ("cycle", "vessels[1].parent") in found

    def test_self_parent(self) -> None:
        assert ("cycle", "vessels[1].parent") in problems(with_vessels({"id": "a", "parent": "a"}))

    def test_no_root(self) -> None:
        found = problems({"vessels": [{"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}]})
        assert ("no_root", "vessels") in found

    def test_several_roots(self) -> None:
        assert ("several_roots", "vessels") in problems(with_vessels({"id": "sma"}))

    def test_unknown_kind(self) -> None:
        assert ("unknown_kind", "vessels[1].kind") in problems(
            with_vessels({"id": "x", "kind": "hepatic thing", "parent": "ao"})
        )

    def test_conflicting_status(self) -> None:
        assert ("conflicting_status", "vessels[1].status") in problems(
            with_vessels({"id": "x", "kind": "rRHA", "status": "accessory", "parent": "ao"})
        )

    @pytest.mark.parametrize("segment", ["IX", "0", "left lobe", "IVc", True])
    def test_bad_segment(self, segment: object) -> None:
        assert ("bad_segment", "vessels[1].supplies[1]") in problems(
            with_vessels({"id": "x", "parent": "ao", "supplies": ["V", segment]})
        )

    def test_a_single_bad_segment_written_without_a_list(self) -> None:
        assert ("bad_segment", "vessels[1].supplies") in problems(
            with_vessels({"id": "x", "parent": "ao", "supplies": "IX"})
        )

    def test_each_bad_segment_is_a_problem_naming_it(self) -> None:
        with pytest.raises(CaseError) as caught:
            parse_case(with_vessels({"id": "x", "parent": "ao", "supplies": ["IX", "V", "9"]}))
        found = [(p.where(), p.segment) for p in caught.value.problems]
        assert found == [("vessels[1].supplies[0]", "IX"), ("vessels[1].supplies[2]", "9")]

    def test_free_text_is_not_taken_for_a_segment(self) -> None:
        with pytest.raises(CaseError) as caught:
            parse_case(with_vessels({"id": "x", "parent": "ao", "supplies": ["left lobe"]}))
        assert caught.value.problems[0].segment is None

    @pytest.mark.parametrize("number", [0, -1, "4 mm", True, float("nan"), float("inf")])
    def test_bad_number(self, number: object) -> None:
        found = problems(with_vessels({"id": "x", "parent": "ao", "diameter_mm": number}))
        assert ("invalid_field", "vessels[1].diameter_mm") in found

    def test_unknown_key(self) -> None:
        assert ("unknown_key", "vessels[1].colour") in problems(
            with_vessels({"id": "x", "parent": "ao", "colour": "red"})
        )

    def test_patient_identifiers_have_no_field(self) -> None:
        for key in ("name", "mrn", "date_of_birth", "patient"):
            assert ("unknown_key", key) in problems({**MINIMAL, key: "x"})

    def test_wrong_format(self) -> None:
        assert ("invalid_field", "format") in problems({**MINIMAL, "format": "other/1"})

    def test_bad_slug(self) -> None:
        assert ("invalid_field", "vessels[1].id") in problems(
            with_vessels({"id": "Right Hepatic", "parent": "ao"})
        )

    def test_no_vessels(self) -> None:
        assert ("invalid_field", "vessels") in problems({"vessels": []})
        assert ("invalid_field", "vessels") in problems({"title": "x"})

    def test_tumor_on_bad_segment(self) -> None:
        assert ("bad_segment", "tumors[0].segments[0]") in problems(
            {**MINIMAL, "tumors": [{"id": "t", "segments": ["segment 9"]}]}
        )

    def test_tumor_without_segments(self) -> None:
        assert ("bad_segment", "tumors[0].segments") in problems(
            {**MINIMAL, "tumors": [{"id": "t", "segments": []}]}
        )

    def test_tumor_feeder_not_a_vessel(self) -> None:
        found = problems({**MINIMAL, "tumors": [{"id": "t", "segments": [7], "feeders": ["ripa"]}]})
        assert ("unknown_feeder", "tumors[0].feeders[0]") in found

    def test_duplicate_tumor(self) -> None:
        found = problems(
            {**MINIMAL, "tumors": [{"id": "t", "segments": [7]}, {"id": "t", "segments": [8]}]}
        )
        assert ("duplicate_id", "tumors[1].id") in found

    def test_not_a_mapping(self) -> None:
        assert problems(["ao"]) == [("wrong_type", "(file)")]

    def test_enhancing_diameter_larger_than_the_tumor(self) -> None:
        # The enhancing (viable) part lies inside the lesion (mRECIST, anatomy-facts §9.2).
        tumor = {"id": "t1", "segments": [4], "diameter_mm": 40, "enhancing_diameter_mm": 45}
        with pytest.raises(CaseError) as caught:
            parse_case({**MINIMAL, "tumors": [tumor]})
        (problem,) = caught.value.problems
        assert (problem.code, problem.where()) == (
            "enhancing_exceeds_diameter",
            "tumors[0].enhancing_diameter_mm",
        )
        assert "tumor 't1'" in problem.message
        assert "`enhancing_diameter_mm` (45 mm)" in problem.message
        assert "`diameter_mm` (40 mm)" in problem.message
        equal = {**tumor, "enhancing_diameter_mm": 40}
        assert parse_case({**MINIMAL, "tumors": [equal]}).tumors[0].enhancing_diameter_mm == 40

    @pytest.mark.parametrize(
        ("text", "read"),
        [
            ("bare_AREA", True),
            (" Dome ", True),
            ("gallbladder - bed", True),
            ("dome\n", False),
            ("domes", False),
            ("bare__area_", False),
            ("7", False),
        ],
    )
    def test_location_terms_read_as_the_api_schema_says(self, text: str, read: bool) -> None:
        # api/openapi.py publishes LOCATION_TEXT as the pattern: the reader agrees with it.
        assert (re.fullmatch(LOCATION_TEXT, text) is not None) == read
        tumor = {"id": "t1", "segments": [4], "location": [text]}
        if read:
            assert parse_case({**MINIMAL, "tumors": [tumor]}).tumors[0].location
        else:
            # A line break is refused as the control character it is in one-line text.
            with pytest.raises(CaseError, match=r"is not a location term|control character"):
                parse_case({**MINIMAL, "tumors": [tumor]})

    def test_unknown_location_term(self) -> None:
        tumor = {"id": "t1", "segments": [4], "location": ["anterior", "under the ribs"]}
        with pytest.raises(CaseError, match="'under the ribs' is not a location term") as caught:
            parse_case({**MINIMAL, "tumors": [tumor]})
        assert [p.where() for p in caught.value.problems] == ["tumors[0].location"]


class TestUnreadable:
    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(CaseError, match="cannot read the file"):
            load_case(tmp_path / "nope.yaml")

    def test_bad_yaml_names_line(self) -> None:
        with pytest.raises(CaseError, match=r"not valid YAML.*line \d, column \d"):
            parse_case_text("vessels:\n  - {id: ao, kind: [aorta\n")

    def test_bad_json_names_line(self) -> None:
        with pytest.raises(CaseError, match=r"not valid JSON.*line 1"):
            parse_case_text('{"vessels": [}')

    def test_not_utf8(self) -> None:
        with pytest.raises(CaseError, match="not UTF-8"):
            parse_case_text(b"\xff\xfe\x00v")

    def test_empty_file(self) -> None:
        with pytest.raises(CaseError, match=r"mapping"):
            parse_case_text("")


class TestControlCharacters:
    """Issue 16: a control character is refused at validation, naming its field, so it
    never reaches a diagram or a report."""

    @pytest.mark.parametrize(
        ("document", "where"),
        [
            (with_vessels(title="a\x01b"), "title"),
            (with_vessels({"id": "x", "parent": "ao", "label": "see\x07"}), "vessels[1].label"),
            (with_vessels({"id": "x", "parent": "ao", "kind": "RHA\x85"}), "vessels[1].kind"),
            (with_vessels({"id": "x\x1b", "parent": "ao"}), "vessels[1].id"),
            (with_vessels({"id": "x", "parent": "ao\x00"}), "vessels[1].parent"),
            (with_vessels({"id": "x", "parent": "ao", "label": "two\nlines"}), "vessels[1].label"),
            (with_vessels(notes="bell \x07"), "notes"),
            (with_vessels(teaching={"question": ["ok", "x\x7f"]}), "teaching.question[1]"),
            (
                with_vessels(tumors=[{"id": "t", "segments": [5], "label": "\x9b31m"}]),
                "tumors[0].label",
            ),
            (
                with_vessels(tumors=[{"id": "t", "segments": [5], "feeders": ["a\tb"]}]),
                "tumors[0].feeders[0]",
            ),
        ],
    )
    def test_refused_naming_the_field_and_the_character(
        self, document: dict[str, object], where: str
    ) -> None:
        with pytest.raises(CaseError) as caught:
            parse_case(document)
        (found,) = [p for p in caught.value.problems if p.code == "control_character"]
        assert found.where() == where
        assert re.search(r"U\+00[0-9A-F]{2}", found.fix)

    def test_running_text_keeps_its_lines_and_tabs(self) -> None:
        case = parse_case(with_vessels(notes="first line\n\tsecond line\r\n", source="a\nb"))
        assert case.notes == "first line\n\tsecond line\r\n"

    def test_no_message_prints_a_control_character(self) -> None:
        document = with_vessels({"id": "x\x07", "parent": "ao", "k\x1by": 1})
        with pytest.raises(CaseError) as caught:
            parse_case(document)
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", str(caught.value))


class TestSuggestionsAreBounded:
    """Issue 16: thousands of unknown parents, feeders or kinds are every one reported, a
    few of them with suggestions (tests/test_suggestions.py checks their quality)."""

    N = 8000

    def test_unknown_parents(self) -> None:
        # Each parent is a near miss of other vessels' ids: suggestions are there to find.
        vessels = [{"id": f"branch-{i}", "parent": f"branch-{i}a"} for i in range(self.N)]
        with pytest.raises(CaseError) as caught:
            parse_case(with_vessels(*vessels))
        found = [p for p in caught.value.problems if p.code == "unknown_parent"]
        assert len(found) == self.N
        assert 0 < sum(1 for p in found if p.suggestions) <= 20

    def test_unknown_feeders_and_kinds_share_the_budget(self) -> None:
        vessels = [{"id": f"x{i}", "parent": "ao", "kind": f"rigth hepatic {i}"} for i in range(50)]
        tumor = {"id": "t", "segments": [5], "feeders": [f"y{i}" for i in range(50)]}
        with pytest.raises(CaseError) as caught:
            parse_case(with_vessels(*vessels, tumors=[tumor]))
        codes = [p.code for p in caught.value.problems]
        assert codes.count("unknown_kind") == 50 and codes.count("unknown_feeder") == 50
        assert 0 < sum(1 for p in caught.value.problems if p.suggestions) <= 20
