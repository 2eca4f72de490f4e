"""The ``hepatic batch``, ``hepatic generate`` and ``hepatic prevalence`` commands: thin
adapters over ``anatomy.batch`` and ``anatomy.teaching.generator``."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import orjson
import yaml

from anatomy.batch import (
    Options,
    Summary,
    plot_report,
    prevalence_report,
    report_dict,
    report_text,
    run_batch,
)
from anatomy.cli.common import (
    ACCESS_OPTION,
    cannot_write,
    check_output,
    clean_errors,
    write_output,
    writing,
)
from anatomy.errors import BatchError
from anatomy.output.documents import dumps
from anatomy.reference.prevalence import table, tables
from anatomy.teaching.generator import NO_NOISE, check_all, generate

__all__ = ["COMMANDS"]

FILE = click.Path(dir_okay=False, path_type=Path)


class _Progress:
    """A progress line on a terminal (stderr): share done, cases, rate and time left."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.started = time.perf_counter()
        self.last = 0.0
        self.first_units = 0

    def set_total(self, total: int | None) -> None:
        self.total = total

    def __call__(self, units: int, cases: int) -> None:
        now = time.perf_counter()
        if now - self.last < 0.2:
            return
        if self.last == 0.0:  # the first chunk: resumed units were read before the clock
            self.first_units = units
        self.last = now
        elapsed = now - self.started
        rate = cases / elapsed if elapsed > 0 else 0.0
        text = f"{cases:,} cases, {rate:,.0f}/s"
        if self.total:
            share = min(1.0, units / self.total)
            pace = (units - self.first_units) / elapsed if elapsed > 0 else 0.0
            left = (self.total - units) / pace if pace > 0 else 0.0
            width = 24
            bar = "#" * int(width * share) + "-" * (width - int(width * share))
            text = f"[{bar}] {100 * share:5.1f} %  {text}, {_clock(left)} left"
        click.echo(f"\r{text}\033[K", nl=False, err=True)

    def close(self) -> None:
        click.echo("\r\033[K", nl=False, err=True)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@click.command("batch")
@click.argument("source")
@click.option(
    "-o", "--output", required=True, help="Records as JSON lines (- for standard output)."
)
@click.option("--plan", "with_plan", is_flag=True, help="Plan each case's tumors too.")
@ACCESS_OPTION
@click.option("--full", is_flag=True, help="Whole classification (and plan) objects per record.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: every core).",
)
@click.option("--restart", is_flag=True, help="Overwrite OUTPUT instead of resuming it.")
@click.option("--summary", "summary_path", type=FILE, help="Also write the summary as JSON.")
@click.option(
    "--expect",
    type=FILE,
    help="Expected answers (from `hepatic generate`): count agreements, exit 1 on any other.",
)
@clean_errors
def batch_command(
    source: str,
    output: str,
    with_plan: bool,
    access: str,
    full: bool,
    workers: int | None,
    restart: bool,
    summary_path: Path | None,
    expect: Path | None,
) -> None:
    """Classify every case in SOURCE: a JSON-lines file (one case per line), a folder of
    case files, or - for standard input.

    One record per case, in input order, each with its input line (or file) and the
    case's id; a case that cannot be used becomes a record with its problems. Rerunning
    with the same OUTPUT resumes where it stopped. A progress line shows on a terminal;
    the summary (counts per type and per problem code) goes to standard error.
    """
    if expect is not None and output == "-":
        raise BatchError("--expect needs an output file to read back. Fix: give -o FILE.")
    if summary_path is not None:
        check_output(summary_path)  # before the batch, not after it
    progress = _Progress() if sys.stderr.isatty() else None
    try:
        result = run_batch(
            source,
            output,
            workers=workers,
            options=Options(with_plan, access, full),
            restart=restart,
            progress=progress,
            total=progress.set_total if progress else None,
        )
    except KeyboardInterrupt:
        if progress:
            progress.close()
        click.echo(
            "Interrupted: the records written so far are kept; rerun the same command to resume.",
            err=True,
        )
        sys.exit(130)
    if progress:
        progress.close()
    rate = result.written / result.seconds if result.seconds > 0 else 0.0
    where = "standard output" if output == "-" else output
    click.echo(
        f"hepatic batch: {result.written:,} records written to {where}"
        + (f" after {result.resumed:,} already there" if result.resumed else "")
        + f" in {result.seconds:.1f} s ({rate:,.0f} cases/s, {result.workers} "
        f"worker{'s' if result.workers != 1 else ''})",
        err=True,
    )
    click.echo(result.summary.text(), err=True)
    if summary_path is not None:
        document = {
            **result.summary.as_dict(),
            "run": {
                "input": source,
                "output": output,
                "resumed": result.resumed,
                "written": result.written,
                "seconds": round(result.seconds, 3),
                "workers": result.workers,
            },
        }
        write_output(summary_path, dumps(document))
    if expect is not None:
        try:
            agree, differ = check_all(_json_lines(Path(output)), _json_lines(expect))
        except ValueError as exc:
            raise BatchError(f"{expect}: {exc}. Fix: give the answers of these cases.") from None
        click.echo(f"Expected answers: {agree:,} agree, {len(differ):,} differ.", err=True)
        for case_id, what in differ[:20]:
            click.echo(f"  {case_id}: {'; '.join(what)}", err=True)
        if differ:
            sys.exit(1)


