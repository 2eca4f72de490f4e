"""Published prevalence tables (data/prevalence/) and the prevalence report: Wilson
intervals, rows that count the right answers, text, JSON and the figure."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from anatomy.batch import (
    Summary,
    plot_report,
    prevalence_report,
    report_dict,
    report_text,
    wilson,
)
from anatomy.cli.main import main
from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import validated
from anatomy.reference.patterns import hiatt_types, patterns
from anatomy.reference.prevalence import _TableIn, table, tables


def summary_of(michels: dict[str, int], unclassified: int = 0, incomplete: int = 0) -> Summary:
    out = Summary()
    out.outcomes.update(
        classified=sum(michels.values()), unclassified=unclassified, incomplete=incomplete
    )
    out.michels.update(michels)
    hiatt = {p.type: p.hiatt for p in patterns() if p.type}
    for name, count in michels.items():
        if hiatt[name] is not None:
            out.hiatt[hiatt[name]] += count
    return out


class TestTables:
    @pytest.mark.parametrize("item", tables(), ids=lambda t: t.id)
    def test_counts_add_up_and_percents_agree(self, item: object) -> None:
        assert hasattr(item, "rows")
        source = table(item.id)  # type: ignore[attr-defined]
        assert sum(source.count(r) for r in source.rows) == source.n
        for row in source.rows:
            if row.count is not None and row.percent is not None:
                assert row.percent == pytest.approx(100 * row.count / source.n, abs=0.05)

    def test_michels_1966_agrees_with_the_pattern_files(self) -> None:
        source = table("michels-1966")
        for item in patterns():
            for entry in item.prevalence:
                if entry.source.startswith("Michels NA") and entry.percent is not None:
                    row = source.row_of(item.michels, item.type, item.hiatt, "classified")
                    assert row is not None and row.percent == entry.percent, item.id

    def test_hiatt_1994_agrees_with_hiatt_yaml(self) -> None:
        source = table("hiatt-1994")
        assert [r.percent for r in source.rows] == [t.percent for t in hiatt_types()]

    def test_loeschner_gives_only_the_retrieved_figures(self) -> None:
        source = table("loeschner-2015")
        counts = {r.id: r.count for r in source.rows}
        assert counts == {"I": 937, "V": 114, "III": 83, "X": 0, "other": 137, "unclassified": 26}
        other = next(r for r in source.rows if r.id == "other")
        assert other.percent is None and other.within == "uniform"

    def test_tables_are_oldest_first(self) -> None:
        assert [t.id for t in tables()] == ["michels-1966", "hiatt-1994", "loeschner-2015"]

    def test_a_row_without_a_size_is_refused(self) -> None:
        raw = {
            "format": "hepatic-prevalence/1",
            "id": "x",
            "name": "X",
            "year": 2000,
            "citation": "c",
            "sources": ["S1"],
            "population": "p",
            "modality": "CTA",
            "n": 10,
            "rows": [
                {"id": "a", "label": "A", "match": {"hiatt": [1]}, "patterns": ["michels-i"]},
                {
                    "id": "b",
                    "label": "B",
                    "match": {"hiatt": [2]},
                    "patterns": ["michels-ii"],
                    "count": 1,
                },
            ],
        }
        with pytest.raises(ReferenceDataError, match="give `count` or `percent`"):
            validated(_TableIn, raw, "prevalence/x.yaml")


class TestWilson:
    def test_known_values(self) -> None:
        # Newcombe 1998, table I: 0/10 -> 0 to 0.2775; 81/263 -> 0.2553 to 0.3662
        low, high = wilson(0, 10)
        assert (round(low, 4), round(high, 4)) == (0.0, 0.2775)
        low, high = wilson(81, 263)
        assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)

    def test_narrows_with_n(self) -> None:
        small, large = wilson(55, 100), wilson(5500, 10_000)
        assert small[1] - small[0] > large[1] - large[0]


class TestReport:
    def test_rows_count_their_answers(self) -> None:
        summary = summary_of({"I": 500, "II": 100, "VIIIa": 20, "VIIIb": 10, "X": 5}, 15, 40)
        report = prevalence_report(summary)
        assert report.answers == 650
        michels = {line.id: line.count for line in report.comparisons[0].lines}
        assert michels["VIIIa"] == 20 and michels["X"] == 5
        hiatt = report.comparisons[1]
        assert {line.id: line.count for line in hiatt.lines}["4"] == 30
        assert hiatt.outside == 5 + 15  # type X and the unclassified have no Hiatt type
        loeschner = {line.id: line.count for line in report.comparisons[2].lines}
        assert loeschner["other"] == 100 + 30 and loeschner["unclassified"] == 15

    def test_text_and_json(self) -> None:
        report = prevalence_report(summary_of({"I": 110, "II": 90}), ["michels-1966"])
        text = report_text(report)
        assert "Michels 1966: cadaver dissections, n = 200" in text
        assert "55.0 % (48.1–61.7)  110/200" in text  # the published row and its interval
        document = report_dict(report)
        assert document["format"] == "hepatic-prevalence-report/1"
        (only,) = document["tables"]
        first = only["rows"][0]
        assert first["observed"] == {
            "count": 110,
            "of": 200,
            "share": 0.55,
            "interval": list(wilson(110, 200)),
        }
        assert json.dumps(document)  # plain JSON

    @pytest.mark.parametrize("suffix", [".png", ".svg"])
    def test_the_figure_is_well_formed(self, tmp_path: Path, suffix: str) -> None:
        report = prevalence_report(summary_of({"I": 550, "III": 110, "V": 80}, 20))
        path = tmp_path / f"figure{suffix}"
        plot_report(report, path)
        data = path.read_bytes()
        if suffix == ".png":
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
            assert width == 1125 and height > width
        else:
            root = ET.fromstring(data)
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
            assert {"Michels III", "Hiatt 3", "not in this table"} <= texts

    def test_the_command(self, tmp_path: Path) -> None:
        summary = tmp_path / "summary.json"
        summary.write_text(json.dumps(summary_of({"I": 60, "VI": 40}).as_dict()))
        runner = CliRunner()
        done = runner.invoke(main, ["prevalence", str(summary), "--table", "hiatt-1994"])
        assert (
            done.exit_code == 0
            and "Hiatt 1994" in done.stdout
            and "Michels 1966" not in done.stdout
        )
        done = runner.invoke(
            main, ["prevalence", str(summary), "--json", "--plot", str(tmp_path / "f.svg")]
        )
        assert done.exit_code == 0 and json.loads(done.stdout)["answers"] == 100
        assert (tmp_path / "f.svg").is_file()
        done = runner.invoke(main, ["prevalence", str(summary), "--table", "nope"])
        assert done.exit_code == 2 and "loeschner-2015" in done.stderr
