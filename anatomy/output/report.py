"""The report: one self-contained HTML page of a case, and a PDF of the same page.

The page opens with the classification's headline and the anatomical schematic (the
figure a report reader takes in at a glance), then the plan in brief as ``hepatic plan``
prints it, the classification's reasons and findings, what the study has not excluded,
the plan per tumor (levels in words, non-target branches, the collaterals to look for),
the response when follow-up is given, the tree diagram on a landscape page when asked,
and the references: every source key the page cites (S31 …) with its full citation
(data/sources.yaml). Then the tool and pattern-data versions and the intended-use line;
no patient identifiers (the case format has none, and the case id is not shown). Every
piece of case text is HTML-escaped; the page loads nothing and runs no script (a
Content-Security-Policy says so). The plan is read typed, through its fields; the
response comes in as its JSON document. The PDF is the page printed by headless
Chromium (``./dev serve`` and ``./dev check`` install it) under the renderer limits
(``anatomy.output.processes``: a time limit, a cap on renderers at once, stopped when the
caller goes away); without it, ``RendererMissingError`` names the fix. A tree too large to
draw (``HEPATIC_MAX_DRAWN_VESSELS``) leaves the report whole: a note stands in for the tree
diagram, since the reader wants the classification and the plan, and a diagram of
thousands of boxes on one page could not be read anyway.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

from anatomy.errors import RendererMissingError, TooLargeToDrawError
from anatomy.output.diagram import Convention, compact_segments, diagram, render
from anatomy.output.documents import versions
from anatomy.output.processes import renderers
from anatomy.output.schematic import schematic
from anatomy.output.text import summary
from anatomy.output.wording import level_words, not_excluded, reasons, unsupplied_advice
from anatomy.planning.warnings import COLLATERAL_LEAD
from anatomy.reference.access import access_site
from anatomy.reference.sources import KEY, sources
from anatomy.reference.vocabulary import kind
from anatomy.segments import segment_names

if TYPE_CHECKING:
    from anatomy.case import Case
    from anatomy.classification.classify import Classification
    from anatomy.planning.plan import Plan
    from anatomy.planning.positions import Position, Target
    from anatomy.planning.warnings import PlanWarning

__all__ = [
    "CHROMIUM_NAMES",
    "INTENDED_USE",
    "find_chromium",
    "html_to_pdf",
    "inline_svg",
    "print_command",
    "report_html",
    "report_pdf",
]

INTENDED_USE = (
    "For research and teaching; not a medical device. Verify every finding against the "
    "source imaging."
)
CHROMIUM_NAMES: tuple[str, ...] = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
)


def report_html(
    case: Case,
    classification: Classification,
    *,
    plan: Plan | None = None,
    response: Mapping[str, Any] | None = None,
    convention: Convention = "angiographic",
    figures: Sequence[str] = ("schematic",),
    cancel: threading.Event | None = None,
) -> str:
    """The report as one self-contained HTML page (inline SVG figures, print CSS).

    ``plan`` is the plan made on the classification's anatomy and ``response`` a
    response-assessment document; either may be None. ``figures`` are the figures shown:
    the anatomical ``schematic`` on the first page (the default), and the ``tree``
    diagram on a landscape page of its own. Every source key the page cites (S31 …) is
    resolved in a reference list at its end. The tree needs Graphviz ``dot``
    (``RendererMissingError`` otherwise), stopped when ``cancel`` is set; a tree with more
    vessels to draw than ``HEPATIC_MAX_DRAWN_VESSELS`` gets a note in its place.
    """
    unknown = [f for f in figures if f not in ("schematic", "tree")]
    if unknown or not figures:
        raise ValueError(f"unknown figure(s) {unknown or figures}; use schematic and/or tree")
    cites: list[str] = []
    body = [_headline_section(classification, plan)]
    if "schematic" in figures:
        # The case title only: the case id may be a local record name, so it stays out.
        svg = schematic(
            classification, plan=plan, tumors=case.tumors, convention=convention, heading=False
        )
        body.append(_figure_section(svg, "schematic", plan is not None))
    if plan is not None and plan.positions:
        body.append(_summary_section(plan))
    body.append(_classification_section(classification, cites))
    body.append(_completeness_section(classification))
    if case.tumors or plan is not None:
        body.append(_plan_section(case, classification, plan, cites))
    if response is not None:
        body.append(_response_section(response))
    if "tree" in figures:
        try:
            source = diagram(
                classification,
                plan=plan,
                tumors=case.tumors,
                convention=convention,
                title=case.title,
                max_vessels=renderers().limits.max_drawn_vessels,
            )
        except TooLargeToDrawError as exc:
            body.append(_tree_left_out(exc))
        else:
            svg = inline_svg(render(source, "svg", cancel=cancel).decode("utf-8"))
            body.append(_figure_section(svg, "tree", plan is not None))
    body.append(_references_section(cites))
    meta = []
    if case.modality:
        meta.append(f"modality {escape(case.modality)}")
    if case.source:
        meta.append(f"source: {escape(case.source)}")
    text = versions()
    template = Template(files("anatomy").joinpath("templates/report.html").read_text("utf-8"))
    return template.substitute(
        title=escape(case.title or "Hepatic arterial anatomy"),
        meta="".join(f" · {m}" for m in meta),
        intended_use=escape(INTENDED_USE),
        body="\n".join(part for part in body if part),
        tool_version=escape(text["tool_version"]),
        data_version=escape(text["data_version"]),
    )


def report_pdf(
    case: Case,
    classification: Classification,
    *,
    plan: Plan | None = None,
    response: Mapping[str, Any] | None = None,
    convention: Convention = "angiographic",
    figures: Sequence[str] = ("schematic",),
    cancel: threading.Event | None = None,
) -> bytes:
    """The report printed to PDF (A4) by headless Chromium."""
    html = report_html(
        case,
        classification,
        plan=plan,
        response=response,
        convention=convention,
        figures=figures,
        cancel=cancel,
    )
    return html_to_pdf(html, cancel=cancel)


def inline_svg(svg: str) -> str:
    """SVG text ready to sit inside HTML: no XML prolog, doctype or comments."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    return re.sub(r"<!--.*?-->\n?", "", body, flags=re.DOTALL).strip()


