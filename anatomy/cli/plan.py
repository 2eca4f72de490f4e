"""The ``hepatic plan`` and ``hepatic response`` commands: thin adapters over the library."""

from __future__ import annotations

from pathlib import Path

import click

from anatomy.case import load_case
from anatomy.cli.common import ACCESS_OPTION, EXISTING, clean_errors, input_options, read_input
from anatomy.errors import FollowUpError, Problem
from anatomy.output.documents import dumps, plan_document, versions
from anatomy.output.text import plan_text
from anatomy.pipeline import answer
from anatomy.response.assess import assess, load_followup, response_dict, response_text

__all__ = ["COMMANDS"]


@click.command("plan")
@click.argument("file", type=EXISTING)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) instead of text.")
@ACCESS_OPTION
@input_options
@clean_errors
def plan_command(
    file: Path, as_json: bool, access: str, input_format: str, sidecar: Path | None
) -> None:
    """Plan TACE for the tumors in FILE: catheter positions, routes, what to avoid.

    Per tumor: the feeders, the catheter position(s) reaching them with the full route
    from the access artery, the non-target branches downstream, and what to look for
    (segments with no feeder, dual supply, extrahepatic collaterals).
    """
    case = read_input(file, input_format, sidecar)
    done = answer(case, with_plan=True, access=access)
    assert done.plan is not None
    if as_json:
        click.echo(dumps(plan_document(case, done.classification, done.plan)), nl=False)
    else:
        title = " — ".join(x for x in (case.id, case.title) if x) or None
        click.echo(plan_text(done.plan, title, done.classification), nl=False)


@click.command("response")
@click.argument("baseline", type=EXISTING)
@click.argument("followup", type=EXISTING)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) instead of text.")
@clean_errors
def response_command(baseline: Path, followup: Path, as_json: bool) -> None:
    """RECIST 1.1 and mRECIST: BASELINE case file's tumors against a FOLLOWUP file.

    The follow-up file (hepatic-followup/1, docs/followup-format.md) gives the lesions'
    diameters at each interval ("week 6"), new lesions and the non-target status.
    """
    case = load_case(baseline)
    follow = load_followup(followup, case.tumors)
    if follow.case is not None and case.id is not None and follow.case != case.id:
        raise FollowUpError(
            [
                Problem(
                    "wrong_case",
                    ("case",),
                    f"the follow-up is for case '{follow.case}', but the baseline is '{case.id}'.",
                    "pass the matching baseline case file, or correct `case`",
                )
            ],
            str(followup),
        )
    response = assess(case.tumors, follow)
    if as_json:
        document = {
            **versions(),
            "case": {"id": case.id, "title": case.title},
            "response": response_dict(response),
        }
        click.echo(dumps(document), nl=False)
    else:
        click.echo(response_text(response), nl=False)


COMMANDS: list[click.Command] = [plan_command, response_command]
