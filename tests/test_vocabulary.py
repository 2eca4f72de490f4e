"""The vocabulary: every kind reachable by every written form; status words; codes."""

from __future__ import annotations

from typing import Any

import pytest

from anatomy.reference.datafiles import load_yaml
from anatomy.reference.vocabulary import (
    TermError,
    all_kinds,
    kind,
    lookup,
    normalize,
    suggest,
    word_source,
)

KINDS = all_kinds()


class TestLookup:
    @pytest.mark.parametrize("entry", KINDS, ids=lambda k: k.name)
    def test_every_written_form_finds_its_kind(self, entry: object) -> None:
        from anatomy.reference.vocabulary import Kind

        assert isinstance(entry, Kind)
        for term in (entry.name, entry.label, *entry.abbreviations, *entry.synonyms):
            assert lookup(term).kind is entry, term
            assert lookup(term.upper()).kind is entry, term

    @pytest.mark.parametrize(
        ("term", "name", "status"),
        [
            ("rRHA", "right_hepatic", "replaced"),
            ("aLHA", "left_hepatic", "accessory"),
            ("replaced RHA", "right_hepatic", "replaced"),
            ("accessory left hepatic artery", "left_hepatic", "accessory"),
            ("Replaced right hepatic artery", "right_hepatic", "replaced"),
            ("aberrant RHA", "right_hepatic", None),
            ("right_hepatic", "right_hepatic", None),
            ("celiac trunk", "celiac_trunk", None),
            ("coeliac trunk", "celiac_trunk", None),
            ("SMA", "superior_mesenteric", None),
            ("A4", "middle_hepatic", None),
            ("segment IV artery", "middle_hepatic", None),
            ("aLGA", "accessory_left_gastric", None),
            ("RIPA", "right_inferior_phrenic", None),
        ],
    )
    def test_status_words_set_kind_and_status(
        self, term: str, name: str, status: str | None
    ) -> None:
        found = lookup(term)
        assert (found.kind.name, found.status) == (name, status)

    def test_status_words_only_before_kinds_that_take_them(self) -> None:
        with pytest.raises(TermError, match="'replaced' does not apply to the superior mes") as e:
            lookup("replaced SMA")
        assert e.value.code == "status_not_applicable"

    def test_unknown_term_names_the_closest(self) -> None:
        with pytest.raises(ValueError, match=r"rigth hepatic.*Closest.*right_hepatic"):
            lookup("rigth hepatic")

    def test_suggest_returns_canonical_names(self) -> None:
        assert any("gastroduodenal" in s for s in suggest("gastroduodenl"))


def read(term: str) -> tuple[str, str | None, str | None]:
    found = lookup(term)
    return found.kind.name, found.side, found.status


def refused(term: str) -> TermError:
    with pytest.raises(TermError) as caught:
        lookup(term)
    return caught.value


