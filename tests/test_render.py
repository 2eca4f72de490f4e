"""Diagrams: golden DOT, structural SVG, valid PNG/PDF, a clear error without Graphviz.

Run with a real Graphviz ``dot`` (CI installs it; nothing here is skipped without it).
Regenerate the golden DOT files after an intended change with
``HEPATIC_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from anatomy.case import Case, load_case, parse_case
from anatomy.cli.main import main
from anatomy.errors import RendererMissingError
from anatomy.output.diagram import (
    case_diagram,
    compact_segments,
    diagram,
    format_for,
    render,
    write,
)
from anatomy.pipeline import answer
from anatomy.reference.patterns import pattern, patterns
from anatomy.segments import parse_segment
from anatomy.teaching.library import teaching_cases
from bench.synthetic import synthetic_case
from tests.test_case import SEED
from tests.trees import TYPE_III, TYPE_V, case, classified

GOLDEN = Path(__file__).parent / "golden"
SVG = "{http://www.w3.org/2000/svg}"
REPLACED_COLOUR = "#d9480f"
ACCESSORY_COLOUR = "#1864ab"
# The seed case's plan (Khassaf & Abed 2025): the replaced RHA from the SMA for the right
# liver, the LHA for the lesions in IV and II/III.
SEED_POSITIONS = [
    ("rrha", ["ao", "sma", "rrha"]),
    ("lha", ["ao", "ct", "cha", "pha", "lha"]),
]


def drawn(case: Case, **options: Any) -> str:
    """The case's DOT text, classified on the way (``case_diagram``'s options)."""
    return case_diagram(case, classified(case), **options)


def seed() -> Case:
    return load_case(SEED)


def example(pattern_id: str) -> Case:
    return parse_case(pattern(pattern_id).example)


def svg_of(source: str) -> ET.Element:
    return ET.fromstring(render(source, "svg"))


def groups(root: ET.Element, kind: str) -> dict[str, ET.Element]:
    """``<g class="node ...">`` (or edge) elements by their <title> text."""
    out = {}
    for g in root.iter(f"{SVG}g"):
        if kind in (g.get("class") or "").split():
            title = g.find(f"{SVG}title")
            assert title is not None and title.text is not None
            out[title.text] = g
    return out


def node_centre(g: ET.Element) -> tuple[float, float]:
    """The centre of a node's outline (its polygon, path or ellipse points), in SVG units."""
    xs: list[float] = []
    ys: list[float] = []
    for shape in g.iter():
        if shape.tag == f"{SVG}polygon":
            points = [p.split(",") for p in (shape.get("points") or "").split()]
        elif shape.tag == f"{SVG}path":
            points = re.findall(r"(-?[\d.]+),(-?[\d.]+)", shape.get("d") or "")
        elif shape.tag == f"{SVG}ellipse":
            points = [(shape.get("cx") or "0", shape.get("cy") or "0")]
        else:
            continue
        xs += [float(x) for x, _ in points]
        ys += [float(y) for _, y in points]
    assert xs, "a node without an outline"
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def strokes(g: ET.Element) -> list[dict[str, str]]:
    return [dict(e.attrib) for e in g.iter() if e.get("stroke") not in (None, "transparent")]


# -- golden DOT ----------------------------------------------------------------------------

