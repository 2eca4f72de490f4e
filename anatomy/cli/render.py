"""The ``hepatic render`` and ``hepatic report`` commands: diagrams and reports of a case.

Thin adapters: read the case, classify, plan when asked (through the planner's JSON
document, so nothing here depends on its internals), draw or write the report.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from anatomy.cli.common import (
    ACCESS_OPTION,
    EXISTING,
    check_output,
    clean_errors,
    input_options,
    read_input,
    write_output,
)
from anatomy.output.diagram import CONVENTION_HELP, CONVENTIONS
from anatomy.output.figures import FIGURE_HELP, FIGURES
from anatomy.pipeline import answer

if TYPE_CHECKING:
    from anatomy.case import Case
    from anatomy.output.diagram import Convention

__all__ = ["COMMANDS"]

F = TypeVar("F", bound=Callable[..., Any])

_CONVENTION_OPTION = click.option(
    "--convention",
    type=click.Choice(CONVENTIONS),
    default="angiographic",
    show_default=True,
    help=CONVENTION_HELP,
)


def _output_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "-o",
        "--output",
        "output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help=help_text,
    )


@click.command("render")
@click.argument("file", type=EXISTING)
@_output_option("Where to write: the suffix (.svg, .png, .pdf, .dot) sets the format.")
@click.option(
    "--plan",
    "with_plan",
    is_flag=True,
    help="Plan the case's tumors and draw the numbered catheter positions.",
)
@click.option(
    "--no-extrahepatic",
    "no_extrahepatic",
    is_flag=True,
    help="Hide extrahepatic (non-target) branches not needed by the plan.",
)
@_CONVENTION_OPTION
@click.option(
    "--figure",
    type=click.Choice(FIGURES),
    default="tree",
    show_default=True,
    help=FIGURE_HELP,
)
@input_options
@clean_errors
def render_command(
    file: Path,
    output: Path,
    with_plan: bool,
    no_extrahepatic: bool,
    convention: str,
    figure: str,
    input_format: str,
    sidecar: Path | None,
) -> None:
    """Draw the arterial tree in FILE as a diagram or an anatomical schematic (SVG, PNG,
    PDF; the tree also as DOT text)."""
    from anatomy.output.diagram import format_for
    from anatomy.output.figures import case_figure, draw, drawn_limit

    try:
        fmt = format_for(output)
        if fmt == "dot" and figure == "schematic":
            raise ValueError("the schematic is drawn as .svg, .png or .pdf, not DOT text")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'-o'") from exc
    check_output(output)
    case = read_input(file, input_format, sidecar)
    done = answer(case, with_plan=with_plan)
    source = case_figure(
        case,
        done.classification,
        figure=figure,
        plan=done.plan,
        extrahepatic=not no_extrahepatic,
        convention=cast("Convention", convention),
        max_vessels=drawn_limit(figure, fmt),
    )
    write_output(output, draw(source, figure, fmt))
    count = len(done.plan.positions) if done.plan else 0
    planned = f", {count} catheter position{'s' if count != 1 else ''}" if done.plan else ""
    click.echo(f"{output}: {fmt.upper()} {figure}, {len(case.vessels)} vessels{planned}", err=True)


@click.command("report")
@click.argument("file", type=EXISTING)
@_output_option("Where to write: .html (self-contained page) or .pdf.")
@click.option(
    "--followup",
    type=EXISTING,
    default=None,
    help="Follow-up measurements (docs/followup-format.md): adds the response.",
)
@_CONVENTION_OPTION
@ACCESS_OPTION
@click.option(
    "--figure",
    "figures",
    type=click.Choice(["schematic", "tree", "both"]),
    default="schematic",
    show_default=True,
    help="The figure(s) in the report: the anatomical schematic on the first page, the "
    "tree diagram on a landscape page of its own, or both.",
)
@input_options
@clean_errors
def report_command(
    file: Path,
    output: Path,
    followup: Path | None,
    convention: str,
    access: str,
    figures: str,
    input_format: str,
    sidecar: Path | None,
) -> None:
    """Write a report of FILE: classification, the schematic, the plan in brief,
    completeness, the plan per tumor, response, references (HTML or PDF, A4)."""
    from anatomy.output.report import html_to_pdf, report_html

    suffix = output.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise click.BadParameter(
            f"cannot tell the format of '{output}': name it .html or .pdf", param_hint="'-o'"
        )
    check_output(output)
    case = read_input(file, input_format, sidecar)
    done = answer(case, with_plan=bool(case.tumors), access=access)
    response = _response_document(case, followup) if followup is not None else None
    html = report_html(
        case,
        done.classification,
        plan=done.plan,
        response=response,
        convention=cast("Convention", convention),
        figures=("schematic", "tree") if figures == "both" else (figures,),
    )
    write_output(output, html_to_pdf(html) if suffix == ".pdf" else html)
    click.echo(f"{output}: report ({suffix.lstrip('.').upper()})", err=True)


def _response_document(case: Case, followup: Path) -> dict[str, Any]:
    """RECIST 1.1 and mRECIST of the follow-up file against the case's tumors."""
    from anatomy.response.assess import assess, load_followup, response_dict

    return response_dict(assess(case.tumors, load_followup(followup, case.tumors)))


COMMANDS: list[click.Command] = [render_command, report_command]
