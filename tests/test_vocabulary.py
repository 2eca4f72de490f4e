"""The vocabulary: every kind reachable by every written form; status words; codes."""

from __future__ import annotations

import pytest

from anatomy.reference.vocabulary import all_kinds, kind, lookup, normalize, suggest

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

    def test_status_words_only_before_hepatic_kinds(self) -> None:
        with pytest.raises(ValueError, match="unknown vessel kind 'replaced SMA'"):
            lookup("replaced SMA")

    def test_unknown_term_names_the_closest(self) -> None:
        with pytest.raises(ValueError, match=r"rigth hepatic.*Closest.*right_hepatic"):
            lookup("rigth hepatic")

    def test_suggest_returns_canonical_names(self) -> None:
        assert any("gastroduodenal" in s for s in suggest("gastroduodenl"))


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