class TestReading:
    """Issue 11, item 1: terms are parsed (status, side, segment, name), in any order."""

    @pytest.mark.parametrize(
        "term",
        [
            "right accessory hepatic artery",
            "accessory right hepatic artery",
            "Right Accessory Hepatic Artery",
            "hepatic artery, right, accessory",
            "right hepatic artery (accessory)",
            "additional right hepatic artery",
            "accessory RHA",
            "Acc. RHA",
            "aRHA",
            # a status before a synonym whose own words hold the side (Latin names)
            "accessory arteria hepatica dextra",
            "ACCESSORY Arteria Hepatica Dextra",
        ],
    )
    def test_status_and_side_in_any_order(self, term: str) -> None:
        assert read(term) == ("right_hepatic", "right", "accessory")

    @pytest.mark.parametrize(
        "term", ["replaced RHA", "Repl. RHA", "Repl.RHA", "rRHA", "replaced RHA (rRHA)"]
    )
    def test_replaced_and_its_abbreviations(self, term: str) -> None:
        assert read(term) == ("right_hepatic", "right", "replaced")

    @pytest.mark.parametrize(
        "term",
        ["replaced common hepatic artery", "Replaced CHA", "common hepatic artery, replaced"],
    )
    def test_replaced_common_hepatic_artery(self, term: str) -> None:
        # a CHA whose origin is not the celiac trunk (Michels IX/X; Omotehara 2021)
        assert read(term) == ("common_hepatic", None, "replaced")

    def test_an_accessory_common_hepatic_artery_is_not_read(self) -> None:
        error = refused("accessory common hepatic artery")
        assert error.code == "status_not_applicable"
        assert "takes only 'replaced'" in str(error)

    @pytest.mark.parametrize(
        ("term", "expected"),
        [
            ("right renal capsular artery", ("renal_capsular", "right", None)),
            ("renal capsular artery, left", ("renal_capsular", "left", None)),
            ("left inferior phrenic artery", ("left_inferior_phrenic", "left", None)),
            ("inferior phrenic artery, right", ("right_inferior_phrenic", "right", None)),
            ("accessory left renal artery", ("renal", "left", "accessory")),
            ("right intercostal artery", ("intercostal", "right", None)),
            ("Rt. internal thoracic artery", ("internal_thoracic", "right", None)),
            ("gastric artery, right", ("right_gastric", "right", None)),
            ("caudate artery, left", ("left_caudate_artery", "left", None)),
        ],
    )
    def test_sided_forms_of_paired_and_sided_arteries(
        self, term: str, expected: tuple[str, str | None, str | None]
    ) -> None:
        assert read(term) == expected

    @pytest.mark.parametrize(("term", "side"), [("right SMA", "right"), ("left RHA", "left")])
    def test_a_side_the_artery_does_not_have_is_refused(self, term: str, side: str) -> None:
        error = refused(term)
        assert error.code == "side_not_applicable"
        assert side in str(error)

    @pytest.mark.parametrize(
        ("term", "name"),
        [
            ("segment 6 artery", "segment_6_artery"),
            ("artery to segment VI", "segment_6_artery"),
            ("S6 branch", "segment_6_artery"),
            ("segment VI hepatic artery", "segment_6_artery"),
            ("seg. 6 artery", "segment_6_artery"),
            ("S4 artery", "middle_hepatic"),
            ("artery to segment 4a", "segment_4a_artery"),
            ("artery of segment I", "caudate_artery"),
            ("right anterior section artery", "right_anterior_sectoral"),
            ("right posterior sector artery", "right_posterior_sectoral"),
            ("accessory right posterior hepatic artery", "right_posterior_sectoral"),
        ],
    )
    def test_sectors_and_segments(self, term: str, name: str) -> None:
        assert lookup(term).kind.name == name

    @pytest.mark.parametrize(
        ("term", "choices"),
        [
            (
                "hepatic artery",
                {
                    "common_hepatic",
                    "proper_hepatic",
                    "right_hepatic",
                    "left_hepatic",
                    "middle_hepatic",
                },
            ),
            ("accessory hepatic artery", {"right_hepatic", "left_hepatic", "middle_hepatic"}),
            (
                "replaced hepatic artery",
                {"common_hepatic", "right_hepatic", "left_hepatic", "middle_hepatic"},
            ),
            (
                "pancreaticoduodenal artery",
                {
                    "superior_pancreaticoduodenal",
                    "inferior_pancreaticoduodenal",
                    "anterior_superior_pancreaticoduodenal",
                    "posterior_superior_pancreaticoduodenal",
                    "anterior_inferior_pancreaticoduodenal",
                    "posterior_inferior_pancreaticoduodenal",
                },
            ),
            ("gastroepiploic artery", {"right_gastroepiploic", "left_gastroepiploic"}),
        ],
    )
    def test_generic_names_list_the_choices(self, term: str, choices: set[str]) -> None:
        error = refused(term)
        assert error.code == "ambiguous_kind"
        named = {s.rsplit("(", 1)[1].rstrip(")") for s in error.suggestions}
        assert named == choices

    def test_a_generic_name_of_one_kind_maps_to_it(self) -> None:
        assert read("superior pancreaticoduodenal artery")[0] == "superior_pancreaticoduodenal"
        assert read("inferior pancreatico-duodenal artery")[0] == "inferior_pancreaticoduodenal"

    @pytest.mark.parametrize(
        ("term", "code"),
        [
            ("rigth hepatic", "unknown_kind"),
            ("accessory rigth hepatic artery", "unknown_kind"),
            ("replaced accessory RHA", "conflicting_words"),
            ("right left hepatic artery", "conflicting_words"),
            ("RHA (LHA)", "conflicting_words"),
            ("accessory segment 6 artery", "status_not_applicable"),
        ],
    )
    def test_nothing_is_guessed(self, term: str, code: str) -> None:
        assert refused(term).code == code

    def test_an_unknown_term_suggests_the_closest_terms(self) -> None:
        error = refused("accessory rigth hepatic artery")
        assert any(s.endswith("(right_hepatic)") for s in error.suggestions)
        assert "right hepatic" in str(error)

    def test_words_say_how_the_term_was_read(self) -> None:
        assert lookup("right accessory hepatic artery").words == (
            ("status", "accessory"),
            ("name", "right hepatic artery"),
        )
        assert lookup("right renal capsular artery").words == (
            ("side", "right"),
            ("name", "renal capsular artery"),
        )


