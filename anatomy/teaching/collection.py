"""The library a class works with: the built-in teaching cases and an instructor's own.

An instructor's folder (``HEPATIC_CASES_DIR`` for the server, ``--cases-dir`` for the
commands) holds case files with a ``teaching`` block, each read by the same loader as
data/teaching_cases/ and held to the same rules: the case format, the teaching block, no
dates, the id equal to the file's name, an id no other case uses, and the answer the
classifier gives. A file that fails is set aside with one line naming the file, the
field and the fix; it never stops the other files, nor a server, from loading.

>>> library = build_library(None)
>>> len(library.cases) >= 30, library.rejected
(True, ())
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from anatomy.errors import ReferenceDataError
from anatomy.pipeline import answer
from anatomy.teaching.library import TeachingCase, load_teaching_case, teaching_cases

__all__ = ["CASE_SUFFIXES", "Library", "Rejected", "build_library", "builtin_library"]

CASE_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class Rejected:
    """A file of the instructor's folder that did not join the library, and why (one line:
    the file, the field and the fix)."""

    file: str  # relative to the folder
    problem: str


@dataclass(frozen=True)
class Library:
    """Every case a class can use, sorted by id, and the instructor's files set aside."""

    cases: tuple[TeachingCase, ...]
    folder: Path | None = None
    rejected: tuple[Rejected, ...] = ()
    instructor: frozenset[str] = frozenset()  # ids of the cases from the folder
    _by_id: Mapping[str, TeachingCase] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {item.id: item for item in self.cases})

    def case(self, case_id: str) -> TeachingCase:
        """The case with this id; KeyError when there is none."""
        return self._by_id[case_id]

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._by_id


@cache
def builtin_library() -> Library:
    """The built-in cases alone (data/teaching_cases/)."""
    return Library(teaching_cases())


def build_library(folder: str | Path | None) -> Library:
    """The built-in cases and every valid case file of ``folder`` (None: no folder)."""
    builtin = teaching_cases()
    if folder is None:
        return builtin_library()
    root = Path(folder)
    if not root.is_dir():
        problem = (
            f"{root}: the instructor's case folder does not exist or is not a folder. Fix: "
            "create it, or point HEPATIC_CASES_DIR (--cases-dir) at the folder that holds the "
            "case files"
        )
        return Library(builtin, root, (Rejected(str(root), problem),))
    taken = {item.id for item in builtin}
    added: list[TeachingCase] = []
    rejected: list[Rejected] = []
    for path in sorted(p for p in root.iterdir() if p.is_file() and not p.name.startswith(".")):
        name = path.name
        if path.suffix.lower() not in CASE_SUFFIXES:
            rejected.append(
                Rejected(
                    name,
                    f"{name}: not read: a case file ends in .yaml, .yml or .json. Fix: rename "
                    "it, or move it out of the folder",
                )
            )
            continue
        try:
            item = load_teaching_case(path, shown_as=name)
        except ReferenceDataError as exc:
            rejected.append(Rejected(name, _one_line(str(exc))))
            continue
        refused = _reserved_or_taken(item, name, taken) or answer_disagreement(item, name)
        if refused:
            rejected.append(Rejected(name, refused))
            continue
        taken.add(item.id)
        added.append(item)
    cases = tuple(sorted((*builtin, *added), key=lambda c: c.id))
    return Library(cases, root, tuple(rejected), frozenset(c.id for c in added))


def answer_disagreement(item: TeachingCase, name: str) -> str | None:
    """A line saying how the stated answer differs from the classifier's, or None."""
    result = answer(item.case).classification
    said = item.answer
    got = (result.michels, result.hiatt, result.outcome, {p.id for p in result.named_variants})
    stated = (said.michels, said.hiatt, said.outcome, set(said.variants))
    if got == stated:
        return None
    return (
        f"{name}: teaching.answer: the file states {_answer_text(*stated)}, but the classifier "
        f"reads the tree as {_answer_text(*got)}. Fix: correct the answer, or the vessels if "
        "they do not show what the publication describes"
    )


def _answer_text(michels: str | None, hiatt: int | None, outcome: str, variants: set[str]) -> str:
    head = f"Michels {michels}" if michels else outcome
    extra = f", variants {', '.join(sorted(variants))}" if variants else ""
    return f"{head} (Hiatt {hiatt if hiatt is not None else 'none'}{extra})"


# Path segments of the API under /v1/cases/ that a case id must not shadow.
_RESERVED = frozenset({"status"})


def _reserved_or_taken(item: TeachingCase, name: str, taken: set[str]) -> str | None:
    if item.id in _RESERVED:
        return (
            f"{name}: id: '{item.id}' is reserved. Fix: rename the file and its id "
            f"(e.g. {item.id}-case)"
        )
    if item.id in taken:
        return (
            f"{name}: id: '{item.id}' is already the id of another case in the library. "
            "Fix: rename the file and its id"
        )
    return None


def _one_line(message: str) -> str:
    return " ".join(part.strip() for part in message.splitlines() if part.strip())