def find_chromium() -> str | None:
    """The Chromium/Chrome to print with: ``$HEPATIC_CHROMIUM``, else the first on PATH."""
    chosen = os.environ.get("HEPATIC_CHROMIUM")
    if chosen:
        return shutil.which(chosen)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_command(browser: str, page: Path, out: Path, profile: Path) -> list[str]:
    """The headless Chromium command that prints ``page`` to ``out`` (no network, no
    script needed), with its own ``profile`` folder."""
    command = [
        browser,
        "--headless",
        "--disable-gpu",
        "--no-pdf-header-footer",
        "--disable-extensions",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={out}",
        page.as_uri(),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to run as root inside its sandbox; the page is our own,
        # loads nothing and runs no script.
        command.insert(1, "--no-sandbox")
    return command


def html_to_pdf(html: str, *, cancel: threading.Event | None = None) -> bytes:
    """Print an HTML page to PDF with headless Chromium (no network, no script needed).

    Chromium runs under the renderer limits (``anatomy.output.processes``) and is
    stopped, with every process it started, when ``cancel`` is set; past the limits
    ``RendererBusyError`` or ``RenderTimeoutError``."""
    browser = find_chromium()
    if browser is None:
        raise RendererMissingError(
            "No Chromium was found to print the report as PDF. Fix: apt-get install chromium "
            "(or set HEPATIC_CHROMIUM to a Chrome/Chromium binary), or write the report as "
            ".html and print it from a browser.",
            "chromium",
        )
    with tempfile.TemporaryDirectory(prefix="hepatic-report-") as folder:
        page = Path(folder) / "report.html"
        out = Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = print_command(browser, page, out, Path(folder) / "profile")
        try:
            done = renderers().run(command, name=f"Chromium ({browser})", cancel=cancel)
        except OSError as exc:
            raise RendererMissingError(
                f"Chromium ({browser}) could not print the report: {exc}. Fix: check that "
                "`chromium --headless` runs on this machine (apt-get install chromium).",
                "chromium",
            ) from exc
        data = out.read_bytes() if out.is_file() else b""
        if not data.startswith(b"%PDF"):
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-2:]
            raise RendererMissingError(
                f"Chromium ({browser}) wrote no PDF (exit {done.returncode}: "
                f"{'; '.join(tail) or 'no message'}). Fix: check that `chromium --headless "
                "--print-to-pdf` works here, or write .html and print it from a browser.",
                "chromium",
                failed=True,
            )
        return data


