"""Couinaud liver segments: spelling, order, the regions the classifier reasons about, and
segment sets as 9-bit masks.

Segment IV is kept as its two halves, IVa and IVb; ``IV`` in a file means both. Regions
(DESIGN.md): right liver R = V–VIII, left lateral L = II–III, segment IV, caudate I.

A set of segments is a frozenset for people and a 9-bit ``int`` mask inside the passes
that visit every vessel (one bit per segment, in anatomical order): ``mask_of`` and
``segments_of`` convert, and ``SEGMENT_SETS[mask]`` hands out one shared frozenset per
mask. The tests check the masks against the plain sets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from functools import cache

__all__ = [
    "ALL_SEGMENTS",
    "CAUDATE",
    "IV_BITS",
    "LEFT",
    "LEFT_BITS",
    "RIGHT",
    "RIGHT_BITS",
    "SEGMENT_IV",
    "SEGMENT_SETS",
    "Segment",
    "describe",
    "looks_like_segment",
    "mask_of",
    "parse_segment",
    "segment_names",
    "segment_tuple",
    "segments_of",
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


_SEGMENT_LIKE = re.compile(r"^(?:segment\s*|seg\.?\s*|s\s*)?(?:[ivx]{1,6}|\d{1,2})\s*[a-d]?$")


def looks_like_segment(text: object) -> bool:
    """Whether ``text`` is written like a segment (``IX``, ``9``, ``S10``, ``IVc``), valid
    or not: such a token may be named back in an error, where free text may not.

    >>> looks_like_segment("IX"), looks_like_segment("seg 9"), looks_like_segment("liver")
    (True, True, False)
    """
    if isinstance(text, bool) or not isinstance(text, str | int):
        return False
    raw = str(text).strip().lower()
    return len(raw) <= 12 and _SEGMENT_LIKE.match(raw) is not None


def segment_names(segments: Iterable[Segment]) -> list[str]:
    """Segments in anatomical order, with IVa+IVb written as IV."""
    key = segments if isinstance(segments, frozenset) else frozenset(segments)
    return list(segment_tuple(key))


@cache
def segment_tuple(segments: frozenset[Segment]) -> tuple[str, ...]:
    """``segment_names`` as one shared tuple per set: for documents of many thousand
    feeders, where a new list per field is the main cost (each one a garbage-collected
    container)."""
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


# -- segment sets as masks ---------------------------------------------------------------

_BIT = {s: 1 << i for i, s in enumerate(Segment)}


def mask_of(segments: Iterable[Segment]) -> int:
    """The 9-bit mask of a segment set.

    >>> mask_of(RIGHT) == RIGHT_BITS and segments_of(mask_of(LEFT)) == LEFT
    True
    """
    out = 0
    for segment in segments:
        out |= _BIT[segment]
    return out


# Every one of the 2**9 segment sets, made once: a mask's set is one list index.
SEGMENT_SETS: Sequence[frozenset[Segment]] = tuple(
    frozenset(s for s, bit in _BIT.items() if mask & bit) for mask in range(1 << len(_BIT))
)
IV_BITS = mask_of(SEGMENT_IV)
RIGHT_BITS = mask_of(RIGHT)
LEFT_BITS = mask_of(LEFT)


def segments_of(bits: int) -> frozenset[Segment]:
    """The segment set a mask stands for."""
    return SEGMENT_SETS[bits]
