"""The report: one self-contained HTML page, and the same page as a PDF.

The PDF is printed by headless Chromium (CI installs it with ./dev check); nothing here
is skipped without it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from anatomy.case import Case, load_case, parse_case
from anatomy.cli.main import main
from anatomy.errors import RendererMissingError
from anatomy.output.documents import versions
from anatomy.output.report import (
    INTENDED_USE,
    find_chromium,
    html_to_pdf,
    inline_svg,
    report_html,
)
from anatomy.output.schematic import FONT_PX
from anatomy.pipeline import answer
from anatomy.reference.sources import cited, source
from anatomy.response.assess import assess, parse_followup, response_dict
from tests.test_case import SEED
from tests.test_render import pdf_pages
from tests.trees import case


def seed() -> Case:
    return load_case(SEED)


def reported(case: Case, *, with_plan: bool = False, **options: Any) -> str:
    """The case's report page, classified (and planned) on the way."""
    done = answer(case, with_plan=with_plan)
    return report_html(case, done.classification, plan=done.plan, **options)


class _Page(HTMLParser):
    """Collects tags and the resources a page would load."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href") and value and not value.startswith("#"):
                self.loads.append(value)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


class TestHtml:
    def test_self_contained_page(self) -> None:
        html = reported(seed(), with_plan=True)
        page = parse(html)
        assert page.loads == []  # nothing fetched: no scripts, styles, images or fonts
        assert "script" not in page.tags
        assert "svg" in page.tags and "style" in page.tags
        assert "Content-Security-Policy" in html
        assert "@media print" in html and "@page" in html

    def test_holds_what_a_report_needs(self) -> None:
        html = reported(seed(), with_plan=True)
        text = versions()
        for needed in (
            "Replaced right hepatic artery from the SMA; neuroendocrine liver metastases",
            "Michels type III",
            "Hiatt type 3",
            "Reasons",
            "Completeness",
            "Segment I: no identified supply",
            "Plan per tumor",
            "LHA (lha)",
            "R femoral &gt; EIA",
            text["tool_version"],
            text["data_version"],
            "not a medical device",
        ):
            assert needed in html, needed
        assert INTENDED_USE.split(";")[0] in html

    def test_no_case_id(self) -> None:
        # The case id may be a local record name; the report shows the title only.
        html = reported(seed())
        assert "khassaf-2025-net" not in html

    def test_diagram_is_inline_svg_with_vessel_titles(self) -> None:
        html = reported(seed(), with_plan=True)
        svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
        root = ET.fromstring(svg)
        titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
        assert {"ao", "sma", "rrha", "lha", "Tumor t1"} <= titles
        assert "<?xml" not in html and "<!DOCTYPE svg" not in html

    def test_case_text_is_escaped(self) -> None:
        tree = case(
            ("ao", "aorta", None, []),
            ("ct", "celiac_trunk", "ao", []),
            title="<script>alert(1)</script>",
            source="A & B <i>",
            tumors=[{"id": "t1", "segments": ["V"], "label": "<b>big</b>"}],
        )
        html = reported(parse_case(tree), with_plan=True)
        assert "<script>" not in html and "<b>big</b>" not in html and "<i>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;b&gt;big&lt;/b&gt;" in html

    def test_without_plan_or_tumors(self) -> None:
        tree = case(("ao", "aorta", None, []), ("ct", "celiac_trunk", "ao", []))
        html = reported(parse_case(tree))
        assert "Plan per tumor" not in html
        assert "Michels" in html

    def test_unclassified_case_says_so(self) -> None:
        tree = case(
            ("ao", "aorta", None, []),
            ("ct", "celiac_trunk", "ao", []),
            ("cha", "CHA", "ct", []),
            ("gda", "GDA", "cha", []),
            ("pha", "PHA", "cha", []),
            ("lha", "LHA", "pha", ["II", "III", "IV"]),
            ("rrha", "RHA", "gda", ["V", "VI", "VII", "VIII"]),
        )
        html = reported(parse_case(tree))
        assert "Unclassified" in html or "cannot be determined" in html

    def test_response_section(self) -> None:
        # The seed's lesion went from 85 to 40 mm after one TACE (Khassaf & Abed 2025).
        baseline = seed().tumors
        followup = parse_followup(
            {
                "assessments": [
                    {
                        "interval": "week 6",
                        "lesions": [
                            {"id": "t1", "diameter_mm": 40},
                            {"id": "t2", "diameter_mm": 30},
                        ],
                    }
                ]
            },
            baseline,
        )
        response = response_dict(assess(baseline, followup))
        html = reported(seed(), response=response)
        section = html[html.index("<h2>Response</h2>") :]
        assert "week 6" in section and "<b>PR</b>" in section
        assert "132 mm" in section and "70 mm" in section and "-47 %" in section

    def test_an_equivocal_new_lesion_is_reported_as_such(self) -> None:
        # A 7 mm arterially enhancing focus without washout (issue 10, item 8).
        baseline = seed().tumors
        focus = {"segments": ["VI"], "diameter_mm": 7, "arterial_enhancement": True}
        followup = parse_followup(
            {
                "assessments": [
                    {
                        "interval": "week 6",
                        "lesions": [
                            {"id": "t1", "diameter_mm": 40, "enhancing_diameter_mm": 40},
                            {"id": "t2", "diameter_mm": 30, "enhancing_diameter_mm": 30},
                        ],
                        "new_lesions": [{**focus, "washout": False}],
                    }
                ]
            },
            baseline,
        )
        html = reported(seed(), response=response_dict(assess(baseline, followup)))
        section = html[html.index("<h2>Response</h2>") :]
        assert "<b>PR (equivocal new lesion: follow up)</b>" in section
        assert "1 equivocal: follow up" in section and "<b>PD</b>" not in section
        assert "rule (mRECIST): A new liver lesion means progression when" in section

    def test_inline_svg_strips_the_prolog(self) -> None:
        svg = (
            '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<!-- Generated by graphviz -->\n'
            '<svg xmlns="http://www.w3.org/2000/svg"><!-- x --><g/></svg>'
        )
        assert inline_svg(svg) == '<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>'


class TestPdf:
    def test_pdf_is_valid(self) -> None:
        data = html_to_pdf(reported(seed(), with_plan=True))
        assert 1 <= pdf_pages(data) <= 6

    def test_missing_chromium_is_a_clear_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("HEPATIC_CHROMIUM", raising=False)
        monkeypatch.setenv("PATH", str(tmp_path))
        with pytest.raises(RendererMissingError, match="apt-get install chromium"):
            html_to_pdf("<html></html>")

    def test_named_browser_that_is_not_there(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HEPATIC_CHROMIUM", "no-such-browser-here")
        with pytest.raises(RendererMissingError, match="HEPATIC_CHROMIUM"):
            html_to_pdf("<html></html>")


class TestReportCommand:
    def test_html(self, tmp_path: Path) -> None:
        out = tmp_path / "seed.html"
        result = CliRunner().invoke(main, ["report", str(SEED), "-o", str(out)])
        assert result.exit_code == 0, result.output
        html = out.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>")
        assert re.search(r"<h2>Plan per tumor</h2>", html)

    def test_pdf(self, tmp_path: Path) -> None:
        out = tmp_path / "seed.pdf"
        result = CliRunner().invoke(main, ["report", str(SEED), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert pdf_pages(out.read_bytes()) >= 1

    def test_followup_adds_the_response(self, tmp_path: Path) -> None:
        followup = tmp_path / "followup.yaml"
        followup.write_text(
            "format: hepatic-followup/1\nassessments:\n  - interval: week 6\n"
            "    lesions:\n      - {id: t1, diameter_mm: 40}\n"
            "      - {id: t2, diameter_mm: 30}\n",
            encoding="utf-8",
        )
        out = tmp_path / "seed.html"
        args = ["report", str(SEED), "-o", str(out), "--followup", str(followup)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert "<h2>Response</h2>" in out.read_text(encoding="utf-8")

    def test_bad_followup_exits_cleanly(self, tmp_path: Path) -> None:
        followup = tmp_path / "followup.yaml"
        followup.write_text(
            "assessments:\n  - interval: week 6\n    lesions: [{id: t9}]\n", encoding="utf-8"
        )
        args = ["report", str(SEED), "-o", str(tmp_path / "x.html"), "--followup", str(followup)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2
        assert "t9" in result.stderr and "Traceback" not in result.stderr

    def test_unknown_suffix_is_refused(self, tmp_path: Path) -> None:
        result = CliRunner().invoke(main, ["report", str(SEED), "-o", str(tmp_path / "x.doc")])
        assert result.exit_code == 2
        assert ".html or .pdf" in result.output + result.stderr

    def test_missing_chromium_exits_cleanly(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("HEPATIC_CHROMIUM", "no-such-browser-here")
        result = CliRunner().invoke(main, ["report", str(SEED), "-o", str(tmp_path / "x.pdf")])
        assert result.exit_code == 2
        assert "apt-get install chromium" in result.stderr
        assert "Traceback" not in result.output + result.stderr


# -- the seed's report as a radiologist prints it (Khassaf & Abed 2025) ------------------

# A4 (210 x 297 mm) less the report's print margins (13 mm left and right, 10 mm top and
# bottom), in CSS pixels at 96 px/in.
A4_CONTENT_PX = (round(184 / 25.4 * 96), round(277 / 25.4 * 96))


class TestSeedReport:
    def test_two_a4_pages(self) -> None:
        assert pdf_pages(html_to_pdf(reported(seed(), with_plan=True))) == 2

    def test_the_figure_is_on_the_first_page(self) -> None:
        # Laid out as printed (print media, the A4 column's width): the schematic ends
        # above the first page's bottom, and nothing forces a page break before it.
        from playwright.sync_api import sync_playwright

        html = reported(seed(), with_plan=True)
        width, height = A4_CONTENT_PX
        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path=find_chromium(), args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.emulate_media(media="print")
                page.set_content(html)
                bottom = page.evaluate(
                    "document.querySelector('.figure.schematic').getBoundingClientRect().bottom"
                )
                label_px = page.evaluate(
                    "(() => { const svg = document.querySelector('.figure.schematic svg');"
                    " return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; })()"
                )
            finally:
                browser.close()
        assert bottom <= height
        smallest = min(FONT_PX.values())
        assert smallest * label_px >= 12  # no label under 12 px on the printed page

    def test_plan_in_brief_levels_in_words_no_internal_names(self) -> None:
        html = reported(seed(), with_plan=True)
        assert "Plan in brief" in html and "Recommended: 1 position" in html
        # Levels read from the territory treated: in Michels III the PHA feeds the left
        # liver only, so even the whole-liver alternative's tip is lobar.
        assert "lobar (one hemiliver)" in html and "whole liver (one tip in the hepatic" in html
        assert "whole_liver" not in html and "lobar:" not in html.replace("lobar: the same", "")

    def test_every_source_key_is_resolved(self) -> None:
        html = reported(seed(), with_plan=True)
        body, _, references = html.partition("<h2>References</h2>")
        used = set(cited(re.sub(r"<[^>]+>", " ", body)))
        assert "S31" in used  # the collateral prior: 61.8 % of 70-90 mm tumors (Zhao 2015)
        listed = set(re.findall(r'<li id="ref-(S\d+)">', references))
        assert used == listed
        assert source("S31").citation in references

    def test_access_is_the_one_asked_for(self, tmp_path: Path) -> None:
        out = tmp_path / "seed.html"
        args = ["report", str(SEED), "-o", str(out), "--access", "right-radial"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert "right radial artery" in out.read_text(encoding="utf-8")

    def test_the_tree_on_a_landscape_page_when_asked(self, tmp_path: Path) -> None:
        out = tmp_path / "seed.html"
        result = CliRunner().invoke(main, ["report", str(SEED), "-o", str(out), "--figure", "both"])
        assert result.exit_code == 0, result.output
        html = out.read_text(encoding="utf-8")
        assert 'class="figure schematic"' in html and 'class="figure tree"' in html
        assert "@page wide { size: A4 landscape" in html