# -- sections ---------------------------------------------------------------------------


def _tree_left_out(exc: TooLargeToDrawError) -> str:
    return (
        '<section class="figure tree"><p class="warning">The arterial tree diagram is left '
        f"out of this report: the tree has {exc.drawn:,} vessels to draw, more than the "
        f"{exc.limit:,} drawn in a report. Draw it as DOT text (hepatic render CASE -o "
        "tree.dot, or format=dot from the API) and open it in a Graphviz viewer.</p></section>"
    )


def _list(items: Sequence[str], css: str = "") -> str:
    if not items:
        return ""
    attr = f' class="{css}"' if css else ""
    return f"<ul{attr}>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _cite(text: str, cites: list[str]) -> str:
    """Text escaped, with each source key it mentions linked to the reference list."""
    known = sources()
    out = []
    last = 0
    for found in KEY.finditer(text):
        key = found.group(0)
        if key not in known:
            continue
        out.append(escape(text[last : found.start()]))
        out.append(f'<a href="#ref-{key}">{key}</a>')
        if key not in cites:
            cites.append(key)
        last = found.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _headline(result: Classification) -> str:
    if result.michels is not None:
        sub = f" ({result.michels_subtype})" if result.michels_subtype else ""
        name = f": {result.pattern.name}" if result.pattern is not None else ""
        head = f"Michels type {result.michels}{sub}{name}"
    elif result.outcome == "incomplete":
        head = "Michels type cannot be determined from this study (incomplete)"
    else:
        head = "Unclassified: fits no Michels type"
    hiatt = f"Hiatt type {result.hiatt}" if result.hiatt is not None else "Hiatt type —"
    return f"{head} · {hiatt}"


def _headline_section(result: Classification, plan: Plan | None) -> str:
    parts = [f'<p class="headline">{escape(_headline(result))}</p>']
    if plan is not None:
        parts.append(f'<p class="meta">Access: {escape(access_site(plan.access).label)}.</p>')
    return "\n".join(parts)


def _figure_section(svg: str, figure: str, planned: bool) -> str:
    if figure == "schematic":
        caption = "Each hepatic artery from its origin into the Couinaud segments it supplies"
        css = "schematic"
    else:
        caption = "The arterial tree as classified"
        css = "tree"
    if planned:
        caption += "; numbered: the planned catheter positions"
    return (
        f'<section class="figure {css}"><figure>{svg}<figcaption>{caption}.</figcaption>'
        "</figure></section>"
    )


def _summary_section(plan: Plan) -> str:
    """The plan in brief, as ``hepatic plan`` prints it: recommended, then alternatives."""
    parts = ['<section class="summary"><h2>Plan in brief</h2>']
    items = summary(plan, prompts=False)  # the plan section below gives them per position
    open_lists = 0
    for depth, text in items:
        while open_lists > depth:
            parts.append("</ul>")
            open_lists -= 1
        if depth == 0:
            parts.append(f'<p class="summary-head">{escape(text)}</p>')
            continue
        while open_lists < depth:
            parts.append("<ul>")
            open_lists += 1
        parts.append(f"<li>{escape(text)}</li>")
    parts += ["</ul>"] * open_lists
    parts.append("</section>")
    return "\n".join(parts)