def _json_lines(path: Path) -> Iterator[Any]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BatchError(f"{path}: cannot read it ({exc.strerror or exc}).") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield orjson.loads(line)
            except orjson.JSONDecodeError:
                raise BatchError(
                    f"{path}: line {number} is not JSON. Fix: give the file `hepatic batch` "
                    "or `hepatic generate` wrote."
                ) from None


def _table_id(value: str) -> str:
    try:
        return table(value).id
    except KeyError:
        known = ", ".join(t.id for t in tables())
        raise BatchError(f"no prevalence table '{value}'. Fix: use one of {known}.") from None


@click.command("generate")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="A .jsonl file (one case per line), or a folder for one YAML file per case.",
)
@click.option("-n", "--count", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option(
    "--table",
    "table_name",
    default="michels-1966",
    show_default=True,
    help="Published prevalence table to sample types from (data/prevalence/).",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--answers", type=FILE, help="Where the expected answers go (default: beside the output)."
)
@click.option("--no-noise", is_flag=True, help="The canonical example trees, unchanged.")
@click.option("--tumors", is_flag=True, help="One or two tumors per case, for --plan.")
@clean_errors
def generate_command(
    output: Path,
    count: int,
    table_name: str,
    seed: int,
    answers: Path | None,
    no_noise: bool,
    tumors: bool,
) -> None:
    """Generate COUNT cases whose Michels types follow a published table, with noise that
    keeps each answer (unnamed and extrahepatic branches, partial territories, spellings,
    missing SMA or LGA runs, renamed ids, shuffled vessels), and their expected answers.

    Seeded: the same options give the same files. Check them with
    `hepatic batch CASES -o OUT --expect ANSWERS`.
    """
    table_id = _table_id(table_name)
    as_folder = not output.suffix
    if not as_folder and output.suffix.lower() != ".jsonl":
        raise BatchError(
            f"{output}: write the cases to a .jsonl file, or to a folder (a name without a "
            "suffix) for one YAML file per case."
        )
    if answers is None:
        answers = output / "answers.jsonl" if as_folder else output.with_suffix(".answers.jsonl")
    cases = None
    try:
        (output if as_folder else output.parent).mkdir(parents=True, exist_ok=True)
        answers.parent.mkdir(parents=True, exist_ok=True)
        cases = None if as_folder else output.open("wb")
        with answers.open("wb") as expected:
            noise = NO_NOISE if no_noise else None
            for item in generate(table_id, count, seed=seed, noise=noise, tumors=tumors):
                if cases is None:
                    text = yaml.safe_dump(item.case, sort_keys=False, allow_unicode=True)
                    (output / f"{item.case['id']}.yaml").write_text(text, encoding="utf-8")
                else:
                    cases.write(orjson.dumps(item.case, option=orjson.OPT_APPEND_NEWLINE))
                expected.write(orjson.dumps(item.expected, option=orjson.OPT_APPEND_NEWLINE))
    except OSError as exc:
        raise cannot_write(Path(exc.filename or output), exc) from None
    finally:
        if cases is not None:
            cases.close()
    click.echo(
        f"Wrote {count:,} cases ({table_id}, seed {seed}) to {output} and their expected "
        f"answers to {answers}.",
        err=True,
    )


@click.command("prevalence")
@click.argument("source", type=FILE)
@click.option(
    "--table",
    "table_names",
    multiple=True,
    help="Published table(s) to compare with (default: all of them).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--plot", type=FILE, help="Also draw the figure (.png, .svg or .pdf).")
@clean_errors
def prevalence_command(
    source: Path, table_names: tuple[str, ...], as_json: bool, plot: Path | None
) -> None:
    """Type frequencies of a batch with 95 % Wilson intervals beside published tables.

    SOURCE is the records of `hepatic batch` (JSON lines) or its --summary (a .json file).
    """
    if source.suffix.lower() == ".json":
        try:
            summary = Summary.from_dict(orjson.loads(source.read_bytes()))
        except (OSError, orjson.JSONDecodeError, ValueError, AttributeError) as exc:
            raise BatchError(
                f"{source}: not a batch summary ({exc}). Fix: give the file written by "
                "`hepatic batch --summary`, or the records (JSON lines)."
            ) from None
    else:
        summary = Summary.of(_json_lines(source))
    if plot is not None:
        check_output(plot)
    ids = [_table_id(t) for t in table_names] or None
    report = prevalence_report(summary, ids)
    if plot is not None:
        if plot.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise BatchError(f"{plot}: the figure is .png, .svg or .pdf. Fix: rename it.")
        with writing(plot):
            plot_report(report, plot)
    if as_json:
        click.echo(dumps(report_dict(report)), nl=False)
    else:
        click.echo(report_text(report), nl=False)


COMMANDS = (batch_command, generate_command, prevalence_command)
