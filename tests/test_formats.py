"""Other ways to write a case: networkx graphs, node-link JSON, GraphML, SWC with a sidecar.

The seed case (Khassaf & Abed, Al-Rafidain J Med Sci 2025; Michels III) is in
tests/formats/ in each format, written by scripts/make_format_examples.py: networkx wrote
the node-link (``edges`` and the older ``links`` key) and GraphML files; the SWC is a
hand-placed centerline of its arteries.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from anatomy import annotate, classify, from_networkx, load_case, load_input, to_networkx
from anatomy.case import Case, parse_case
from anatomy.cli.main import main
from anatomy.errors import CaseError, Problem, UnreadableError
from anatomy.formats.converted import case_from
from anatomy.formats.graphml import read_graphml
from anatomy.formats.inputs import parse_input
from anatomy.formats.swc import read_swc
from anatomy.reference.patterns import pattern, patterns
from tests.test_case import SEED

FORMATS = Path(__file__).resolve().parent / "formats"
SEED_FILES = sorted(
    p for p in FORMATS.glob("khassaf-2025-net.*") if not p.name.endswith(".sidecar.yaml")
)
SIDECAR = FORMATS / "khassaf-2025-net.sidecar.yaml"


def michels(case: Case) -> str | None:
    return classify(annotate(case.tree)).michels


def refused(call: object, *args: object) -> list[Problem]:
    assert callable(call)
    with pytest.raises(CaseError) as caught:
        call(*args)
    return list(caught.value.problems)


def codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.code, p.where()) for p in problems]


def seed_graph() -> nx.DiGraph:
    graph: nx.DiGraph = to_networkx(load_case(SEED))
    return graph


class TestTheSeedInEveryFormat:
    def test_every_format_is_there(self) -> None:
        assert {p.name.split(".", 1)[1] for p in SEED_FILES} == {
            "nodelink.json",
            "links.json",
            "graphml",
            "swc",
        }

    @pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
    def test_classifies_as_michels_iii(self, path: Path) -> None:
        case = load_input(path)
        assert michels(case) == "III"
        assert {t.id for t in case.tumors} == {"t1", "t2"}

    @pytest.mark.parametrize(
        ("name", "fmt"),
        [
            ("nodelink.json", "node-link"),
            ("links.json", "node-link"),
            ("graphml", "graphml"),
            ("swc", "swc"),
        ],
    )
    def test_the_format_can_be_named(self, name: str, fmt: str) -> None:
        path = FORMATS / f"khassaf-2025-net.{name}"
        assert michels(load_input(path, fmt)) == "III"  # type: ignore[arg-type]

    def test_the_swc_gives_lengths_and_diameters_in_mm(self) -> None:
        case = load_input(FORMATS / "khassaf-2025-net.swc")
        cha = case.tree.vessel["cha"]
        # points 14 (-10,24,-22), 15 (-25,26,-22), 16 (-35,28,-24), from point 8 (0,20,-22)
        assert cha.length_mm == pytest.approx(10.770 + 15.133 + 10.392, abs=0.01)
        assert cha.diameter_mm == pytest.approx(2 * (3.0 + 3.0 + 2.8) / 3, abs=0.001)


DOCS = Path(__file__).resolve().parents[1]
# Every published case and every pattern's example tree (tests/literature, data/).
ROUND_TRIP = [
    *(p for p in sorted((DOCS / "tests" / "literature").glob("*.yaml")) if p.stem != "expected"),
    SEED,
    *(pytest.param(p.id, id=p.id) for p in patterns()),
]


@pytest.mark.parametrize("doc", ["README.md", "docs/input-formats.md"])
def test_the_documented_networkx_example_runs(doc: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = (DOCS / doc).read_text(encoding="utf-8")
    example = text.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(example, doc, "exec"), {})  # our own documentation, not input
    assert capsys.readouterr().out.strip() == "III"


class TestNetworkx:
    def test_round_trip(self) -> None:
        case = load_case(SEED)
        back = from_networkx(to_networkx(case))

        def fields(c: Case) -> list[tuple[object, ...]]:
            return [(v.id, v.parent, v.kind, v.status, v.supplies, v.label) for v in c.vessels]

        assert fields(back) == fields(case)
        assert back.tumors == case.tumors
        assert (back.id, back.title, back.source, back.modality) == (
            case.id,
            case.title,
            case.source,
            case.modality,
        )

    @pytest.mark.parametrize("which", ROUND_TRIP, ids=lambda p: getattr(p, "stem", p))
    def test_every_published_and_pattern_case_survives_the_round_trip(
        self, which: Path | str
    ) -> None:
        case = load_case(which) if isinstance(which, Path) else parse_case(pattern(which).example)
        for back in (
            from_networkx(to_networkx(case)),
            parse_input(json.dumps(nx.node_link_data(to_networkx(case), edges="edges"))),
        ):
            assert [(v.id, v.parent, v.kind, v.status, v.supplies) for v in back.vessels] == [
                (v.id, v.parent, v.kind, v.status, v.supplies) for v in case.vessels
            ]
            before, after = classify(annotate(case.tree)), classify(annotate(back.tree))
            assert (after.michels, after.hiatt) == (before.michels, before.hiatt)

    def test_the_node_link_file_is_what_networkx_writes(self) -> None:
        written = json.loads((FORMATS / "khassaf-2025-net.nodelink.json").read_text())
        assert written == json.loads(json.dumps(nx.node_link_data(seed_graph(), edges="edges")))

    def test_a_graph_built_by_hand(self) -> None:
        graph = nx.DiGraph()
        for node, kind in [("ao", "aorta"), ("ct", "celiac trunk"), ("cha", "CHA")]:
            graph.add_node(node, kind=kind)
        graph.add_node("pha", kind="PHA")
        graph.add_node("lha", kind="LHA", supplies=["II", "III", "IV"])
        graph.add_node("sma", kind="SMA")
        graph.add_node("rrha", kind="right replaced hepatic artery", supplies="V, VI, VII, VIII")
        graph.add_edges_from(
            [("ao", "ct"), ("ct", "cha"), ("cha", "pha"), ("pha", "lha"), ("ao", "sma")]
        )
        graph.add_edge("sma", "rrha")
        assert michels(from_networkx(graph)) == "III"

    def test_an_undirected_graph_needs_its_root(self) -> None:
        graph = seed_graph().to_undirected()
        del graph.graph["root"]
        assert codes(refused(from_networkx, graph)) == [("no_root", "graph.root")]
        graph.graph["root"] = "ao"
        assert michels(from_networkx(graph)) == "III"

    def test_a_vessel_arising_from_two_is_an_arcade_with_its_vessels(self) -> None:
        graph = seed_graph()
        graph.add_edge("gda", "rrha")  # a pancreaticoduodenal arcade, drawn as a loop
        (problem,) = refused(from_networkx, graph)
        assert (problem.code, problem.vessel) == ("arcade", "rrha")
        for vessel in ("rrha", "gda", "cha", "ct", "ao", "sma"):
            assert vessel in problem.message

    def test_a_loop_in_an_undirected_graph_is_an_arcade(self) -> None:
        graph = seed_graph().to_undirected()
        graph.add_edge("gda", "rrha")
        (problem,) = refused(from_networkx, graph)
        assert problem.code == "arcade"
        assert "gda" in problem.message and "rrha" in problem.message

    def test_node_problems_name_the_node(self) -> None:
        graph = seed_graph()
        graph.nodes["lha"]["kidn"] = "LHA"
        graph.nodes["rrha"]["kind"] = "rigth hepatic"
        graph.nodes["cha"]["parent"] = "ct"
        assert codes(refused(from_networkx, graph)) == [
            ("graph_field", "nodes.cha.parent"),
            ("unknown_key", "nodes.lha.kidn"),
            ("unknown_kind", "nodes.rrha.kind"),
        ]

    def test_parallel_edges(self) -> None:
        graph = nx.MultiDiGraph(seed_graph())
        graph.add_edge("ao", "sma")
        assert ("parallel_edges", "edges") in codes(refused(from_networkx, graph))


class TestNodeLink:
    def data(self, key: str = "edges") -> dict[str, object]:
        document: dict[str, object] = nx.node_link_data(seed_graph(), edges=key)
        return document

    def test_every_problem_at_once_with_its_line(self) -> None:
        data = self.data()
        nodes = data["nodes"]
        edges = data["edges"]
        assert isinstance(nodes, list) and isinstance(edges, list)
        index = next(i for i, n in enumerate(nodes) if n["id"] == "rrha")
        nodes[index]["kind"] = "rigth hepatic"
        nodes[index]["supplies"] = ["V", "IX"]
        edges.append({"source": "zz", "target": "ao"})
        text = json.dumps(data, indent=1)
        found = refused(parse_input, text)
        assert codes(found) == [
            ("invalid_node_link", f"edges[{len(edges) - 1}].source"),
            ("unknown_kind", f"nodes[{index}].kind"),
            ("bad_segment", f"nodes[{index}].supplies[1]"),
        ]
        line = text.splitlines()[found[1].line - 1]  # type: ignore[operator]
        assert "rigth hepatic" in line

    def test_edges_and_links_together_are_refused(self) -> None:
        data = self.data()
        data["links"] = data["edges"]
        assert ("invalid_node_link", "links") in codes(refused(parse_input, json.dumps(data)))

    def test_edge_attributes_are_not_read_silently(self) -> None:
        graph = seed_graph()
        graph.edges["ao", "sma"]["length"] = 3
        text = json.dumps(nx.node_link_data(graph, edges="edges"))
        assert [c for c, _ in codes(refused(parse_input, text))] == ["unknown_key"]

    def test_a_case_file_in_json_is_still_a_case(self) -> None:
        text = json.dumps({"vessels": [{"id": "ao", "kind": "aorta"}]})
        assert parse_input(text).vessels[0].kind == "aorta"


class TestGraphML:
    def test_a_dtd_is_refused(self) -> None:
        body = b'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]><graphml>&a;</graphml>'
        with pytest.raises(UnreadableError, match="DTD or entities"):
            read_graphml(body)

    def test_malformed_xml_names_line_and_column(self) -> None:
        with pytest.raises(UnreadableError) as caught:
            read_graphml(b'<graphml>\n<graph><node id="a"></graph>')
        (problem,) = caught.value.problems
        assert problem.line == 2 and problem.column

    def test_another_encoding_is_refused(self) -> None:
        with pytest.raises(UnreadableError, match="UTF-8"):
            read_graphml(b'<?xml version="1.0" encoding="UTF-16"?><graphml/>')

    def test_tumors_must_be_json(self) -> None:
        graph = seed_graph()
        graph.graph["tumors"] = "t1 in segment IV"
        for _, data in graph.nodes(data=True):
            data.pop("supplies", None)
        buffer = io.BytesIO()
        nx.write_graphml(graph, buffer)
        found = refused(case_from, read_graphml(buffer.getvalue()))
        assert ("invalid_field", "graph.tumors") in codes(found)


SWC = """\
# a small tree: aorta, celiac trunk, CHA and a branch
1 0 0 0 0 5 -1
2 0 0 0 -10 5 1
3 0 0 10 -10 2 2
4 0 0 20 -10 2 3
5 0 -5 20 -10 1 4
6 0 5 20 -10 0 4
"""
SMALL_SIDECAR = """\
format: hepatic-swc-sidecar/1
unit: mm
vessels:
  - {node: 1, id: ao, kind: aorta}
  - {node: 3, id: ct, kind: celiac trunk}
  - {node: 5, id: cha, kind: CHA}