def _classification_section(result: Classification, cites: list[str]) -> str:
    parts = ["<section><h2>Classification</h2>"]
    if result.michels == "VIII":
        parts.append(
            "<p>VIIIa = replaced RHA from the SMA + accessory LHA from the LGA; "
            "VIIIb = replaced LHA from the LGA + accessory RHA from the SMA (both "
            "reported as Michels VIII).</p>"
        )
    if result.named_variants:
        parts.append(
            "<p>Named variant outside Michels: "
            + escape("; ".join(p.name for p in result.named_variants))
            + "</p>"
        )
    parts.append("<h3>Reasons</h3>")
    parts.append(_list([_cite(r, cites) for r in reasons(result)]))
    findings = [f for f in result.findings if f.code != "hepatic_trunk_origin"]
    if findings:
        parts.append("<h3>Findings</h3>")
        parts.append(_list([_cite(f.message, cites) for f in findings]))
    if result.warnings:
        parts.append("<h3>Warnings</h3>")
        parts.append(_list([_cite(w.message, cites) for w in result.warnings], "warning"))
    parts.append("</section>")
    return "\n".join(parts)


def _completeness_section(result: Classification) -> str:
    items = [f"Cannot be excluded: {escape(line)}." for line in not_excluded(result)]
    for segments, where in unsupplied_advice(result.unsupplied):
        items.append(
            f"{escape(segments[:1].upper() + segments[1:])}: no identified supply"
            + (f"; look for {escape(where)}." if where else ".")
        )
    terr = result.anatomy.territories
    for node in sorted(terr.assumed):
        items.append(
            f"Territory of {escape(node)} assumed from its name: "
            f"{escape(compact_segments(terr.assumed[node]))}."
        )
    if not items:
        return (
            "<section><h2>Completeness</h2><p>Nothing left to exclude: every segment "
            "has an identified supply and no Michels type is ruled in by a missing run."
            "</p></section>"
        )
    return "<section><h2>Completeness</h2>" + _list(items, "warning") + "</section>"


def _plan_section(case: Case, result: Classification, plan: Plan | None, cites: list[str]) -> str:
    parts = ["<section><h2>Plan per tumor</h2>"]
    if plan is None:
        parts.append("<p>No plan was made.</p></section>")
        return "\n".join(parts)
    by_tumor = {item.tumor.id: item for item in plan.tumors}
    by_number = {t.number: t for t in plan.positions}
    shown: set[int] = set()  # positions already tabled for an earlier tumor
    for tumor in case.tumors:
        size = f", {tumor.diameter_mm:g} mm" if tumor.diameter_mm is not None else ""
        name = tumor.label or f"Tumor {tumor.id}"
        where = compact_segments(tumor.segments)
        plural = "s" if len(segment_names(tumor.segments)) > 1 else ""
        parts.append(f"<h3>{escape(name)} (segment{plural} {escape(where)}{escape(size)})</h3>")
        item = by_tumor.get(tumor.id)
        if item is None:
            parts.append("<p>Not in the plan.</p>")
            continue
        feeders = [
            f"{escape(_vessel_name(result, f.vessel))}: "
            f"{escape(compact_segments(f.segments) or '—')}"
            + ("" if f.reachable else " (no catheter position reaches it)")
            for f in item.feeders
        ]
        if feeders:
            parts.append("<p>Feeders: " + "; ".join(feeders) + ".</p>")
        if item.unsupplied:
            parts.append(
                '<p class="warning">No identified feeder for segment(s) '
                f"{escape(compact_segments(item.unsupplied))}.</p>"
            )
        targets = [by_number[n] for n in item.targets if n in by_number]
        again = [t for t in targets if t.number in shown]
        fresh = [t for t in targets if t.number not in shown]
        if not targets:
            parts.append('<p class="warning">No catheter position reaches this tumor.</p>')
        if again:
            parts.append(
                "<p>"
                + "; ".join(
                    f"Catheter position {t.number}, "
                    f"{escape(_vessel_name(result, t.position.vessel))}, "
                    f"{escape(level_words(t.position.level))}, as above"
                    for t in again
                )
                + ".</p>"
            )
        if fresh:
            parts.append(_targets_table(result, fresh))
            shown.update(t.number for t in fresh)
        # A position's prompts (protect first, not shown, superselect) once, with the
        # position's first table; the tumor's own warnings after.
        fresh_numbers = {t.number for t in fresh}
        warnings = [w for w in item.warnings if w.position is None or w.position in fresh_numbers]
        parts.append(_warnings(warnings, cites))
    if plan.warnings:
        parts.append("<h3>The study</h3>" + _warnings(plan.warnings, cites))
    parts.append("</section>")
    return "\n".join(parts)


