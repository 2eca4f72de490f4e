"""What the ``hepatic`` subcommands share: clean errors, the file argument and how the
file is read (``--input-format``, ``--sidecar``), the access."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from anatomy.case import Case
from anatomy.errors import HepaticError
from anatomy.formats.inputs import INPUT_FORMATS, InputFormat, load_input
from anatomy.reference.access import access_ids

__all__ = ["ACCESS_OPTION", "EXISTING", "clean_errors", "input_options", "read_input"]

F = TypeVar("F", bound=Callable[..., Any])

EXISTING = click.Path(dir_okay=False, path_type=Path)

ACCESS_OPTION = click.option(
    "--access",
    type=click.Choice(access_ids()),
    default="femoral",
    show_default=True,
    help="Arterial access site (data/access.yaml): femoral is the right common femoral "
    "artery, radial the left radial; left-femoral and right-radial name the other sides.",
)


def clean_errors(func: F) -> F:
    """Turn HepaticError into its message on stderr and exit status 2: never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except HepaticError as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def input_options(func: F) -> F:
    """``--input-format`` and ``--sidecar``: how a command's FILE is read."""
    func = click.option(
        "--sidecar",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="An SWC file's sidecar (hepatic-swc-sidecar/1); default: NAME.sidecar.yaml "
        "beside NAME.swc.",
    )(func)
    return click.option(
        "--input-format",
        type=click.Choice(["auto", *INPUT_FORMATS]),
        default="auto",
        show_default=True,
        help="How to read FILE: a case (YAML/JSON), networkx node-link JSON, GraphML, or "
        "SWC with a sidecar; auto goes by the extension (.json by its content).",
    )(func)


def read_input(file: Path, input_format: str, sidecar: Path | None) -> Case:
    """FILE read as ``--input-format`` says (auto: by extension and content)."""
    fmt = None if input_format == "auto" else cast("InputFormat", input_format)
    return load_input(file, fmt, sidecar)
