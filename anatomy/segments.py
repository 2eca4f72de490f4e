"""Couinaud liver segments: spelling, order and the regions the classifier reasons about.

Segment IV is kept as its two halves, IVa and IVb; ``IV`` in a file means both. Regions
(DESIGN.md): right liver R = V–VIII, left lateral L = II–III, segment IV, caudate I.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from functools import cache

__all__ = [
    "ALL_SEGMENTS",
    "CAUDATE",
    "LEFT",
    "RIGHT",
    "SEGMENT_IV",
    "Segment",
    "describe",
    "parse_segment",
    "segment_names",
]


class Segment(StrEnum):
    """A Couinaud segment, ordered I < II < … < VIII."""

    I = "I"  # noqa: E741 - the anatomical name of the caudate segment
    II = "II"
    III = "III"
    IVa = "IVa"
    IVb = "IVb"
    V = "V"
    VI = "VI"
    VII = "VII"
    VIII = "VIII"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {s: i for i, s in enumerate(Segment)}
ALL_SEGMENTS: frozenset[Segment] = frozenset(Segment)
RIGHT: frozenset[Segment] = frozenset({Segment.V, Segment.VI, Segment.VII, Segment.VIII})
LEFT: frozenset[Segment] = frozenset({Segment.II, Segment.III})
SEGMENT_IV: frozenset[Segment] = frozenset({Segment.IVa, Segment.IVb})
CAUDATE: frozenset[Segment] = frozenset({Segment.I})

_ROMAN = {"i": "I", "ii": "II", "iii": "III", "iv": "IV", "v": "V", "vi": "VI", "vii": "VII"}
_ROMAN["viii"] = "VIII"
_ARABIC = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI", "7": "VII", "8": "VIII"}
_SPELLING = re.compile(r"^(?:segment\s*|s\s*)?([ivx]+|[1-8])\s*([ab])?$")


def parse_segment(text: object) -> frozenset[Segment]:
    """Read one segment as a case file may write it.

    Accepts Roman (``IV``, ``IVa``), Arabic (``4``, ``4a``) and the prefixes ``S`` and
    ``segment`` case-insensitively. ``IV`` means both IVa and IVb.

    Raises ``ValueError`` with the accepted spellings when the text is not a segment.

    >>> sorted(s.value for s in parse_segment("S4"))
    ['IVa', 'IVb']
    """
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise ValueError(f"{text!r} is not a segment")
    raw = str(text).strip().lower()
    match = _SPELLING.match(raw)
    if match is None:
        raise ValueError(f"{str(text)!r} is not a Couinaud segment")
    number, half = match.groups()
    roman = _ARABIC.get(number) or _ROMAN.get(number)
    if roman is None or (half and roman != "IV"):
        raise ValueError(f"{str(text)!r} is not a Couinaud segment")
    if roman == "IV":
        if half:
            return frozenset({Segment("IV" + half)})
        return SEGMENT_IV
    return frozenset({Segment(roman)})


def segment_names(segments: Iterable[Segment]) -> list[str]:
    """Segments in anatomical order, with IVa+IVb written as IV."""
    key = segments if isinstance(segments, frozenset) else frozenset(segments)
    return list(_names(key))


@cache
def _names(segments: frozenset[Segment]) -> tuple[str, ...]:
    # At most 2**9 distinct sets: computing each once keeps large trees cheap.
    names = [s.value for s in sorted(segments, key=_RANK.__getitem__)]
    if "IVa" in names and "IVb" in names:
        names.remove("IVb")
        names[names.index("IVa")] = "IV"
    return tuple(names)


def describe(segments: Iterable[Segment]) -> str:
    """``II, III, IV`` or ``none``."""
    names = segment_names(segments)
    return ", ".join(names) if names else "none"