def _warnings(warnings: Sequence[PlanWarning], cites: list[str]) -> str:
    """Warnings as a list; a collateral check lists the collaterals in order, with their
    sources, as ``hepatic plan`` does."""
    items: list[str | int] = []  # an int stands for a position's not-shown prompts, in one item
    briefs: dict[int, list[str]] = {}
    for warning in warnings:
        if warning.brief is not None and warning.position is not None:
            if warning.position not in briefs:
                briefs[warning.position] = []
                items.append(warning.position)
            briefs[warning.position].append(_cite(warning.brief, cites))
            continue
        text = _cite(warning.message, cites)
        if warning.collaterals:
            # the list below replaces the message's own run-on list, as hepatic plan does
            head, _, _ = warning.message.partition(COLLATERAL_LEAD)
            text = _cite(head + COLLATERAL_LEAD, cites)
            rows = []
            for check in warning.collaterals:
                row = check.collateral
                seen = f" — seen: {', '.join(check.seen)}" if check.seen else f" — {row.study}"
                keys = " ".join(f"[{k}]" for k in row.sources)
                rows.append(_cite(f"{row.name}{seen} {keys}".rstrip(), cites))
            text += "<ol>" + "".join(f"<li>{r}</li>" for r in rows) + "</ol>"
        elif warning.sources and not all(f"[{k}]" in warning.message for k in warning.sources):
            text += " " + _cite(" ".join(f"[{k}]" for k in warning.sources), cites)
        items.append(text)
    return _list(
        [
            f"Not shown at position {item}; look for them before embolizing: "
            + "; ".join(briefs[item])
            + "."
            if isinstance(item, int)
            else item
            for item in items
        ],
        "warning",
    )


