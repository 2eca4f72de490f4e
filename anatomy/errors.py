"""The errors that ``anatomy`` raises, as one small hierarchy.

::

    HepaticError                    base of everything raised on purpose
    ├── CaseError                   a case file that cannot be used; carries every Problem
    │   ├── UnreadableError         not JSON or YAML at all (syntax, encoding, nesting)
    │   └── FollowUpError           a follow-up (response) file that cannot be used
    ├── ReferenceDataError          data/ is malformed (a bug in the release, not in the input)
    ├── RenderError                 a figure or report that cannot be drawn now
    │   ├── RendererMissingError    no Graphviz ``dot`` (or Chromium, cairo) to draw with
    │   ├── RendererBusyError       every renderer slot is taken: try again in a moment
    │   ├── RenderTimeoutError      the renderer ran past its time limit and was stopped
    │   ├── RenderCancelledError    the caller went away and the renderer was stopped
    │   └── TooLargeToDrawError     more vessels to draw than the limit
    └── BatchError                  a batch that cannot run or resume (its input or output)

Every message names the vessel or field and says what would fix it. "Unclassified" and
"cannot be excluded" are answers, not errors, and are never raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BatchError",
    "CaseError",
    "FollowUpError",
    "HepaticError",
    "Problem",
    "ReferenceDataError",
    "RenderCancelledError",
    "RenderError",
    "RenderTimeoutError",
    "RendererBusyError",
    "RendererMissingError",
    "TooLargeToDrawError",
    "UnreadableError",
    "sort_problems",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file.

    ``loc`` is the path to the offending field (``("vessels", 3, "kind")``); ``vessel`` is
    the vessel id when the problem concerns one; ``message`` says what is wrong and
    ``fix`` what to do about it. The rest, when known, make the problem easy to act on
    without reading the message: ``suggestions`` (the closest vessel ids or vocabulary
    terms), ``segment`` (the segment written that is no Couinaud segment), and ``line``
    and ``column`` (1-based, in the text the problem was found in).
    """

    code: str
    loc: tuple[str | int, ...]
    message: str
    fix: str
    vessel: str | None = None
    suggestions: tuple[str, ...] = ()
    segment: str | None = None
    line: int | None = None
    column: int | None = None

    def where(self) -> str:
        """The location as people write it: ``vessels[3].kind``."""
        out = ""
        for part in self.loc:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out or "(file)"

    def position(self) -> str:
        """``line 4, column 11`` (or ``line 4``), or "" when the place in the text is not known."""
        if self.line is None:
            return ""
        return f"line {self.line}" + (f", column {self.column}" if self.column else "")

    def __str__(self) -> str:
        # A problem of the whole text (unreadable) says where in its message already.
        where = f"{self.where()}, {self.position()}" if self.loc and self.line else self.where()
        subject = f"vessel '{self.vessel}' ({where})" if self.vessel else where
        return f"{subject}: {self.message} Fix: {self.fix}"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "loc": list(self.loc),
            "vessel": self.vessel,
            "message": self.message,
            "fix": self.fix,
            "suggestions": list(self.suggestions),
            "segment": self.segment,
            "line": self.line,
            "column": self.column,
        }


def sort_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Problems in file order: by location (list indexes numerically), then code."""

    def key(p: Problem) -> tuple[str, ...]:
        return (*(f"{x:09d}" if isinstance(x, int) else str(x) for x in p.loc), p.code)

    return sorted(problems, key=key)


class HepaticError(Exception):
    """Base class of the errors this package raises on purpose."""


class CaseError(HepaticError):
    """A case file that cannot be read or used. ``problems`` holds all of them at once."""

    what = "case file"  # how the message names the file

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        head = f"{source}: " if source else ""
        count = len(self.problems)
        lines = [f"{head}{count} problem{'s' if count != 1 else ''} in the {self.what}:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class UnreadableError(CaseError):
    """Text that cannot be read as a JSON or YAML document at all (before any field is
    checked): its one problem says where and what to check there."""


class FollowUpError(CaseError):
    """A follow-up measurement file that cannot be read or used."""

    what = "follow-up file"


class ReferenceDataError(HepaticError):
    """The reference data under data/ is malformed: a defect of the release."""


class RenderError(HepaticError):
    """A figure or report that cannot be drawn now; the case itself is fine."""


class RendererMissingError(RenderError):
    """Graphviz ``dot`` is not installed, so DOT cannot be rendered to an image (or no
    Chromium to print a PDF, or no cairo to draw the schematic); or, with ``failed``,
    the renderer is there but could not draw. ``renderer`` names it: ``dot``,
    ``chromium`` or ``cairo``."""

    def __init__(self, message: str, renderer: str = "dot", *, failed: bool = False) -> None:
        super().__init__(message)
        self.renderer = renderer
        self.failed = failed


class RendererBusyError(RenderError):
    """Every renderer slot of this process is taken; ``retry_after_s`` says when to try
    again."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class RenderTimeoutError(RenderError):
    """A renderer ran past its time limit and was stopped with every process it started."""

    def __init__(self, message: str, renderer: str, timeout_s: float) -> None:
        super().__init__(message)
        self.renderer = renderer
        self.timeout_s = timeout_s


class RenderCancelledError(RenderError):
    """The caller went away (an HTTP client disconnected) and the renderer was stopped."""


class TooLargeToDrawError(RenderError):
    """A tree with more vessels to draw than the limit: ``drawn`` vessels would be drawn
    (after unbranched chains are collapsed) of ``vessels`` in the tree; ``limit`` is the
    most allowed."""

    def __init__(self, message: str, drawn: int, vessels: int, limit: int) -> None:
        super().__init__(message)
        self.drawn = drawn
        self.vessels = vessels
        self.limit = limit


class BatchError(HepaticError):
    """A batch that cannot run or resume: the message names the input or output file and
    says what to do. Bad cases are never a BatchError: they become records."""
