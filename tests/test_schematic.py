"""The anatomical schematic: structure, orientation, scale, legibility, files, layout data.

The schematic is SVG written by anatomy/output/schematic.py from the layout in
data/schematic.yaml (the standard frontal Couinaud diagram; Couinaud 1957, Bismuth 1982).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from anatomy.case import Case, load_case, parse_case
from anatomy.cli.main import main
from anatomy.errors import ReferenceDataError
from anatomy.output.schematic import case_schematic, render_schematic, schematic
from anatomy.pipeline import answer
from anatomy.reference.datafiles import load_yaml
from anatomy.reference.layout import _build, layout
from tests.test_case import SEED
from tests.test_render import ACROSS, every_case, example, pdf_pages, png_size
from tests.trees import TYPE_V, classified

SVG = "{http://www.w3.org/2000/svg}"
REPLACED_COLOUR = "#d9480f"
ACCESSORY_COLOUR = "#1864ab"
# Where the figure is shown, in CSS pixels: an A4 report column (182 mm at 96 px/in)
# is the narrowest; a 1024 x 768 projector shows it wider.
REPORT_WIDTH_PX = 688
SMALLEST_LABEL_PX = 12


def seed() -> Case:
    return load_case(SEED)


def drawn(case: Case, **options: Any) -> str:
    done = answer(case, with_plan=bool(case.tumors))
    return case_schematic(case, done.classification, plan=done.plan, **options)


def vessels(root: ET.Element) -> dict[str, ET.Element]:
    """``<g class="vessel ...">`` by the vessel id in its <title>."""
    out = {}
    for g in root.iter(f"{SVG}g"):
        if "vessel" in (g.get("class") or "").split():
            title = g.find(f"{SVG}title")
            assert title is not None and title.text is not None
            out[title.text] = g
    return out


def path_points(g: ET.Element) -> list[tuple[float, float]]:
    """The points of a vessel's first path: start, (controls or bend), end."""
    path = g.find(f"{SVG}path")
    assert path is not None
    pairs = re.findall(r"(-?[\d.]+),(-?[\d.]+)", path.get("d") or "")
    return [(float(x), float(y)) for x, y in pairs]


def texts(root: ET.Element, css: str) -> dict[str, tuple[float, float]]:
    return {
        t.text or "": (float(t.get("x", "0")), float(t.get("y", "0")))
        for t in root.iter(f"{SVG}text")
        if t.get("class") == css
    }


class TestDeterminism:
    def test_same_input_same_bytes(self) -> None:
        assert drawn(seed()) == drawn(seed())

    @settings(max_examples=10, deadline=None)
    @given(st.permutations(range(len(TYPE_V["vessels"]))))
    def test_vessel_order_does_not_matter(self, order: list[int]) -> None:
        shuffled = dict(TYPE_V, vessels=[TYPE_V["vessels"][i] for i in order])
        assert drawn(parse_case(shuffled)) == drawn(parse_case(TYPE_V))


