"""What the ``hepatic`` subcommands share: clean errors, the file argument and how the
file is read (``--input-format``, ``--sidecar``), how output files are written, the
access."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from anatomy.case import Case
from anatomy.errors import HepaticError
from anatomy.formats.inputs import INPUT_FORMATS, InputFormat, load_input
from anatomy.reference.access import access_ids

__all__ = [
    "ACCESS_OPTION",
    "EXISTING",
    "OutputError",
    "cannot_write",
    "check_output",
    "clean_errors",
    "input_options",
    "read_input",
    "write_output",
    "writing",
]

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


class OutputError(click.ClickException):
    """An output file the command cannot write: one line naming the path and the fix,
    exit status 2 (as for bad input)."""

    exit_code = 2


def cannot_write(path: Path, exc: OSError) -> OutputError:
    """The error for ``exc``, raised while writing ``path``: what is wrong, and the fix."""
    folder = path.parent
    if exc.errno == errno.ENOENT:
        why = f"the folder {folder} does not exist. Fix: create it, or write somewhere else"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST):  # EEXIST: making a folder over a file
        why = f"{_file_above(path)} is a file, not a folder. Fix: write into a folder"
    elif exc.errno == errno.EISDIR:
        why = f"{path} is a folder. Fix: give a file name, e.g. {path / ('out' + path.suffix)}"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = f"no permission to write in {folder}. Fix: write to a folder you may write to"
    else:
        why = f"{exc.strerror or exc}. Fix: check the path and the free space"
    return OutputError(f"cannot write {path}: {why}.")


def _file_above(path: Path) -> Path:
    for above in (path, *path.parents):
        if above.exists():
            return above
    return path.parent


@contextmanager
def writing(path: Path) -> Iterator[Path]:
    """Around the code that writes ``path``: an OSError becomes an :class:`OutputError`
    naming the path and the fix, never a traceback."""
    try:
        yield path
    except OSError as exc:
        raise cannot_write(path, exc) from None


def write_output(path: Path, data: bytes | str) -> None:
    """Write a command's output file (text as UTF-8); see :func:`writing`."""
    with writing(path):
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def check_output(path: Path) -> None:
    """Refuse at once, before any costly work, an output path that cannot be written: a
    missing folder, a file where a folder should be, a folder without permission."""
    folder = path.parent
    if path.is_dir():
        raise cannot_write(path, IsADirectoryError(errno.EISDIR, "Is a directory"))
    if not folder.exists():
        code = errno.ENOTDIR if _file_above(path).is_file() else errno.ENOENT
        raise cannot_write(path, OSError(code, os.strerror(code)))
    if not folder.is_dir():
        raise cannot_write(path, NotADirectoryError(errno.ENOTDIR, "Not a directory"))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise cannot_write(path, PermissionError(errno.EACCES, "Permission denied"))
