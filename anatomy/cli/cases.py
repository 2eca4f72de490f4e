"""The ``hepatic cases`` commands: the teaching library, listed and shown.

``cases list`` filters by tag and answer type; ``cases show ID`` prints a case as a class
meets it (title, source, question, the tree with the hepatic arteries' names hidden) and,
with ``--answer``, as the teacher reads it (the named tree, the notes, the answer, the
explanation and the references). ``--cases-dir`` (or ``HEPATIC_CASES_DIR``) adds an
instructor's folder; files that cannot join are listed, never fatal.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import click

from anatomy.cli.common import clean_errors
from anatomy.output.documents import dumps
from anatomy.segments import describe
from anatomy.teaching.collection import Library, build_library
from anatomy.teaching.documents import answer_label, case_detail, case_summary, matches
from anatomy.teaching.figures import Figure, figure_text, unlabelled
from anatomy.teaching.library import TeachingCase
from anatomy.teaching.question import types_reader

__all__ = ["COMMANDS", "cases_dir_option", "read_library"]

_WIDTH = 100

cases_dir_option = click.option(
    "--cases-dir",
    "cases_dir",
    envvar="HEPATIC_CASES_DIR",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="An instructor's folder of teaching case files to add (default: $HEPATIC_CASES_DIR).",
)


def read_library(folder: Path | None) -> Library:
    """The library with the folder's cases; each file set aside is reported on stderr."""
    library = build_library(folder)
    for item in library.rejected:
        click.echo(f"not in the library: {item.problem}", err=True)
    return library


@click.group("cases")
def cases_group() -> None:
    """The teaching library: cases from published reports, with questions and answers."""


@cases_group.command("list")
@click.option("--tag", default=None, help="Only cases with this tag (e.g. tace, replaced-rha).")
@click.option(
    "--type",
    "type_text",
    default=None,
    help="Only cases of this answer: a Michels type (III, type 3, VIIIa), unclassified or "
    "incomplete.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@cases_dir_option
@clean_errors
def list_command(
    tag: str | None, type_text: str | None, as_json: bool, cases_dir: Path | None
) -> None:
    """List the teaching cases: id, answer, difficulty and title."""
    library = read_library(cases_dir)
    type_ = _type(type_text)
    found = [c for c in library.cases if matches(c, tag=tag, type_=type_)]
    if as_json:
        click.echo(dumps([case_summary(c, library) for c in found]), nl=False)
        return
    for item in found:
        mark = " *" if item.id in library.instructor else ""
        click.echo(f"{item.id:52} {answer_label(item):15} {item.difficulty:13} {item.title}{mark}")
    shown = [f"tag {tag}" if tag else "", f"type {type_}" if type_ else ""]
    where = f" ({', '.join(s for s in shown if s)})" if any(shown) else ""
    extra = f"; * from {library.folder}" if library.instructor else ""
    click.echo(f"{len(found)} of {len(library.cases)} cases{where}{extra}")


@cases_group.command("show")
@click.argument("case_id")
@click.option("--answer", "with_answer", is_flag=True, help="Add the answer and explanation.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@cases_dir_option
@clean_errors
def show_command(case_id: str, with_answer: bool, as_json: bool, cases_dir: Path | None) -> None:
    """Show one case: its question and tree; with --answer, the answer and the sources."""
    library = read_library(cases_dir)
    try:
        item = library.case(case_id)
    except KeyError:
        click.echo(f"No teaching case '{case_id}'. `hepatic cases list` lists them.", err=True)
        sys.exit(2)
    if as_json:
        click.echo(dumps(case_detail(item, library, with_answer=with_answer)), nl=False)
        return
    click.echo(_case_text(item, with_answer))


def _case_text(item: TeachingCase, with_answer: bool) -> str:
    case = item.case
    lines = [item.title, f"Source: {case.source}"]
    lines.append(
        f"{case.modality or 'modality not stated'} · {item.difficulty} · tags: "
        f"{', '.join(item.tags)}"
    )
    lines += ["", *_wrap(f"Question: {item.question}"), ""]
    if with_answer:
        lines.append(figure_text(Figure(case)))
    else:
        lines.append("The tree, hepatic arteries by letter (names hidden):")
        lines.append(figure_text(Figure(unlabelled(case), hide_hepatic_names=True)))
    for tumor in case.tumors:
        size = f", {tumor.diameter_mm:g} mm" if tumor.diameter_mm is not None else ""
        lines.append(f"Tumor {tumor.id}: segments {describe(tumor.segments)}{size}")
    if not with_answer:
        lines += ["", "(hepatic cases show --answer gives the answer, explanation and sources)"]
        return "\n".join(lines)
    said = item.answer
    hiatt = said.hiatt if said.hiatt is not None else "none"
    variants = f"; variants outside Michels: {', '.join(said.variants)}" if said.variants else ""
    lines += ["", f"Answer: {answer_label(item)} (Hiatt {hiatt}){variants}"]
    lines += _wrap(item.explanation)
    if case.notes:
        lines += ["", *_wrap(f"Notes: {case.notes}")]
    lines += ["", "References:"]
    for ref in item.references:
        link = ref.url or (f"https://doi.org/{ref.doi}" if ref.doi else "")
        lines += _wrap(f"- {ref.citation}{' ' + link if link else ''}", "  ")
    return "\n".join(lines)


def _type(text: str | None) -> str | None:
    if text is None:
        return None
    if text.strip().lower() == "incomplete":
        return "incomplete"
    value = types_reader().read(text)
    if value is None:
        raise click.BadParameter(
            f"'{text}' is not a Michels type; write I … X (or 1 … 10, VIIIa, VIIIb), "
            "unclassified or incomplete",
            param_hint="'--type'",
        )
    return value


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), _WIDTH, subsequent_indent=indent, break_on_hyphens=False
    ) or [""]


COMMANDS: list[click.Command] = [cases_group]
