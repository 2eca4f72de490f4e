"""The sources behind the reference data: the only door to data/sources.yaml.

The data files cite sources by key (``S31``), in ``sources:`` lists and in their text;
this module turns a key into its full citation, and finds the keys a piece of text cites,
so a report can end with the references it used.

>>> source("S7").citation.startswith("Hiatt JR")
True
>>> cited("extrahepatic arteries (S31); see S30, S35")
('S30', 'S31', 'S35')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from anatomy.reference.datafiles import load_yaml, validated

__all__ = ["KEY", "Source", "cited", "source", "sources"]

KEY = re.compile(r"\bS([1-9][0-9]{0,2})\b")


@dataclass(frozen=True, slots=True)
class Source:
    """One source: its key, its citation as the data's authors wrote it, its addresses."""

    key: str
    citation: str
    urls: tuple[str, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SourceIn(_Strict):
    citation: str = Field(min_length=5)
    urls: list[str] = []


class _FileIn(_Strict):
    format: Literal["hepatic-sources/1"]
    sources: dict[str, _SourceIn]


def _build(raw: Any) -> Mapping[str, Source]:
    parsed = validated(_FileIn, raw, "sources.yaml")
    return {
        key: Source(key, item.citation, tuple(item.urls))
        for key, item in sorted(parsed.sources.items(), key=lambda kv: _order(kv[0]))
    }


def _order(key: str) -> tuple[int, str]:
    found = KEY.fullmatch(key)
    return (int(found.group(1)) if found else 10**6, key)


@cache
def sources() -> Mapping[str, Source]:
    """Every source by key, in key order (S1, S2 … S87)."""
    return _build(load_yaml("sources.yaml"))


def source(key: str) -> Source:
    """The source with this key; ``KeyError`` if the data cites no such source."""
    return sources()[key]


def cited(*texts: str | Iterable[str]) -> tuple[str, ...]:
    """The source keys (S1 … S999) the texts mention, each once, in key order."""
    found: set[str] = set()
    for text in texts:
        for part in [text] if isinstance(text, str) else text:
            found.update(f"S{m}" for m in KEY.findall(part))
    return tuple(sorted(found, key=_order))
