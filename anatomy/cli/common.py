"""What the ``hepatic`` subcommands share: clean errors, the file argument, the access."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from anatomy.errors import HepaticError
from anatomy.reference.access import access_ids

__all__ = ["ACCESS_OPTION", "EXISTING", "clean_errors"]

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
