"""JSON or YAML text → a plain document (dicts, lists, scalars), safely and with clear errors.

What the reader guarantees, whatever the PyYAML or libyaml version underneath:

- nesting deeper than ``MAX_DEPTH`` is refused as such (a case nests 4 deep), before
  libyaml's own limits or the interpreter's recursion limit are reached, and its cost is
  bounded (libyaml's work per token grows with the depth);
- a key written twice in one mapping is not silently dropped: the mapping is returned as
  a ``Repeated`` dict that names the repeated keys, for the case's validation to report
  with the vessel and field (every problem of a file comes in one answer);
- only plain data: YAML's safe loader, no tags that build objects, one document;
  JSON's NaN and Infinity are refused.

Unreadable text raises :class:`~anatomy.errors.UnreadableError` naming the line and
column and what to check there; its messages never quote the text. :func:`locate` gives
the problems found later in a document (by the case's validation) their line and column.
:func:`read_file` is how every input file is read: at most ``MAX_FILE_BYTES``, so a huge
file or an endless device (``/dev/zero``) is refused at once rather than read.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

import yaml

from anatomy.errors import CaseError, Problem, UnreadableError

__all__ = [
    "LOCATE_JSON_LIMIT",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "NEEDED_DEPTH",
    "Repeated",
    "Syntax",
    "locate",
    "read_document",
    "read_file",
    "sniff",
]

Syntax = Literal["json", "yaml"]
MAX_DEPTH = 32  # nesting the reader accepts
NEEDED_DEPTH = 4  # what a case needs: case, vessels, vessel, supplies
LOCATE_JSON_LIMIT = 1 << 20  # JSON up to 1 MiB (about 10,000 vessels) gets lines and columns
MAX_FILE_BYTES = 64 << 20  # an input file: about 600,000 vessels of JSON
_OPENERS = frozenset("[{")
_FILLER = frozenset(" \t,")


class Repeated(dict[Any, Any]):
    """A mapping in which some keys were written more than once (the last value kept)."""

    repeated: tuple[str, ...] = ()


def _mapping(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):
        return out  # the common case, at C speed
    repeated = Repeated(out)
    seen: set[Any] = set()
    twice: list[str] = []
    for key, _ in pairs:
        if key in seen and str(key) not in twice:
            twice.append(str(key))
        seen.add(key)
    repeated.repeated = tuple(twice)
    return repeated


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader (libyaml's when installed), with repeated keys recorded."""