class TestStructure:
    def test_every_vessel_is_a_titled_group(self) -> None:
        root = ET.fromstring(drawn(seed()))
        assert {v.id for v in seed().vessels} <= set(vessels(root))

    def test_the_standard_frontal_couinaud_diagram(self) -> None:
        # From the viewer's left: VII above VI, VIII above V, IVa above IVb, II above III;
        # the caudate lobe central (DESIGN.md "The anatomical schematic").
        names = texts(ET.fromstring(drawn(seed())), "segment-name")
        assert set(names) == {"I", "II", "III", "IVa", "IVb", "V", "VI", "VII", "VIII"}
        for upper, lower in (("VII", "VI"), ("VIII", "V"), ("IVa", "IVb"), ("II", "III")):
            assert names[upper][1] < names[lower][1], f"{upper} above {lower}"
        order = ["VII", "VIII", "IVa", "II"]
        assert [names[n][0] for n in order] == sorted(names[n][0] for n in order)
        assert names["VIII"][0] < names["I"][0] < names["II"][0]

    def test_replaced_dashed_red_orange_accessory_dotted_blue(self) -> None:
        # Michels III (seed) and V (TYPE_V): as in the tree diagram.
        rrha = vessels(ET.fromstring(drawn(seed())))["rrha"].find(f"{SVG}path")
        assert rrha is not None
        assert rrha.get("stroke") == REPLACED_COLOUR and rrha.get("stroke-dasharray")
        alha = vessels(ET.fromstring(drawn(parse_case(TYPE_V))))["alha"].find(f"{SVG}path")
        assert alha is not None
        assert alha.get("stroke") == ACCESSORY_COLOUR and alha.get("stroke-dasharray")
        assert alha.get("stroke-dasharray") != rrha.get("stroke-dasharray")

    def test_artery_fans_into_the_segments_it_supplies(self) -> None:
        # The seed's replaced RHA supplies V–VIII: one line to each of the four segments.
        root = ET.fromstring(drawn(seed()))
        ends = vessels(root)["rrha"].findall(f"{SVG}circle")
        assert len(ends) == 4

    def test_tumors_to_scale_against_a_fifteen_centimetre_liver(self) -> None:
        # The seed's lesions: 85 mm in IV and 47 mm in II/III (Khassaf & Abed 2025).
        xs = [x for x, _ in layout().outline]
        scale = layout().px_per_mm
        assert scale == pytest.approx((max(xs) - min(xs)) / 150)  # px per mm of a 15 cm liver
        root = ET.fromstring(drawn(seed()))
        radii = {}
        for g in root.iter(f"{SVG}g"):
            if g.get("class") == "tumor":
                title = g.find(f"{SVG}title")
                circle = g.find(f"{SVG}circle")
                assert title is not None and circle is not None
                radii[title.text] = float(circle.get("r", "0"))
        expected = {"Tumor t1": 85 / 2 * scale, "Tumor t2": 47 / 2 * scale}
        assert radii == pytest.approx(expected, abs=0.05)  # coordinates carry one decimal

    def test_positions_numbered_and_their_paths_thick(self) -> None:
        root = ET.fromstring(drawn(seed()))
        badges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "position"]
        assert len(badges) == 1
        assert "lha" in "".join(badges[0].itertext())
        groups = vessels(root)
        assert "planned" in (groups["lha"].get("class") or "")
        assert "planned" not in (groups["rrha"].get("class") or "")

    def test_non_target_branch_with_its_organ_at_risk(self) -> None:
        root = ET.fromstring(drawn(seed()))
        assert "non-target" in (vessels(root)["gda"].get("class") or "")
        organs = " ".join(
            t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "organ-at-risk"
        )
        assert "duodenum" in organs

    def test_hidden_non_target_branches(self) -> None:
        assert "gda" not in vessels(ET.fromstring(drawn(seed(), extrahepatic=False)))

    def test_case_text_is_escaped(self) -> None:
        tree = {
            "title": '<script>alert("x")</script> & co',
            "vessels": [
                {"id": "ao", "kind": "aorta"},
                {"id": "ct", "kind": "celiac trunk", "parent": "ao", "label": "<b>x</b>"},
            ],
        }
        svg = drawn(parse_case(tree))
        assert "<script" not in svg and "<b>" not in svg
        ET.fromstring(svg)

    def test_options_are_checked(self) -> None:
        result = classified(seed())
        with pytest.raises(ValueError, match="'posterior'"):
            schematic(result, convention="anatomical")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="'nope' is not a vessel"):
            schematic(result, positions=[("nope", ["ao"])])