"""


class TestSWC:
    def case(self, swc: str = SWC, sidecar: str = SMALL_SIDECAR) -> Case:
        return case_from(read_swc(swc, sidecar))

    def test_runs_between_branch_points_are_vessels(self) -> None:
        case = self.case()
        assert [(v.id, v.parent, v.kind) for v in case.vessels] == [
            ("ao", None, "aorta"),
            ("ct", "ao", "celiac_trunk"),
            ("cha", "ct", "common_hepatic"),
            ("swc-6", "ct", None),
        ]
        ct, cha, twig = (case.tree.vessel[n] for n in ("ct", "cha", "swc-6"))
        assert (ct.length_mm, ct.diameter_mm) == (20.0, 4.0)  # from point 2, through 3, 4
        assert (cha.length_mm, cha.diameter_mm) == (5.0, 2.0)
        assert twig.diameter_mm is None  # radius 0: not measured

    def test_unit_and_scale(self) -> None:
        case = self.case(sidecar=SMALL_SIDECAR.replace("unit: mm", "unit: um\nscale: 500"))
        assert case.tree.vessel["ct"].length_mm == pytest.approx(10.0)  # 20 voxels of 0.5 mm

    def test_parents_may_come_after_their_children(self) -> None:
        lines = SWC.splitlines()
        shuffled = "\n".join([lines[0], *reversed(lines[1:])])
        vessels = {(v.id, v.parent) for v in self.case(shuffled).vessels}
        assert vessels == {("ao", None), ("ct", "ao"), ("cha", "ct"), ("swc-6", "ct")}

    def test_bad_lines_are_named(self) -> None:
        swc = SWC.replace("5 0 -5 20 -10 1 4", "5 0 -5 20 -10 1").replace("6 0 5", "6 0 x")
        found = refused(read_swc, swc, SMALL_SIDECAR)
        assert [(p.code, p.line) for p in found] == [("swc_line", 6), ("swc_line", 7)]
        assert "6 columns" in found[0].message

    def test_a_loop_is_an_arcade_with_its_points(self) -> None:
        swc = SWC + "7 0 1 1 1 1 8\n8 0 1 1 2 1 7\n"
        (problem,) = refused(read_swc, swc, SMALL_SIDECAR)
        assert problem.code == "swc_line" and "loop" in problem.message
        assert "7 (line 8)" in problem.message and "8 (line 9)" in problem.message

    def test_two_roots_and_an_unknown_parent(self) -> None:
        swc = SWC + "7 0 1 1 1 1 -1\n8 0 1 1 2 1 99\n"
        found = refused(read_swc, swc, SMALL_SIDECAR)
        assert [(p.code, p.line) for p in found] == [("swc_line", 9), ("swc_roots", 2)]

    def test_sidecar_problems_name_field_and_line(self) -> None:
        sidecar = SMALL_SIDECAR.replace("kind: CHA", "kind: rigth hepatic").replace(
            "node: 3,", "node: 42,"
        )
        found = refused(self.case, SWC, sidecar)
        assert [(p.code, p.where(), p.line) for p in found] == [
            ("unknown_node", "sidecar.vessels[1].node", 5),
        ]
        found = refused(self.case, SWC, SMALL_SIDECAR.replace("kind: CHA", "kind: rigth hepatic"))
        assert [(p.code, p.where(), p.line) for p in found] == [
            ("unknown_kind", "sidecar.vessels[2].kind", 6),
        ]

    def test_the_sidecar_must_say_the_unit(self) -> None:
        found = refused(read_swc, SWC, SMALL_SIDECAR.replace("unit: mm\n", ""))
        assert codes(found) == [("invalid_sidecar", "sidecar.unit")]

    def test_a_vessel_may_start_inside_a_run(self) -> None:
        sidecar = SMALL_SIDECAR + "  - {node: 4, id: ct2, kind: CHA}\n"
        found = self.case(sidecar=sidecar.replace("id: cha, kind: CHA", "id: cha, kind: GDA"))
        assert found.tree.vessel["ct2"].parent == "ct"

    def test_runs_of_one_vessel_must_continue_one_another(self) -> None:
        sidecar = SMALL_SIDECAR.replace("node: 5, id: cha", "node: [5, 6], id: cha")
        assert ("runs_not_continuous", "sidecar.vessels[2].node[1]") in codes(
            refused(read_swc, SWC, sidecar)
        )


class TestCommandLine:
    @pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
    def test_classify_reads_by_extension(self, path: Path) -> None:
        result = CliRunner().invoke(main, ["classify", str(path)])
        assert result.exit_code == 0, result.stderr
        assert "Michels III" in result.stdout

    def test_input_format_and_sidecar(self, tmp_path: Path) -> None:
        swc = tmp_path / "tree.txt"
        swc.write_text((FORMATS / "khassaf-2025-net.swc").read_text())
        args = ["validate", str(swc), "--input-format", "swc", "--sidecar", str(SIDECAR)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.stderr
        assert "valid (10 vessels, 2 tumors)" in result.stdout

    def test_an_swc_without_its_sidecar(self, tmp_path: Path) -> None:
        swc = tmp_path / "tree.swc"
        swc.write_text(SWC)
        result = CliRunner().invoke(main, ["classify", str(swc)])
        assert result.exit_code == 2
        assert "tree.sidecar.yaml" in result.stderr
