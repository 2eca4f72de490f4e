"""The anatomical schematic's layout: the only door to data/schematic.yaml.

The frontal Couinaud diagram (the liver's outline, each segment's polygon, where its
label sits and where an artery ends in it), where hepatic arteries enter the hilum, the
aorta and the levels of its branches, and where the named trunks run. Coordinates are
SVG pixels of the frontal view (the patient's right on the viewer's left).

>>> layout().segment("VII").label
(150.0, 150.0)
>>> round(layout().px_per_mm, 2)  # a 15 cm liver, 612 px wide
4.08
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import load_yaml, validated
from anatomy.reference.vocabulary import kind

__all__ = ["Ends", "Entry", "Layout", "Point", "SegmentShape", "layout"]

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class SegmentShape:
    """One Couinaud segment in the frontal diagram."""

    name: str
    polygon: tuple[Point, ...]
    label: Point
    end: Point
    behind: bool  # drawn behind the others (the caudate lobe)


@dataclass(frozen=True, slots=True)
class Entry:
    """Where the hepatic arteries of one side enter the liver, and the step between them."""

    at: Point
    step: Point


@dataclass(frozen=True, slots=True)
class Ends:
    """Where a vessel of one kind ends, a point it bends through, where branches leave,
    and where its name goes (offset from the end, and which way the text runs)."""

    end: Point
    via: Point | None
    branch_at: float
    label_at: Point | None = None
    label_anchor: str = "middle"


@dataclass(frozen=True, slots=True)
class Layout:
    """The whole layout (see data/schematic.yaml)."""

    sources: tuple[str, ...]
    width: float
    liver_width_cm: float
    outline: tuple[Point, ...]
    lines: tuple[tuple[str, tuple[Point, ...]], ...]
    segments: tuple[SegmentShape, ...]
    hilum: Mapping[str, Entry]
    aorta_x: float
    aorta_top: float
    aorta_bottom: float
    aorta_width: float
    levels: Mapping[int, float]
    ends: Mapping[str, Ends]

    def segment(self, name: str) -> SegmentShape:
        """The segment called ``name`` (I … VIII, IVa, IVb)."""
        for shape in self.segments:
            if shape.name == name:
                return shape
        raise KeyError(name)

    @property
    def px_per_mm(self) -> float:
        """Pixels per millimetre of liver: tumors are drawn to this scale."""
        xs = [x for x, _ in self.outline]
        return (max(xs) - min(xs)) / (self.liver_width_cm * 10)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_PointIn = tuple[float, float]


class _LineIn(_Strict):
    name: str
    points: list[_PointIn] = Field(min_length=2)


class _LiverIn(_Strict):
    outline: list[_PointIn] = Field(min_length=3)
    lines: list[_LineIn]


class _SegmentIn(_Strict):
    name: Literal["I", "II", "III", "IVa", "IVb", "V", "VI", "VII", "VIII"]
    polygon: list[_PointIn] = Field(min_length=3)
    label: _PointIn
    end: _PointIn
    behind: bool = False


class _EntryIn(_Strict):
    at: _PointIn
    step: _PointIn


class _AortaIn(_Strict):
    x: float
    top: float
    bottom: float
    width: float


class _LabelIn(_Strict):
    at: _PointIn
    anchor: Literal["start", "middle", "end"]


class _EndsIn(_Strict):
    end: _PointIn
    via: _PointIn | None = None
    branch_at: float = Field(ge=0, le=1)
    label: _LabelIn | None = None


class _FileIn(_Strict):
    format: Literal["hepatic-schematic/1"]
    sources: list[str] = Field(min_length=1)
    width: float = Field(gt=0)
    liver_width_cm: float = Field(gt=0)
    liver: _LiverIn
    segments: list[_SegmentIn]
    hilum: dict[Literal["right", "caudate", "segment_iv", "left"], _EntryIn]
    aorta: _AortaIn
    levels: dict[int, float]
    ends: dict[str, _EndsIn]


def _build(raw: Any) -> Layout:
    parsed = validated(_FileIn, raw, "schematic.yaml")
    names = sorted(s.name for s in parsed.segments)
    expected = sorted(["I", "II", "III", "IVa", "IVb", "V", "VI", "VII", "VIII"])
    if names != expected:
        raise ReferenceDataError(
            f"schematic.yaml: segments must be each of {', '.join(expected)} once; "
            f"found {', '.join(names)}"
        )
    if sorted(parsed.hilum) != ["caudate", "left", "right", "segment_iv"]:
        raise ReferenceDataError(
            "schematic.yaml: hilum needs an entry for right, caudate, segment_iv and left"
        )
    for name in parsed.ends:
        try:
            kind(name)
        except KeyError:
            raise ReferenceDataError(
                f"schematic.yaml, ends: '{name}' is not a vocabulary kind"
            ) from None
    return Layout(
        sources=tuple(parsed.sources),
        width=parsed.width,
        liver_width_cm=parsed.liver_width_cm,
        outline=tuple(parsed.liver.outline),
        lines=tuple((line.name, tuple(line.points)) for line in parsed.liver.lines),
        segments=tuple(
            SegmentShape(s.name, tuple(s.polygon), s.label, s.end, s.behind)
            for s in parsed.segments
        ),
        hilum={side: Entry(e.at, e.step) for side, e in sorted(parsed.hilum.items())},
        aorta_x=parsed.aorta.x,
        aorta_top=parsed.aorta.top,
        aorta_bottom=parsed.aorta.bottom,
        aorta_width=parsed.aorta.width,
        levels=dict(sorted(parsed.levels.items())),
        ends={
            name: Ends(
                item.end,
                item.via,
                item.branch_at,
                item.label.at if item.label else None,
                item.label.anchor if item.label else "middle",
            )
            for name, item in sorted(parsed.ends.items())
        },
    )


@cache
def layout() -> Layout:
    """The layout, validated when first read (``ReferenceDataError`` naming the field)."""
    return _build(load_yaml("schematic.yaml"))