@pytest.mark.parametrize("convention", ["angiographic", "posterior"])
@pytest.mark.parametrize("make", every_case())
def test_every_hepatic_artery_enters_on_its_side(make: Any, convention: str) -> None:
    """Where each hepatic artery enters the liver: right-liver arteries left of segment IV
    arteries left of left-liver arteries in the frontal view, mirrored from behind; and the
    celiac trunk leaves the aorta above the SMA."""
    case = make()
    done = answer(case)
    root = ET.fromstring(schematic(done.classification, tumors=case.tumors, convention=convention))
    groups = vessels(root)
    placed = [
        (ACROSS[a.side], path_points(groups[a.vessel])[-1][0], a.vessel)
        for a in done.classification.anatomy.arteries
        if a.side in ACROSS
    ]
    if convention == "posterior":
        placed = [(rank, -x, vessel) for rank, x, vessel in placed]
    for rank, x, vessel in placed:
        for other_rank, other_x, other in placed:
            if rank < other_rank:
                assert x < other_x, f"{vessel} should enter on the viewer's left of {other}"
    tree = done.classification.anatomy.tree
    trunks = {tree.vessel[n].kind: n for n in tree.children[tree.preorder[0]]}
    if "celiac_trunk" in trunks and "superior_mesenteric" in trunks:
        celiac = path_points(groups[trunks["celiac_trunk"]])[0]
        sma = path_points(groups[trunks["superior_mesenteric"]])[0]
        assert celiac[1] < sma[1]  # SVG y grows downwards


@pytest.mark.parametrize("make", every_case())
def test_no_label_under_twelve_pixels_in_a_report_column(make: Any) -> None:
    """Every text, shown at the width of an A4 report column, is at least 12 px tall."""
    svg = drawn(make())
    root = ET.fromstring(svg)
    width = float(root.get("width", "0"))
    shown = min(1.0, REPORT_WIDTH_PX / width)
    sizes = {float(t.get("font-size", "0")) for t in root.iter(f"{SVG}text")}
    assert min(sizes) * shown >= SMALLEST_LABEL_PX


class TestFiles:
    def test_png_and_pdf(self) -> None:
        svg = drawn(seed())
        width, height = png_size(render_schematic(svg, "png"))
        assert width == 2 * 760 and height > 1000
        assert pdf_pages(render_schematic(svg, "pdf")) == 1
        with pytest.raises(ValueError, match="svg, png or pdf"):
            render_schematic(svg, "dot")

    @pytest.mark.parametrize("suffix", ["svg", "png", "pdf"])
    def test_cli(self, tmp_path: Path, suffix: str) -> None:
        out = tmp_path / f"seed.{suffix}"
        args = ["render", str(SEED), "-o", str(out), "--figure", "schematic", "--plan"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000

    def test_cli_refuses_dot(self, tmp_path: Path) -> None:
        args = ["render", str(SEED), "-o", str(tmp_path / "x.dot"), "--figure", "schematic"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2
        assert "not DOT text" in result.output + result.stderr


class TestLayoutData:
    def test_every_segment_once(self) -> None:
        names = sorted(s.name for s in layout().segments)
        assert names == sorted(["I", "II", "III", "IVa", "IVb", "V", "VI", "VII", "VIII"])

    def test_a_missing_segment_is_named(self) -> None:
        raw = load_yaml("schematic.yaml")
        broken = dict(raw, segments=[s for s in raw["segments"] if s["name"] != "VI"])
        with pytest.raises(ReferenceDataError, match=r"schematic\.yaml: segments"):
            _build(broken)

    def test_an_unknown_kind_is_named(self) -> None:
        raw = load_yaml("schematic.yaml")
        broken = dict(raw, ends={**raw["ends"], "celiak": raw["ends"]["celiac_trunk"]})
        with pytest.raises(ReferenceDataError, match=r"'celiak' is not a vocabulary kind"):
            _build(broken)

    def test_example_patterns_draw(self) -> None:
        for pattern_id in ("michels-iv", "michels-vii", "michels-ix", "michels-x"):
            ET.fromstring(drawn(example(pattern_id)))