def _targets_table(result: Classification, targets: Sequence[Target]) -> str:
    rows = []
    for target in targets:
        tip = target.position
        rows.append(
            "<tr>"
            f"<td>{target.number}</td>"
            f"<td>{escape(_vessel_name(result, tip.vessel))}</td>"
            f"<td>{escape(level_words(tip.level))}</td>"
            f"<td>{escape(compact_segments(tip.segments))}</td>"
            f"<td>{escape(compact_segments(tip.non_tumor_segments) or 'none')}</td>"
            f"<td>{escape(_non_target_text(tip))}</td>"
            "</tr>"
        )
    # the route of each position is in the plan in brief
    return (
        "<table><thead><tr><th>#</th><th>catheter position</th><th>level</th>"
        "<th>segments treated</th><th>non-tumor segments</th>"
        "<th>non-target branches downstream</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _references_section(cites: Sequence[str]) -> str:
    """Every source key the page cites, with its full citation, in key order."""
    if not cites:
        return ""
    known = sources()
    items = []
    for key in sorted(cites, key=lambda k: int(k[1:])):
        entry = known[key]
        links = " ".join(f'<span class="url">{escape(u)}</span>' for u in entry.urls)
        items.append(
            f'<li id="ref-{key}"><b>{key}</b> {escape(entry.citation)}'
            + (f" {links}" if links else "")
            + "</li>"
        )
    return (
        '<section class="references"><h2>References</h2><ul>' + "".join(items) + "</ul></section>"
    )


def _response_section(response: Mapping[str, Any]) -> str:
    """RECIST 1.1 and mRECIST per follow-up time point (anatomy/response.py's JSON)."""
    criteria = response.get("criteria") or {}
    names = {
        key: str(value.get("name") or key)
        for key, value in criteria.items()
        if isinstance(value, Mapping)
    }
    parts = ["<section><h2>Response</h2>"]
    baseline = response.get("baseline") or {}
    for key in sorted(baseline):
        block = baseline[key]
        if isinstance(block, Mapping) and block.get("explanation"):
            parts.append(
                f"<p><b>{escape(names.get(key, key))} targets:</b> "
                f"{escape(str(block['explanation']))}</p>"
            )
    rows = []
    arithmetic = []
    for item in _items(response, "assessments"):
        interval = str(item.get("interval") or "")
        for key in ("recist", "mrecist"):
            result = item.get(key)
            if not isinstance(result, Mapping):
                continue
            name = names.get(key, key)
            rows.append(
                "<tr>"
                f"<td>{escape(interval)}</td><td>{escape(name)}</td>"
                f"<td><b>{escape(_text(result.get('summary') or result.get('category')))}</b></td>"
                f"<td>{escape(_mm(result.get('baseline_sum_mm')))}</td>"
                f"<td>{escape(_mm(result.get('current_sum_mm')))}</td>"
                f"<td>{escape(_pct(result.get('change_vs_baseline_pct')))}</td>"
                f"<td>{escape(_mm(result.get('nadir_sum_mm')))}</td>"
                f"<td>{escape(_new_lesions(result))}</td>"
                "</tr>"
            )
            lines = [escape(str(line)) for line in result.get("arithmetic") or ()]
            if lines:
                arithmetic.append(f"{escape(interval)}, {escape(name)}:" + _list(lines))
    if rows:
        parts.append(
            "<table><thead><tr><th>interval</th><th>criterion</th><th>category</th>"
            "<th>baseline sum</th><th>sum now</th><th>change vs baseline</th>"
            "<th>nadir sum</th><th>new lesions</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
    if arithmetic:
        parts.append("<h3>Arithmetic</h3>" + _list(arithmetic))
    parts.append("</section>")
    return "\n".join(parts)


def _new_lesions(result: Mapping[str, Any]) -> str:
    """New lesions as counted (PD) and as equivocal (followed), never one number for both."""
    listed = result.get("new_lesions")
    counted, equivocal = result.get("new_lesions_counted"), result.get("new_lesions_equivocal")
    if not isinstance(counted, int) or not isinstance(equivocal, int):
        return _text(listed)  # a document from before new lesions were judged
    parts = [f"{counted} counted (PD)"] if counted else []
    if equivocal:
        parts.append(f"{equivocal} equivocal: follow up")
    return ", ".join(parts) or "none"


def _mm(value: Any) -> str:
    return "—" if value is None else f"{_text(value)} mm"


def _pct(value: Any) -> str:
    if value is None:
        return "—"
    return f"{'+' if isinstance(value, int | float) and value > 0 else ''}{_text(value)} %"


def _vessel_name(result: Classification, node: str) -> str:
    tree = result.anatomy.tree
    if node not in tree:
        return node
    name = tree.vessel[node].kind
    return f"{kind(name).abbreviation} ({node})" if name else f"unnamed branch {node}"


def _non_target_text(tip: Position) -> str:
    branches = list(tip.downstream)
    if tip.tip_non_target is not None:
        branches.insert(0, tip.tip_non_target)
    out = [f"{b.name} ({b.organ_at_risk})" if b.organ_at_risk else b.name for b in branches]
    return "; ".join(out) or "none"


def _items(document: Mapping[str, Any] | None, key: str) -> list[Mapping[str, Any]]:
    if document is None:
        return []
    value = document.get(key) or []
    return [v if isinstance(v, Mapping) else {"message": v} for v in value]


def _text(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("message") or value.get("text") or value)
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