GOLDEN_CASES = {
    # Michels (1966) types from the pattern data's canonical example trees.
    "michels-i": lambda: drawn(example("michels-i")),
    "michels-iii": lambda: drawn(example("michels-iii")),
    "michels-v": lambda: drawn(example("michels-v")),
    "michels-ix": lambda: drawn(example("michels-ix")),
    "rha-from-gda": lambda: drawn(example("rha-from-gda")),
    # The seed case with its plan, both conventions, extrahepatic branches hidden.
    "seed-planned": lambda: drawn(seed(), positions=SEED_POSITIONS),
    "seed-planned-posterior-no-extrahepatic": lambda: drawn(
        seed(), positions=SEED_POSITIONS, convention="posterior", extrahepatic=False
    ),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_dot(name: str) -> None:
    source = GOLDEN_CASES[name]()
    path = GOLDEN / f"{name}.dot"
    if os.environ.get("HEPATIC_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(source, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with HEPATIC_UPDATE_GOLDEN=1"
    assert source == path.read_text(encoding="utf-8"), (
        f"DOT for {name} changed: if intended, regenerate with HEPATIC_UPDATE_GOLDEN=1 and "
        "review the diff"
    )


class TestDeterminism:
    def test_same_input_same_bytes(self) -> None:
        first = drawn(seed(), positions=SEED_POSITIONS)
        assert first == drawn(seed(), positions=SEED_POSITIONS)
        assert "digraph hepatic {" in first

    @settings(max_examples=15, deadline=None)
    @given(st.permutations(range(len(TYPE_V["vessels"]))))
    def test_vessel_order_does_not_matter(self, order: list[int]) -> None:
        shuffled = dict(TYPE_V, vessels=[TYPE_V["vessels"][i] for i in order])
        assert drawn(parse_case(shuffled)) == drawn(parse_case(TYPE_V))

    def test_svg_and_png_bytes_repeat(self) -> None:
        source = drawn(seed())
        assert render(source, "svg") == render(source, "svg")
        assert render(source, "png") == render(source, "png")


# -- structural SVG ------------------------------------------------------------------------


class TestSvgStructure:
    def test_every_vessel_id_is_a_node_title(self) -> None:
        root = svg_of(drawn(seed()))
        nodes = groups(root, "node")
        assert {v.id for v in seed().vessels} <= set(nodes)
        assert {"Tumor t1", "Tumor t2", "Legend"} <= set(nodes)
        edges = groups(root, "edge")
        assert {"ao->ct", "ao->sma", "sma->rrha", "pha->lha", "lha->Tumor t1"} <= set(edges)

    def test_replaced_artery_is_dashed_red_orange(self) -> None:
        # Michels III (Michels 1966): the replaced RHA arises from the SMA.
        root = svg_of(drawn(seed()))
        node = groups(root, "node")["rrha"]
        assert "replaced" in (node.get("class") or "")
        border = strokes(node)
        assert any(s["stroke"] == REPLACED_COLOUR and "stroke-dasharray" in s for s in border)
        edge = groups(root, "edge")["sma->rrha"]
        line = strokes(edge)[0]
        assert line["stroke"] == REPLACED_COLOUR and line["stroke-dasharray"] == "5,2"
        normal = strokes(groups(root, "edge")["pha->lha"])[0]
        assert normal["stroke"] == "#000000" and "stroke-dasharray" not in normal

    def test_accessory_artery_is_dotted_blue(self) -> None:
        # Michels V (Michels 1966): accessory LHA from the LGA.
        root = svg_of(drawn(parse_case(TYPE_V)))
        line = strokes(groups(root, "edge")["lga->alha"])[0]
        assert line["stroke"] == ACCESSORY_COLOUR and line["stroke-dasharray"] == "1,5"
        assert "accessory" in (groups(root, "node")["alha"].get("class") or "")

    def test_extrahepatic_branch_is_grey_with_its_organ_at_risk(self) -> None:
        root = svg_of(drawn(seed()))
        gda = groups(root, "node")["gda"]
        assert "non-target" in (gda.get("class") or "")
        text = " ".join(t.text or "" for t in gda.iter(f"{SVG}text"))
        assert "GDA" in text and "duodenum" in text

    def test_plan_numbers_the_positions_and_thickens_their_paths(self) -> None:
        root = svg_of(drawn(seed(), positions=SEED_POSITIONS))
        nodes, edges = groups(root, "node"), groups(root, "edge")
        for number, vessel_id in ((1, "rrha"), (2, "lha")):
            texts = [(t.text or "").strip("\xa0 ") for t in nodes[vessel_id].iter(f"{SVG}text")]
            assert str(number) in texts
            assert "target" in (nodes[vessel_id].get("class") or "")
        planned = {t for t, g in edges.items() if "planned" in (g.get("class") or "")}
        assert planned == {"ao->ct", "ct->cha", "cha->pha", "pha->lha", "ao->sma", "sma->rrha"}
        thick = float(strokes(edges["pha->lha"])[0]["stroke-width"])
        thin = strokes(edges["ct->lga"])[0].get("stroke-width", "1")
        assert thick > 3 > float(thin)

    def test_conventions_mirror_left_and_right(self) -> None:
        # Michels I example: RHA and LHA from the PHA.
        def x_of(root: ET.Element, title: str) -> float:
            return node_centre(groups(root, "node")[title])[0]

        angio = svg_of(drawn(example("michels-i")))
        back = svg_of(drawn(example("michels-i"), convention="posterior"))
        right = next(v.id for v in example("michels-i").vessels if v.kind == "right_hepatic")
        left = next(v.id for v in example("michels-i").vessels if v.kind == "left_hepatic")
        assert x_of(angio, right) < x_of(angio, left)  # patient's right on viewer's left
        assert x_of(back, right) > x_of(back, left)

    def test_anatomical_view_is_refused_with_the_fix(self) -> None:
        # Atlases show the frontal view, as angiograms do: "anatomical" named no real view.
        with pytest.raises(ValueError, match=r"use 'angiographic'.*'posterior'"):
            drawn(seed(), convention="anatomical")

    def test_celiac_trunk_is_drawn_above_the_sma(self) -> None:
        # Seed (Khassaf & Abed 2025): the replaced RHA from the SMA on the viewer's left,
        # the SMA one level below the celiac trunk, as on the aorta.
        nodes = groups(svg_of(drawn(seed())), "node")
        ct, sma, rrha, lha = (node_centre(nodes[n]) for n in ("ct", "sma", "rrha", "lha"))
        assert ct[1] < sma[1]  # SVG y grows downwards
        assert rrha[0] < lha[0]

    def test_hidden_extrahepatic_branches_unless_needed(self) -> None:
        root = svg_of(drawn(seed(), extrahepatic=False))
        assert "gda" not in groups(root, "node")
        needed = drawn(seed(), extrahepatic=False, positions=[("gda", ["ao", "ct", "cha", "gda"])])
        assert "gda" in groups(svg_of(needed), "node")

    def test_unnamed_chain_collapses_to_one_labelled_edge(self) -> None:
        tree = case(
            ("ao", "aorta", None, []),
            ("ct", "celiac_trunk", "ao", []),
            ("cha", "CHA", "ct", []),
            ("pha", "PHA", "cha", []),
            ("u1", None, "pha", []),
            ("u2", None, "u1", []),
            ("u3", None, "u2", []),
            ("rha", "RHA", "u3", ["V", "VI", "VII", "VIII"]),
            ("lha", "LHA", "pha", ["II", "III", "IV"]),
        )
        root = svg_of(drawn(parse_case(tree)))
        assert not {"u1", "u2", "u3"} & set(groups(root, "node"))
        edge = groups(root, "edge")["pha->rha"]
        assert "… 3 branches" in " ".join(t.text or "" for t in edge.iter(f"{SVG}text"))
        kept = svg_of(diagram(classified(tree), collapse=0))
        assert {"u1", "u2", "u3"} <= set(groups(kept, "node"))

    def test_assumed_territory_is_marked(self) -> None:
        # Names only: the classifier assumes the textbook territories (case-format.md).
        tree = case(
            ("ao", "aorta", None, []),
            ("ct", "celiac_trunk", "ao", []),
            ("cha", "CHA", "ct", []),
            ("pha", "PHA", "cha", []),
            ("rha", "RHA", "pha", []),
            ("lha", "LHA", "pha", []),
        )
        root = svg_of(drawn(parse_case(tree)))
        rha = groups(root, "node")["rha"]
        italic = [t.text for t in rha.iter(f"{SVG}text") if t.get("font-style") == "italic"]
        assert italic == ["V–VIII (assumed)"]

    def test_case_text_is_escaped(self) -> None:
        tree = case(
            ("ao", "aorta", None, []),
            ("ct", "celiac_trunk", "ao", []),
            title='<script>alert("x")</script> & co',
        )
        tree["vessels"][1]["label"] = "<b>bold</b>"
        source = drawn(parse_case(tree))
        svg = render(source, "svg").decode()
        assert "<script" not in svg and "<b>" not in svg
        assert "&lt;script&gt;" in svg
        ET.fromstring(svg)

    def test_title_names_the_classification(self) -> None:
        assert "Michels III" in drawn(seed())
        unclassified = drawn(example("rha-from-gda"))
        assert "Michels: unclassified" in unclassified and "nearest Michels" in unclassified

    def test_tumor_hangs_from_the_vessels_supplying_its_segments(self) -> None:
        root = svg_of(drawn(seed()))
        edges = set(groups(root, "edge"))
        assert {"lha->Tumor t1", "lha->Tumor t2"} <= edges
        assert not any(e.startswith("rrha->Tumor") for e in edges)


# -- orientation ---------------------------------------------------------------------------

LITERATURE = Path(__file__).parent / "literature"


def every_case() -> list[Any]:
    """The pattern examples, the published cases of tests/literature/, the teaching cases
    and the seed: every anatomy whose figure a reader may see."""
    out = [pytest.param(lambda i=p.id: example(i), id=p.id) for p in patterns()]
    out += [
        pytest.param(lambda f=f: load_case(f), id=f.stem)
        for f in sorted(LITERATURE.glob("*.yaml"))
        if f.name != "expected.yaml"
    ]
    out += [pytest.param(lambda t=t: t.case, id=f"teaching:{t.case.id}") for t in teaching_cases()]
    out.append(pytest.param(seed, id="seed"))
    return out


# Where each kind of hepatic artery lies across the liver in the frontal view, from the
# viewer's left: the right liver (V–VIII), segment IV (left medial), the left lateral
# section (II–III). DESIGN.md "Orientation"; Couinaud's frontal diagram.
ACROSS = {"right": 0, "segment_iv": 1, "left": 2}


@pytest.mark.parametrize("convention", ["angiographic", "posterior"])
@pytest.mark.parametrize("make", every_case())
def test_every_hepatic_artery_lies_on_its_side(make: Any, convention: str) -> None:
    """Right-liver arteries left of segment IV arteries left of left-liver arteries (frontal
    view), mirrored in the posterior view, whatever their origins: a replaced RHA from the
    SMA lies left of an LHA from the celiac trunk. Read from the SVG's node outlines."""
    case = make()
    done = answer(case, with_plan=bool(case.tumors))
    source = case_diagram(case, done.classification, plan=done.plan, convention=convention)
    nodes = groups(svg_of(source), "node")
    placed = [
        (ACROSS[a.side], node_centre(nodes[a.vessel])[0], a.vessel)
        for a in done.classification.anatomy.arteries
        if a.side in ACROSS
    ]
    assert placed, "no hepatic artery to place"
    if convention == "posterior":
        placed = [(rank, -x, vessel) for rank, x, vessel in placed]
    for rank, x, vessel in placed:
        for other_rank, other_x, other in placed:
            if rank < other_rank:
                assert x < other_x, f"{vessel} should lie on the viewer's left of {other}"


# Where a tree diagram is shown, in CSS pixels: a 1024 x 768 projector, and a landscape A4
# report page (269 mm at 96 px/in); the figure is scaled down to fit, never up.
PROJECTOR_WIDTH_PX = 1016
SMALLEST_LABEL_PX = 12


@pytest.mark.parametrize("make", every_case())
def test_no_label_under_twelve_pixels_on_a_projector(make: Any) -> None:
    """Every text of the tree diagram, shown at a projector's width (or its own size when
    narrower), is at least 12 px tall: SVG sizes are points, 4/3 px each."""
    case = make()
    done = answer(case, with_plan=bool(case.tumors))
    root = svg_of(case_diagram(case, done.classification, plan=done.plan))
    width_px = float(root.get("width", "0").removesuffix("pt")) * 4 / 3
    shown = min(1.0, PROJECTOR_WIDTH_PX / width_px)
    smallest = min(float(t.get("font-size", "0")) for t in root.iter(f"{SVG}text"))
    assert smallest * 4 / 3 * shown >= SMALLEST_LABEL_PX


def test_long_labels_wrap_instead_of_being_cut() -> None:
    # Michels X example: the CHA's label names the fissure for the ligamentum venosum.
    root = svg_of(drawn(example("michels-x")))
    cha = next(
        g
        for title, g in groups(root, "node").items()
        if title == next(v.id for v in example("michels-x").vessels if v.kind == "common_hepatic")
    )
    words = " ".join(t.text or "" for t in cha.iter(f"{SVG}text"))
    assert "ligamentum" in words and "venosum" in words


# -- files: PNG, PDF, DOT -------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def pdf_pages(data: bytes) -> int:
    """Page count from the page tree's /Count (a PDF is valid enough for us if it has one)."""
    assert data.startswith(b"%PDF-"), "not a PDF"
    assert b"%%EOF" in data[-1024:], "PDF is truncated"
    counts = [int(m) for m in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(m) for m in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    assert counts, "no page tree"
    return max(counts)


class TestFiles:
    def test_png_is_valid(self, tmp_path: Path) -> None:
        out = write(drawn(seed(), positions=SEED_POSITIONS), tmp_path / "seed.png")
        width, height = png_size(out.read_bytes())
        assert 300 < width < 3000 and 300 < height < 3000

    def test_pdf_is_valid(self, tmp_path: Path) -> None:
        out = write(drawn(seed()), tmp_path / "seed.pdf")
        assert pdf_pages(out.read_bytes()) == 1

    def test_dot_needs_no_graphviz(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PATH", str(tmp_path))
        source = drawn(seed())
        assert write(source, tmp_path / "seed.dot").read_text(encoding="utf-8") == source

    def test_format_follows_the_suffix(self) -> None:
        assert [format_for(f"x.{s}") for s in ("svg", "PNG", "pdf", "dot", "gv")] == [
            "svg",
            "png",
            "pdf",
            "dot",
            "dot",
        ]
        with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf or \.dot"):
            format_for("x.jpeg")

    def test_two_hundred_vessels_render(self, tmp_path: Path) -> None:
        big = parse_case(synthetic_case(200, tumors=True))
        source = drawn(big)
        root = svg_of(source)
        titles = set(groups(root, "node"))
        assert {"ao", "rrha", "lha", "Tumor tvii", "Tumor tiii"} <= titles
        width, height = png_size(write(source, tmp_path / "big.png").read_bytes())
        assert width < 8000 and height < 4000  # legible: dot did not have to scale it down

    def test_deep_chain_is_iterative_and_collapsed(self) -> None:
        chain = [
            {"id": "ao", "kind": "aorta"},
            {"id": "ct", "kind": "celiac trunk", "parent": "ao"},
        ]
        chain += [{"id": f"u{i}", "parent": "ct" if i == 0 else f"u{i - 1}"} for i in range(3000)]
        chain.append({"id": "rha", "kind": "RHA", "parent": "u2999", "supplies": ["V"]})
        source = drawn(parse_case({"vessels": chain}))
        assert "… 3000 branches" in source


class TestMissingRenderer:
    def test_missing_dot_is_a_clear_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without dot
        with pytest.raises(RendererMissingError, match="apt-get install graphviz"):
            render(drawn(seed()), "svg")

    def test_cli_says_the_fix_without_a_traceback(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PATH", str(tmp_path))
        result = CliRunner().invoke(main, ["render", str(SEED), "-o", str(tmp_path / "x.svg")])
        assert result.exit_code == 2
        assert "apt-get install graphviz" in result.stderr
        assert "Traceback" not in result.output + result.stderr


# -- the command ----------------------------------------------------------------------------


class TestRenderCommand:
    @pytest.mark.parametrize("suffix", ["svg", "png", "pdf", "dot"])
    def test_every_format(self, tmp_path: Path, suffix: str) -> None:
        out = tmp_path / f"seed.{suffix}"
        result = CliRunner().invoke(main, ["render", str(SEED), "-o", str(out)])
        assert result.exit_code == 0, result.output
        data = out.read_bytes()
        checks = {
            "svg": lambda: ET.fromstring(data),
            "png": lambda: png_size(data),
            "pdf": lambda: pdf_pages(data),
            "dot": lambda: data.decode().index("digraph"),
        }
        checks[suffix]()

    def test_options(self, tmp_path: Path) -> None:
        out = tmp_path / "seed.dot"
        args = [
            "render",
            str(SEED),
            "-o",
            str(out),
            "--no-extrahepatic",
            "--convention",
            "posterior",
        ]
        assert CliRunner().invoke(main, args).exit_code == 0
        text = out.read_text(encoding="utf-8")
        assert "gda" not in re.findall(r'^\t"([^"]+)" \[', text, flags=re.MULTILINE)
        assert "posterior view" in text

    def test_plan_draws_the_planners_positions(self, tmp_path: Path) -> None:
        # The planner reaches the seed's lesions in IV and II/III from the LHA.
        out = tmp_path / "seed.svg"
        result = CliRunner().invoke(main, ["render", str(SEED), "-o", str(out), "--plan"])
        assert result.exit_code == 0, result.output
        nodes = groups(ET.fromstring(out.read_bytes()), "node")
        targets = {t for t, g in nodes.items() if "target" in (g.get("class") or "").split()}
        assert targets == {"lha"}

    def test_unknown_suffix_is_refused(self, tmp_path: Path) -> None:
        result = CliRunner().invoke(main, ["render", str(SEED), "-o", str(tmp_path / "x.jpg")])
        assert result.exit_code == 2
        assert ".svg, .png, .pdf or .dot" in result.output + result.stderr


# -- small pieces ---------------------------------------------------------------------------


class TestCompactSegments:
    @pytest.mark.parametrize(
        ("written", "shown"),
        [
            (["V", "VI", "VII", "VIII"], "V–VIII"),
            (["II", "III"], "II, III"),
            (["II", "III", "IV"], "II–IV"),
            (["I", "IVa"], "I, IVa"),
            (["I", "II", "III", "IV", "V", "VI", "VII", "VIII"], "I–VIII"),
            (["II", "V", "VI", "VII"], "II, V–VII"),
        ],
    )
    def test_ranges(self, written: list[str], shown: str) -> None:
        segments = frozenset().union(*(parse_segment(w) for w in written))
        assert compact_segments(segments) == shown


class TestPositions:
    def test_unknown_position_is_refused(self) -> None:
        with pytest.raises(ValueError, match="'nope' is not a vessel"):
            drawn(seed(), positions=[("nope", ["ao"])])


def test_type_iii_fixture_draws_replaced_rha() -> None:
    # The fixture names the replaced RHA "right_hepatic": the style comes from the
    # classification, not from the words in the file.
    source = drawn(parse_case(TYPE_III))
    assert re.search(r'"rrha" \[class="vessel replaced"', source)