def _construct_map(loader: Any, node: yaml.MappingNode) -> Any:
    loader.flatten_mapping(node)
    pairs = [
        (loader.construct_object(k, deep=True), loader.construct_object(v, deep=True))
        for k, v in node.value
    ]
    for key, _ in pairs:
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "found an unhashable key", node.start_mark
            ) from None
    yield _mapping(pairs)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def read_file(path: str | Path, what: str = "the file") -> bytes:
    """The bytes of the input file at ``path`` (``what`` names it in messages), at most
    ``MAX_FILE_BYTES``: a larger regular file is refused before it is read, and anything
    else (a pipe, ``/dev/zero``) once one byte more has been read.

    Raises :class:`~anatomy.errors.CaseError` (code ``unreadable`` or ``too_large``)
    whose one problem says what to check, the file named as its source.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            too_large = stat.S_ISREG(info.st_mode) and info.st_size > MAX_FILE_BYTES
            data = b"" if too_large else handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CaseError(
            [
                Problem(
                    "unreadable",
                    (),
                    f"cannot read {what}: {reason}.",
                    "check the path and that the file is readable",
                )
            ],
            source=str(path),
        ) from None
    if too_large or len(data) > MAX_FILE_BYTES:
        raise CaseError(
            [
                Problem(
                    "too_large",
                    (),
                    f"{what} is larger than {MAX_FILE_BYTES >> 20} MiB, the most an input "
                    "file may be.",
                    "give a file of one case (a case of 100,000 vessels is about 10 MiB); "
                    "for many cases use `hepatic batch`",
                )
            ],
            source=str(path),
        )
    return data


def sniff(text: str) -> Syntax:
    """``json`` when the text starts like a JSON object or array, else ``yaml``."""
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


def read_document(data: bytes | str, syntax: Syntax | None = None) -> object:
    """Parse ``data`` as ``syntax`` (guessed by :func:`sniff` when None).

    >>> read_document(b'{"vessels": [{"id": "ao"}]}')
    {'vessels': [{'id': 'ao'}]}
    >>> read_document("a: 1\\na: 2").repeated
    ('a',)
    """
    text = _text(data)
    if not text.strip():
        raise _unreadable("the file is empty.", "write a case: a mapping with a `vessels` list")
    kind = syntax or sniff(text)
    return _json(text) if kind == "json" else _yaml(text)


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unreadable("the file is not UTF-8 text.", "save it as UTF-8 YAML or JSON") from None


def _unreadable(
    message: str, fix: str, line: int | None = None, column: int | None = None
) -> UnreadableError:
    return UnreadableError([Problem("unreadable", (), message, fix, line=line, column=column)])


def _too_deep() -> UnreadableError:
    return UnreadableError(
        [
            Problem(
                "too_deep",
                (),
                f"the document is nested deeper than {MAX_DEPTH} levels; a case needs "
                f"{NEEDED_DEPTH} (the case, its vessels, a vessel, its segments).",
                "write the case as case-format.md shows: a mapping whose `vessels` list holds "
                "one mapping per vessel",
            )
        ]
    )


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _json(text: str) -> object:
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_mapping)
    except json.JSONDecodeError as exc:
        # exc.msg is a fixed phrase ("Expecting ',' delimiter"), never the text itself.
        raise _unreadable(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            "correct the JSON syntax there",
            exc.lineno,
            exc.colno,
        ) from None
    except RecursionError:
        raise _too_deep() from None
    except ValueError:  # NaN, Infinity, or an integer too long to read
        raise _unreadable(
            "not valid JSON: NaN, Infinity or a number with too many digits.",
            "write measurements as ordinary decimal numbers, e.g. 4.5",
        ) from None


def _yaml(text: str) -> object:
    _check_depth(text)
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc) from None
    except RecursionError:
        raise _too_deep() from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        raise _unreadable(
            "not valid YAML: a value that cannot be read.",
            "write plain YAML: mappings, lists, text and numbers (no tags)",
        ) from None


def _yaml_error(exc: yaml.MarkedYAMLError) -> UnreadableError:
    mark = exc.problem_mark or exc.context_mark
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return _unreadable(
        f"not valid YAML{where}.",
        "check indentation, colons and brackets there (one document; no tags)",
        mark.line + 1 if mark else None,
        mark.column + 1 if mark else None,
    )


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH from the event stream, which arrives as the
    parser goes, so a deep body costs no more than its first levels.

    A parser may read ahead before it emits anything: libyaml reads a run of ``[[[[…``
    up to its own nesting limit and fails there. Such a failure is still too-deep nesting
    when the text just before it is a run of brackets that takes the depth past MAX_DEPTH.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep()
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        if mark is not None and depth + _openers_before(text, mark.line, mark.column) > MAX_DEPTH:
            raise _too_deep() from None
        raise _yaml_error(exc) from None
    except yaml.YAMLError:  # a character YAML does not allow (ReaderError has no mark)
        raise _unreadable(
            "not valid YAML: it holds a character YAML does not allow (a control character).",
            "remove control characters; save the file as plain UTF-8 text",
        ) from None
    except RecursionError:
        raise _too_deep() from None


def _openers_before(text: str, line: int, column: int) -> int:
    """How many ``[``/``{`` stand in an unbroken run (spaces and commas allowed) just
    before (line, column), both 0-based."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return 0
    count = 0
    for char in reversed(text[start : start + column + 1]):
        if char in _OPENERS:
            count += 1
        elif char not in _FILLER:
            break
    return count


# Problems in keys point at the key; others at the value written there.
_KEY_CODES = frozenset({"unknown_key", "duplicate_key"})


def locate(text: str | bytes, problems: Sequence[Problem]) -> list[Problem]:
    """``problems`` with the line and column (1-based) in ``text`` where each one's ``loc``
    is written, as far as the path can be followed (a missing field points at its entry).

    The text is composed once more, into nodes that know their place; this happens only
    for a file that has problems. JSON (up to ``LOCATE_JSON_LIMIT``) is read as the YAML it
    also is; text that cannot be composed (or a problem already placed) is returned as it
    is.

    >>> from anatomy.errors import Problem
    >>> found = Problem("unknown_kind", ("vessels", 1, "kind"), "m", "f")
    >>> locate("vessels:\\n  - {id: ao}\\n  - {id: x, kind: RHAX}\\n", [found])[0].position()
    'line 3, column 19'
    """
    if not problems or all(p.line is not None or not p.loc for p in problems):
        return list(problems)
    try:
        source = _text(text)
    except UnreadableError:
        return list(problems)
    if sniff(source) == "json" and len(source) > LOCATE_JSON_LIMIT:
        # Composing costs about what reading YAML costs, many times what reading JSON does:
        # a large JSON body is not composed again only to place its problems.
        return list(problems)
    try:
        root = yaml.compose(source, Loader=_Loader)
    except (yaml.YAMLError, UnreadableError, RecursionError, ValueError):
        return list(problems)
    if root is None:
        return list(problems)
    out = []
    for problem in problems:
        if problem.line is not None or not problem.loc:
            out.append(problem)
            continue
        node = _follow(root, problem.loc, key=problem.code in _KEY_CODES)
        mark = node.start_mark
        out.append(replace(problem, line=mark.line + 1, column=mark.column + 1))
    return out


def _follow(node: yaml.Node, loc: Sequence[str | int], *, key: bool) -> yaml.Node:
    """The node at ``loc`` below ``node``, or the deepest one on the way."""
    for depth, part in enumerate(loc):
        last = depth == len(loc) - 1
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return node
            node = node.value[part]
        elif isinstance(node, yaml.MappingNode):
            # the last pair written with this key is the one whose value counts
            found = [
                (k, v)
                for k, v in node.value
                if isinstance(k, yaml.ScalarNode) and k.value == str(part)
            ]
            if not found:
                return node
            node = found[-1][0] if key and last else found[-1][1]
        else:
            return node
    return node
