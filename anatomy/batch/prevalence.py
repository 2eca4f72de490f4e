"""A prevalence report from a batch: type frequencies with 95 % intervals beside the
published tables (data/prevalence/), as text, JSON and a figure.

The denominator is the cases with a whole answer (classified or unclassified); incomplete
studies and records with problems are counted and left out. Each row of a published table
counts the answers it matches (Michels types, Hiatt types or an outcome); answers in no
row are shown as "not in this table". Intervals are Wilson score intervals, for the
batch's counts and for the published ones (a published table has sampling error too).
The figure needs matplotlib (the ``plot`` extra); nothing else does.

>>> low, high = wilson(110, 200)
>>> round(low, 3), round(high, 3)
(0.481, 0.617)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import sqrt
from pathlib import Path
from statistics import NormalDist
from typing import Any

from anatomy.batch.summary import Summary
from anatomy.output.documents import versions
from anatomy.reference.prevalence import Row, Table, tables

__all__ = [
    "REPORT_FORMAT",
    "Comparison",
    "Line",
    "Report",
    "plot_report",
    "prevalence_report",
    "report_dict",
    "report_text",
    "wilson",
]

REPORT_FORMAT = "hepatic-prevalence-report/1"


def wilson(count: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of the proportion ``count / total`` (as fractions)."""
    if total <= 0:
        return (0.0, 1.0)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = count / total
    scale = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / scale
    half = z * sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / scale
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True, slots=True)
class Line:
    """One row: the batch's count and the published one, each with its interval."""

    id: str
    label: str
    count: int
    of: int
    interval: tuple[float, float]
    published_count: int | None
    published_of: int
    published_percent: float | None
    published_interval: tuple[float, float] | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Comparison:
    """The batch beside one published table."""

    table: Table
    lines: tuple[Line, ...]
    outside: int  # answers in no row of the table
    outside_interval: tuple[float, float]


@dataclass(frozen=True, slots=True)
class Report:
    summary: Summary
    answers: int
    confidence: float
    comparisons: tuple[Comparison, ...]


def prevalence_report(
    summary: Summary, table_ids: Sequence[str] | None = None, confidence: float = 0.95
) -> Report:
    """The batch's summary beside the published tables (all of them by default)."""
    chosen = [t for t in tables() if table_ids is None or t.id in table_ids]
    answers = summary.answered
    out = []
    for item in chosen:
        lines = []
        for row in item.rows:
            count = _count(summary, row)
            published = item.count(row)
            percent = row.percent if row.percent is not None else 100 * item.share(row)
            lines.append(
                Line(
                    id=row.id,
                    label=row.label,
                    count=count,
                    of=answers,
                    interval=wilson(count, answers, confidence),
                    published_count=published,
                    published_of=item.n,
                    published_percent=percent,
                    published_interval=wilson(published, item.n, confidence),
                    note=row.note,
                )
            )
        outside = answers - sum(line.count for line in lines)
        out.append(Comparison(item, tuple(lines), outside, wilson(outside, answers, confidence)))
    return Report(summary, answers, confidence, tuple(out))


def _count(summary: Summary, row: Row) -> int:
    match = row.match
    if match.michels is not None:
        return sum(
            n
            for name, n in summary.michels.items()
            if name in match.michels or _viii(name, match.michels)
        )
    if match.hiatt is not None:
        return sum(summary.hiatt[t] for t in match.hiatt)
    return sum(summary.outcomes[o] for o in match.outcome or ())


def _viii(name: str, wanted: frozenset[str]) -> bool:
    return name.startswith("VIII") and "VIII" in wanted


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def _cell(share: float, interval: tuple[float, float]) -> str:
    """A share and its interval in fixed widths: `` 55.0 % (48.1–61.7)``."""
    return f"{_pct(share):>5} % ({_pct(interval[0]):>4}–{_pct(interval[1]):>4})"


def report_text(report: Report) -> str:
    """The report for people: one block per published table."""
    level = f"{100 * report.confidence:g} %"
    left = report.summary.outcomes["incomplete"] + report.summary.outcomes["error"]
    lines = [
        f"Prevalence in {report.answers:,} cases with a whole answer (classified or "
        f"unclassified; {left:,} incomplete or error records left out); {level} Wilson "
        "intervals.",
    ]
    if report.summary.provisional:
        lines.append(
            f"{report.summary.provisional:,} of the types are provisional (a partial study "
            "that leaves other types open)."
        )
    for comparison in report.comparisons:
        item = comparison.table
        lines += [
            "",
            f"{item.name}: {item.population}, n = {item.n:,} ({', '.join(item.sources)})",
            f"  {'':<24}{'this batch':<31}published",
        ]
        for line in comparison.lines:
            theirs = "—"
            if line.published_interval is not None and line.published_percent is not None:
                theirs = (
                    f"{_cell(line.published_percent / 100, line.published_interval)}"
                    f"  {line.published_count}/{line.published_of}"
                )
            share = line.count / line.of if line.of else 0.0
            mine = f"{line.count:>9,} {_cell(share, line.interval)}"
            lines.append(f"  {line.label:<24}{mine:<31}{theirs}")
        if comparison.outside:
            share = comparison.outside / report.answers if report.answers else 0.0
            mine = f"{comparison.outside:>9,} {_cell(share, comparison.outside_interval)}"
            lines.append(f"  {'not in this table':<24}{mine:<31}—")
    return "\n".join(lines) + "\n"


