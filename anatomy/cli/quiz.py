"""The ``hepatic quiz`` command: questions in the terminal, each answer explained, a score.

Interactive by default (one prompt per question); ``--answers FILE`` reads one answer per
line instead, for scripts and tests. A figure is printed as the tree in indented text. The
seed makes the set reproducible: the command prints it, and ``--seed`` asks again.
"""

from __future__ import annotations

import secrets
import textwrap
from collections.abc import Iterator
from pathlib import Path

import click

from anatomy.cli.cases import cases_dir_option, read_library
from anatomy.cli.common import EXISTING, clean_errors
from anatomy.teaching.documents import read_as
from anatomy.teaching.figures import figure_text
from anatomy.teaching.question import Question
from anatomy.teaching.quiz import (
    KIND_IDS,
    Check,
    build_pool,
    builtin_pool,
    check,
    questions,
    score,
)

__all__ = ["COMMANDS"]

_WIDTH = 100


@click.command("quiz")
@click.option(
    "--kinds",
    "kinds_text",
    multiple=True,
    metavar="KIND[,KIND…]",
    help=f"Question kinds (default: all): {', '.join(KIND_IDS)}.",
)
@click.option("--count", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--seed", type=click.IntRange(0), default=None, help="Ask the same set again.")
@click.option(
    "--answers",
    "answers_file",
    type=EXISTING,
    default=None,
    help="Read the answers from this file, one per line, instead of asking.",
)
@cases_dir_option
@clean_errors
def quiz_command(
    kinds_text: tuple[str, ...],
    count: int,
    seed: int | None,
    answers_file: Path | None,
    cases_dir: Path | None,
) -> None:
    """Answer questions on hepatic arterial anatomy and TACE; each answer is explained.

    Answer with a choice's letter, or in words: "III", "type 3" and "Michels III" are one
    answer. The questions come from the teaching library and the Michels pattern files.
    """
    kinds = [k.strip() for text in kinds_text for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KIND_IDS]
    if unknown:
        raise click.BadParameter(
            f"unknown kind {', '.join(unknown)}; the kinds are {', '.join(KIND_IDS)}",
            param_hint="'--kinds'",
        )
    pool = builtin_pool() if cases_dir is None else build_pool(read_library(cases_dir))
    if seed is None:
        seed = secrets.randbelow(1_000_000)
    asked = questions(pool, count=count, seed=seed, kinds=kinds or None)
    click.echo(f"{len(asked)} questions, seed {seed} (repeat with --seed {seed}).")
    given = _from_file(answers_file) if answers_file is not None else None
    done: list[Check] = []
    for number, question in enumerate(asked, start=1):
        click.echo("")
        click.echo(_question_text(question, number, len(asked)))
        if given is None:
            try:
                text = click.prompt("Your answer", prompt_suffix=" > ")
            except click.Abort:
                click.echo("")
                break
        else:
            text = next(given, "")
            click.echo(f"Your answer > {text}")
        found = check(pool, question.id, text)
        done.append(found)
        click.echo(_check_text(found))
    total = score(done)
    unanswered = len(asked) - len(done)
    rest = f" ({unanswered} not answered)" if unanswered else ""
    click.echo("")
    click.echo(f"Score: {total.correct}/{len(asked)}{rest}")


def _from_file(path: Path) -> Iterator[str]:
    yield from path.read_text(encoding="utf-8").splitlines()


def _question_text(question: Question, number: int, total: int) -> str:
    lines = [f"Question {number} of {total} · {question.title}"]
    for part in question.prompt.splitlines():
        lines += _wrap(part)
    if question.figure is not None:
        lines += ["", textwrap.indent(figure_text(question.figure), "  "), ""]
    for i, choice in enumerate(question.choices):
        lines.append(f"  {chr(ord('A') + i)}. {choice.text}")
    return "\n".join(lines)


def _check_text(found: Check) -> str:
    understood = read_as(found)
    if found.correct:
        head = f"Right: {found.answer}."
    elif understood is None:
        head = f"Not read as any answer to this question. The answer: {found.answer}."
    else:
        head = f"Not right ({understood}). The answer: {found.answer}."
    lines = [head]
    for part in found.explanation.splitlines():
        lines += _wrap(part, "  ")
    lines += _wrap("Source: " + "; ".join(found.sources), "  ")
    return "\n".join(lines)


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        _WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [""]


COMMANDS: list[click.Command] = [quiz_command]
