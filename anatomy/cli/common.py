"""What the ``hepatic`` subcommands share: clean errors and the file argument."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from anatomy.errors import HepaticError

__all__ = ["EXISTING", "clean_errors"]

F = TypeVar("F", bound=Callable[..., Any])

EXISTING = click.Path(dir_okay=False, path_type=Path)


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