def report_dict(report: Report) -> dict[str, Any]:
    """The report as JSON (``hepatic-prevalence-report/1``); percentages as fractions."""
    summary = report.summary
    return {
        "format": REPORT_FORMAT,
        **versions(),
        "answers": report.answers,
        "left_out": {
            "incomplete": summary.outcomes["incomplete"],
            "error": summary.outcomes["error"],
        },
        "provisional": summary.provisional,
        "confidence": report.confidence,
        "interval": "Wilson score",
        "tables": [
            {
                "id": c.table.id,
                "name": c.table.name,
                "citation": c.table.citation,
                "sources": list(c.table.sources),
                "population": c.table.population,
                "modality": c.table.modality,
                "n": c.table.n,
                "note": c.table.note,
                "rows": [
                    {
                        "id": line.id,
                        "label": line.label,
                        "observed": {
                            "count": line.count,
                            "of": line.of,
                            "share": line.count / line.of if line.of else None,
                            "interval": list(line.interval),
                        },
                        "published": {
                            "count": line.published_count,
                            "of": line.published_of,
                            "percent": line.published_percent,
                            "interval": (
                                list(line.published_interval) if line.published_interval else None
                            ),
                        },
                        "note": line.note,
                    }
                    for line in c.lines
                ],
                "not_in_table": {
                    "count": c.outside,
                    "of": report.answers,
                    "interval": list(c.outside_interval),
                },
            }
            for c in report.comparisons
        ],
    }


def plot_report(report: Report, path: str | Path) -> None:
    """Draw the report (PNG, SVG or PDF, by the file's suffix): one panel per table, each
    row's share in the batch and in the published series with its interval."""
    try:
        from matplotlib import rc_context
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - the extra is installed with the tests
        from anatomy.errors import BatchError

        raise BatchError(
            "the figure needs matplotlib. Fix: pip install 'hepatic[plot]', or use --json."
        ) from None
    path = Path(path)
    rows = sum(len(c.lines) + (1 if c.outside else 0) for c in report.comparisons)
    height = 1.2 + 0.32 * rows + 0.6 * len(report.comparisons)
    # Text stays text in SVG (editable, searchable); fixed ids keep the bytes stable.
    with rc_context({"svg.hashsalt": "hepatic", "svg.fonttype": "none", "font.size": 9}):
        figure = Figure(figsize=(7.5, height), layout="constrained")
        ratios = [len(c.lines) + (1 if c.outside else 0) + 1 for c in report.comparisons]
        axes = figure.subplots(len(report.comparisons), 1, height_ratios=ratios, squeeze=False)
        for ax, comparison in zip(axes[:, 0], report.comparisons, strict=True):
            _panel(ax, comparison, report)
        level = f"{100 * report.confidence:g} %"
        figure.suptitle(
            f"Hepatic arterial types: this batch (n = {report.answers:,}) beside published "
            f"series ({level} Wilson intervals)",
            fontsize=10,
        )
        metadata: dict[str, Any] = {"Date": None} if path.suffix.lower() in (".svg", ".pdf") else {}
        figure.savefig(path, dpi=150, metadata=metadata)


def _panel(ax: Any, comparison: Comparison, report: Report) -> None:
    labels = [line.label for line in comparison.lines]
    mine = [(line.count / line.of if line.of else 0.0, line.interval) for line in comparison.lines]
    theirs: list[tuple[float, tuple[float, float]] | None] = [
        (line.published_percent / 100, line.published_interval)
        if line.published_percent is not None and line.published_interval is not None
        else None
        for line in comparison.lines
    ]
    if comparison.outside:
        labels.append("not in this table")
        share = comparison.outside / report.answers if report.answers else 0.0
        mine.append((share, comparison.outside_interval))
        theirs.append(None)
    ys = list(range(len(labels)))[::-1]

    def bars(values: list[Any], offset: float, **style: Any) -> None:
        points = [(y + offset, v) for y, v in zip(ys, values, strict=True) if v is not None]
        if not points:
            return
        x = [100 * v[0] for _, v in points]
        low = [100 * (v[0] - v[1][0]) for _, v in points]
        high = [100 * (v[1][1] - v[0]) for _, v in points]
        ax.errorbar(
            x,
            [p for p, _ in points],
            xerr=[low, high],
            capsize=2,
            linestyle="none",
            clip_on=False,  # a 0 % marker sits on the axis, whole
            **style,
        )

    bars(mine, 0.15, marker="o", color="#1f4e79", label=f"this batch (n = {report.answers:,})")
    bars(
        theirs,
        -0.15,
        marker="s",
        color="#c55a11",
        markerfacecolor="white",
        label=f"{comparison.table.name} (n = {comparison.table.n:,})",
    )
    ax.set_yticks(ys, labels)
    ax.set_xlim(left=0)
    ax.set_xlabel("share of cases (%)")
    item = comparison.table
    ax.set_title(
        f"{item.name} ({item.population}, n = {item.n:,}; {', '.join(item.sources)})",
        fontsize=9,
        loc="left",
    )
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