def _raw() -> dict[str, Any]:
    raw: dict[str, Any] = load_yaml("vocabulary.yaml")
    return raw


class TestSources:
    """Every synonym and parsed word added for issue 11 carries its source or usage."""

    BASIC = frozenset({"replaced", "accessory", "aberrant", "variant", "right", "left"})

    def test_every_status_side_and_word_form_has_a_source(self) -> None:
        raw = _raw()
        words = [w for spellings in raw["status_words"].values() for w in spellings]
        words += [w for spellings in raw["side_words"].values() for w in spellings]
        words += list(raw["word_forms"])
        for word in words:
            assert word in self.BASIC or word_source(word), word

    def test_every_word_source_names_a_word_the_parser_reads(self) -> None:
        raw = _raw()
        words = {w for spellings in raw["status_words"].values() for w in spellings}
        words |= {w for spellings in raw["side_words"].values() for w in spellings}
        words |= set(raw["word_forms"])
        assert set(raw["word_sources"]) <= words

    def test_term_sources_read_as_their_kind(self) -> None:
        for item in _raw()["kinds"]:
            for term, source in item.get("term_sources", {}).items():
                assert source.strip(), term
                assert lookup(term).kind.name == item["name"], term


class TestData:
    def test_hepatic_kinds_have_side_level_territory(self) -> None:
        for entry in KINDS:
            if entry.group == "hepatic":
                assert entry.side and entry.level and entry.territory, entry.name

    def test_non_target_kinds_have_organ_and_advice(self) -> None:
        for entry in KINDS:
            if entry.group in ("extrahepatic", "collateral"):
                assert entry.organ_at_risk and entry.advice, entry.name

    def test_required_kinds_exist(self) -> None:
        # issue 2, item 2: the kinds the case format must be able to name
        for name in (
            "aorta",
            "celiac_trunk",
            "superior_mesenteric",
            "left_gastric",
            "splenic",
            "hepatosplenic_trunk",
            "gastrosplenic_trunk",
            "hepatogastric_trunk",
            "celiacomesenteric_trunk",
            "hepatomesenteric_trunk",
            "common_hepatic",
            "proper_hepatic",
            "right_hepatic",
            "left_hepatic",
            "middle_hepatic",
            "right_anterior_sectoral",
            "right_posterior_sectoral",
            "segment_2_artery",
            "segment_8_artery",
            "caudate_artery",
            "gastroduodenal",
            "right_gastric",
            "cystic",
            "supraduodenal",
            "hepatic_falciform",
            "accessory_left_gastric",
            "anterior_superior_pancreaticoduodenal",
            "posterior_inferior_pancreaticoduodenal",
            "dorsal_pancreatic",
            "right_gastroepiploic",
            "inferior_phrenic",
            "internal_thoracic",
            "intercostal",
            "omental",
            "adrenal",
            "renal",
            "renal_capsular",
            "lumbar",
        ):
            assert kind(name).name == name

    def test_codes_have_known_systems(self) -> None:
        for entry in KINDS:
            for code in entry.codes:
                assert code.system in {"uberon", "fma", "radlex", "snomed"}, entry.name
                assert code.id.strip() == code.id and code.id

    def test_reference_codes(self) -> None:
        # anatomy-facts §10: common hepatic artery UBERON:0005436, SNOMED 244263001 (✓✓)
        codes = {c.system: c for c in kind("common_hepatic").codes}
        assert codes["uberon"].id == "UBERON:0005436"
        assert codes["snomed"].id == "244263001"
        assert codes["snomed"].verified

    def test_normalize(self) -> None:
        assert normalize("  Right_Hepatic-Artery ") == "right hepatic"
