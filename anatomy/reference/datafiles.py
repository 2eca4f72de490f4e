"""Where the reference data lives, and its version.

The data/ folder sits beside the packages in a checkout (editable install) and inside
the wheel as ``anatomy/_data``. Its version is a SHA-256 over every file's path and
bytes, so a report can say exactly which rules produced it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from anatomy.errors import ReferenceDataError

__all__ = ["data_dir", "data_version", "load_yaml", "tool_version", "validated"]

M = TypeVar("M", bound=BaseModel)

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # anatomy/


@cache
def data_dir() -> Path:
    """The folder holding vocabulary.yaml and michels_variants/."""
    for candidate in (_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent / "data"):
        if (candidate / "vocabulary.yaml").is_file():
            return candidate
    raise ReferenceDataError(
        "The reference data (vocabulary.yaml, michels_variants/) was not found beside the "
        "package. Fix: reinstall the package (pip install -e .) from a complete checkout."
    )


@cache
def data_version() -> str:
    """``sha256:`` and the first 16 hex digits of the hash of all reference data."""
    digest = hashlib.sha256()
    root = data_dir()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()[:16]


@cache
def tool_version() -> str:
    """The installed package's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hepatic")
    except PackageNotFoundError:  # running from a checkout without installing
        return "0+unknown"


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(relative: str) -> Any:
    """Parse one reference file; a malformed file is a ReferenceDataError naming it."""
    path = data_dir() / relative
    try:
        with path.open("rb") as handle:
            return yaml.load(handle, Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"Reference file {relative} cannot be read: {exc}") from exc


def validated(model: type[M], raw: object, name: str) -> M:
    """``raw`` (parsed from reference file ``name``) checked against its schema; a
    mismatch is a ReferenceDataError naming the file and every field at fault."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ReferenceDataError(f"{name} does not match its schema:\n{exc}") from exc
