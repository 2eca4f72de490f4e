"""The ``hepatic`` command: a thin adapter over the library.

Bad input prints every problem and exits with status 2; never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from anatomy.case import has_teaching_block
from anatomy.cli import batch as cli_batch
from anatomy.cli import cases as cli_cases
from anatomy.cli import plan as cli_plan
from anatomy.cli import quiz as cli_quiz
from anatomy.cli import render as cli_render
from anatomy.cli import serve as cli_serve
from anatomy.cli.common import EXISTING, clean_errors, input_options, read_input
from anatomy.output.documents import classification_document, dumps
from anatomy.output.wording import summary_text
from anatomy.pipeline import answer


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hepatic")
def main() -> None:
    """Classify hepatic arterial anatomy (Michels, Hiatt) and plan TACE.

    Case files are YAML or JSON in the hepatic-case/1 format (see README); classify, plan,
    render, report and validate also read networkx node-link JSON, GraphML and SWC with a
    sidecar (docs/input-formats.md).
    Research and teaching software: not a medical device; verify against the images.
    """


@main.command("classify")
@click.argument("file", type=EXISTING)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) instead of text.")
@input_options
@clean_errors
def classify_command(file: Path, as_json: bool, input_format: str, sidecar: Path | None) -> None:
    """Classify the arterial tree in FILE: Michels type, Hiatt type, findings, gaps."""
    case = read_input(file, input_format, sidecar)
    result = answer(case).classification
    if as_json:
        click.echo(dumps(classification_document(case, result)), nl=False)
    else:
        title = f"{case.title}\n" if case.title else ""
        click.echo(title + summary_text(result))


@main.command("validate")
@click.argument("file", type=EXISTING)
@input_options
@clean_errors
def validate_command(file: Path, input_format: str, sidecar: Path | None) -> None:
    """Check FILE against the case format; list every problem at once.

    A teaching case (a file with a `teaching` block) is checked as the library checks it.
    """
    case = read_input(file, input_format, sidecar)
    line = f"{file}: valid ({len(case.vessels)} vessels, {len(case.tumors)} tumors)"
    if has_teaching_block(file):
        from anatomy.teaching.library import load_teaching_case

        load_teaching_case(file)
        line += "; teaching block valid"
    click.echo(line)


@main.command("variants")
@click.argument("pattern_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@clean_errors
def variants_command(pattern_id: str | None, as_json: bool) -> None:
    """List the Michels types and named variants, or show one (e.g. III, rha-from-gda)."""
    from anatomy.reference.patterns import pattern, pattern_dict, patterns

    if pattern_id is None:
        items = patterns()
        if as_json:
            click.echo(dumps([pattern_dict(p) for p in items]), nl=False)
            return
        for item in items:
            label = f"Michels {item.type}" if item.type else "outside Michels"
            click.echo(f"{item.id:34} {label:16} {item.name}")
        return
    try:
        item = pattern(pattern_id)
    except KeyError:
        from anatomy.reference.patterns import patterns as all_patterns

        ids = ", ".join(p.id for p in all_patterns())
        click.echo(f"No variant '{pattern_id}'. Known: {ids}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(dumps({**pattern_dict(item), "example": item.example}), nl=False)
        return
    click.echo(f"{item.name} ({'Michels ' + item.type if item.type else 'outside Michels'})")
    click.echo(f"\n{item.definition}\n")
    if item.hiatt is not None:
        click.echo(f"Hiatt type: {item.hiatt}")
    click.echo("Prevalence:")
    for prev in item.prevalence:
        pct = f"{prev.percent}%" if prev.percent is not None else "—"
        count = f" ({prev.n}/{prev.of})" if prev.n is not None and prev.of else ""
        click.echo(f"  {pct}{count} {prev.population or ''} — {prev.source}")
    if item.catheter_route:
        click.echo(f"Catheter route: {item.catheter_route}")
    for line in item.teaching:
        click.echo(f"  * {line}")


@main.command("vocabulary")
@click.argument("term", required=False)
@clean_errors
def vocabulary_command(term: str | None) -> None:
    """List the vessel kinds a case file may name, or show how TERM is read.

    A term is read as a status (replaced, accessory, aberrant …), a side, a segment and
    the artery's name, in any order: "right accessory hepatic artery".
    """
    from anatomy.reference.vocabulary import all_kinds

    if term is not None:
        click.echo(_reading(term), nl=False)
        return
    for entry in all_kinds():
        abbr = ", ".join(entry.abbreviations)
        click.echo(f"{entry.name:40} {entry.group:15} {abbr}")


def _reading(term: str) -> str:
    """How TERM is read: kind, side, status, the words; exits 2 when it cannot be."""
    from anatomy.reference.vocabulary import lookup

    try:
        found = lookup(term)
    except ValueError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    entry = found.kind
    status = (
        f"{found.status} (as written; the classifier reads it from the tree and warns "
        "when they differ)"
        if found.status
        else "not stated"
    )
    words = ", ".join(f"{role} '{word}'" for role, word in found.words)
    lines = [
        f"{term}",
        f"  kind:   {entry.name} ({entry.label}), group {entry.group}",
        f"  side:   {found.side or 'none'}",
        f"  status: {status}",
        f"  read:   {words}",
    ]
    for code in entry.codes:
        lines.append(f"  {code.system}: {code.id}{'' if code.verified else ' (unverified)'}")
    return "\n".join(lines) + "\n"


# Commands of other concerns live in their own modules, each exporting COMMANDS.
for _module in (cli_plan, cli_render, cli_serve, cli_cases, cli_quiz, cli_batch):
    for _command in _module.COMMANDS:
        main.add_command(_command)

if __name__ == "__main__":  # python -m anatomy.cli.main
    main()
