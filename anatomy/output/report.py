"""The report: one self-contained HTML page of a case, and a PDF of the same page.

The page holds the case title, the classification and its reasons, completeness
warnings, the plan per tumor, the response when follow-up is given, the diagram as
inline SVG, the tool and pattern-data versions and the intended-use line; no patient
identifiers (the case format has none, and the case id is not shown). Every piece of case
text is HTML-escaped; the page loads nothing and runs no script (a Content-Security-
Policy says so). The plan and the response come in as their JSON documents (the
contract in case-format.md), so this module needs no planner internals. The PDF is the
page printed by headless Chromium; without it, ``RendererMissingError`` names the fix.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

from anatomy.errors import RendererMissingError
from anatomy.output.diagram import Convention, compact_segments, diagram, render
from anatomy.output.documents import plan_dict, versions
from anatomy.output.wording import not_excluded, reasons, unsupplied_advice
from anatomy.segments import Segment, parse_segment, segment_names

if TYPE_CHECKING:
    from anatomy.case import Case
    from anatomy.classification.classify import Classification
    from anatomy.planning.plan import Plan

__all__ = [
    "CHROMIUM_NAMES",
    "INTENDED_USE",
    "find_chromium",
    "html_to_pdf",
    "inline_svg",
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
_PDF_TIMEOUT_S = 120


def report_html(
    case: Case,
    classification: Classification,
    *,
    plan: Plan | None = None,
    response: Mapping[str, Any] | None = None,
    convention: Convention = "angiographic",
) -> str:
    """The report as one self-contained HTML page (inline SVG diagram, print CSS).

    ``plan`` is the plan made on the classification's anatomy and ``response`` a
    response-assessment document; either may be None. Needs Graphviz ``dot`` for the
    diagram (``RendererMissingError`` otherwise).
    """
    numbers = {t.position.vessel: t.number for t in plan.positions} if plan else {}
    # The case title only: the case id may be a local record name, so it stays out.
    source = diagram(
        classification,
        plan=plan,
        tumors=case.tumors,
        convention=convention,
        title=case.title,
    )
    svg = inline_svg(render(source, "svg").decode("utf-8"))
    body = [
        _classification_section(classification),
        _completeness_section(classification),
        _diagram_section(svg, bool(numbers)),
    ]
    if case.tumors or plan is not None:
        document = plan_dict(plan) if plan is not None else None
        body.append(_plan_section(case, classification, document, numbers))
    if response is not None:
        body.append(_response_section(response))
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
) -> bytes:
    """The report printed to PDF (A4) by headless Chromium."""
    html = report_html(case, classification, plan=plan, response=response, convention=convention)
    return html_to_pdf(html)


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


def html_to_pdf(html: str) -> bytes:
    """Print an HTML page to PDF with headless Chromium (no network, no script needed)."""
    browser = find_chromium()
    if browser is None:
        raise RendererMissingError(
            "No Chromium was found to print the report as PDF. Fix: apt-get install chromium "
            "(or set HEPATIC_CHROMIUM to a Chrome/Chromium binary), or write the report as "
            ".html and print it from a browser."
        )
    with tempfile.TemporaryDirectory(prefix="hepatic-report-") as folder:
        page = Path(folder) / "report.html"
        out = Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--disable-extensions",
            "--no-first-run",
            "--disable-dev-shm-usage",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Chromium refuses to run as root inside its sandbox; the page is our own,
            # loads nothing and runs no script.
            command.insert(1, "--no-sandbox")
        try:
            done = subprocess.run(command, capture_output=True, timeout=_PDF_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RendererMissingError(
                f"Chromium ({browser}) could not print the report: {exc}. Fix: check that "
                "`chromium --headless` runs on this machine (apt-get install chromium)."
            ) from exc
        data = out.read_bytes() if out.is_file() else b""
        if not data.startswith(b"%PDF"):
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-2:]
            raise RendererMissingError(
                f"Chromium ({browser}) wrote no PDF (exit {done.returncode}: "
                f"{'; '.join(tail) or 'no message'}). Fix: check that `chromium --headless "
                "--print-to-pdf` works here, or write .html and print it from a browser."
            )
        return data


# -- sections ---------------------------------------------------------------------------


def _list(items: Sequence[str], css: str = "") -> str:
    if not items:
        return ""
    attr = f' class="{css}"' if css else ""
    return f"<ul{attr}>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _classification_section(result: Classification) -> str:
    if result.michels is not None:
        sub = f" ({result.michels_subtype})" if result.michels_subtype else ""
        name = f": {result.pattern.name}" if result.pattern is not None else ""
        head = f"Michels type {result.michels}{sub}{name}"
    elif result.outcome == "incomplete":
        head = "Michels type cannot be determined from this study (incomplete)"
    else:
        head = "Unclassified: fits no Michels type"
    hiatt = f"Hiatt type {result.hiatt}" if result.hiatt is not None else "Hiatt type —"
    parts = [
        "<section><h2>Classification</h2>",
        f'<p class="headline">{escape(head)} · {escape(hiatt)}</p>',
    ]
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
    parts.append(_list([escape(r) for r in reasons(result)]))
    findings = [f for f in result.findings if f.code != "hepatic_trunk_origin"]
    if findings:
        parts.append("<h3>Findings</h3>")
        parts.append(
            _list(
                [
                    f'{escape(f.message)} <span class="code">{escape(f.code)}</span>'
                    for f in findings
                ]
            )
        )
    if result.warnings:
        parts.append("<h3>Warnings</h3>")
        parts.append(_list([escape(w.message) for w in result.warnings], "warning"))
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


def _diagram_section(svg: str, planned: bool) -> str:
    caption = (
        "The arterial tree as classified; numbered boxes are the planned catheter "
        "positions, their paths drawn thick."
        if planned
        else "The arterial tree as classified."
    )
    return (
        f"<section><h2>Diagram</h2><figure>{svg}<figcaption>{caption}</figcaption>"
        "</figure></section>"
    )


def _plan_section(
    case: Case,
    result: Classification,
    plan: Mapping[str, Any] | None,
    numbers: Mapping[str, int],
) -> str:
    parts = ["<section><h2>Plan per tumor</h2>"]
    if plan is None:
        parts.append("<p>No plan was made.</p></section>")
        return "\n".join(parts)
    access = plan.get("access")
    if isinstance(access, Mapping) and access.get("site"):
        parts.append(f"<p>Access: {escape(str(access['site']))}.</p>")
    documents = {str(t.get("id")): t for t in _items(plan, "tumors")}
    for tumor in case.tumors:
        size = f", {tumor.diameter_mm:g} mm" if tumor.diameter_mm is not None else ""
        name = tumor.label or f"Tumor {tumor.id}"
        where = compact_segments(tumor.segments)
        parts.append(
            f"<h3>{escape(name)} (segment{'s' if len(segment_names(tumor.segments)) > 1 else ''} "
            f"{escape(where)}{escape(size)})</h3>"
        )
        document = documents.get(tumor.id)
        if document is None:
            parts.append("<p>Not in the plan.</p>")
            continue
        feeders = [
            f"{escape(_vessel_name(result, str(f.get('vessel'))))}: "
            f"{escape(_segments_text(f.get('segments')) or '—')}"
            + ("" if f.get("reachable", True) else " (no catheter position reaches it)")
            for f in _items(document, "feeders")
        ]
        if feeders:
            parts.append("<p>Feeders: " + "; ".join(feeders) + ".</p>")
        unsupplied = _segments_text(document.get("unsupplied_segments"))
        if unsupplied:
            parts.append(
                f'<p class="warning">No identified feeder for segment(s) {escape(unsupplied)}.</p>'
            )
        targets = _items(document, "targets")
        if not targets:
            parts.append('<p class="warning">No catheter position reaches this tumor.</p>')
        else:
            parts.append(_targets_table(result, targets, numbers))
        parts.append(_list([escape(_text(w)) for w in _items(document, "warnings")], "warning"))
    notes = [escape(_text(w)) for w in _items(plan, "warnings")]
    if notes:
        parts.append("<h3>Plan warnings</h3>" + _list(notes, "warning"))
    alternatives = []
    for item in _items(plan, "alternatives"):
        cost = item.get("cost")
        costs = (
            f" (non-target branches {cost.get('non_target_branches')}, non-tumor "
            f"segments {cost.get('non_tumor_segments')}, positions {cost.get('positions')})"
            if isinstance(cost, Mapping)
            else ""
        )
        alternatives.append(
            f"{escape(str(item.get('name') or 'alternative'))}: "
            f"{escape(str(item.get('description') or ''))}{escape(costs)}"
        )
    if alternatives:
        parts.append("<h3>Alternatives</h3>" + _list(alternatives))
    parts.append("</section>")
    return "\n".join(parts)


def _targets_table(
    result: Classification, targets: Sequence[Mapping[str, Any]], numbers: Mapping[str, int]
) -> str:
    rows = []
    for target in targets:
        vessel_id = str(target.get("vessel", ""))
        number = target.get("number", numbers.get(vessel_id))
        route = target.get("route_text") or " > ".join(str(p) for p in target.get("path") or ())
        rows.append(
            "<tr>"
            f"<td>{escape(str(number)) if number is not None else ''}</td>"
            f"<td>{escape(_vessel_name(result, vessel_id))}</td>"
            f"<td>{escape(str(target.get('level') or ''))}</td>"
            f"<td>{escape(_segments_text(target.get('segments')))}</td>"
            f"<td>{escape(_segments_text(target.get('non_tumor_segments')) or 'none')}</td>"
            f"<td>{escape(_non_target_text(target))}</td>"
            f'<td class="code">{escape(str(route))}</td>'
            "</tr>"
        )
    return (
        "<table><thead><tr><th>#</th><th>catheter position</th><th>level</th>"
        "<th>segments treated</th><th>non-tumor segments</th>"
        "<th>non-target branches downstream</th><th>route</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
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
    from anatomy.reference.vocabulary import kind

    tree = result.anatomy.tree
    if node not in tree:
        return node
    name = tree.vessel[node].kind
    return f"{kind(name).abbreviation} ({node})" if name else f"unnamed branch {node}"


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


def _segments_text(value: Any) -> str:
    if not value:
        return ""
    found: set[Segment] = set()
    for item in value:
        try:
            found |= parse_segment(item)
        except ValueError:
            return ", ".join(str(v) for v in value)
    return compact_segments(found)


def _non_target_text(target: Mapping[str, Any]) -> str:
    branches = list(target.get("downstream") or [])
    if isinstance(target.get("tip_non_target"), Mapping):
        branches.insert(0, target["tip_non_target"])
    out = []
    for item in branches:
        if isinstance(item, Mapping):
            name = item.get("name") or item.get("vessel") or "branch"
            organ = item.get("organ_at_risk")
            out.append(f"{name} ({organ})" if organ else str(name))
        else:
            out.append(str(item))
    return "; ".join(out) or "none"
