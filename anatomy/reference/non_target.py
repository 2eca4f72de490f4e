"""Non-target branches near a tip: the only door to data/non_target.yaml.

How a branch downstream of a tip is protected when no tip beyond it reaches the tumor
(``protection``), and where a branch the study does not show usually arises, with how often
(``usual_origins``): the planner's "not recorded is not absent" prompts.

>>> [m.id for m in protection("gastroduodenal")]
['coil_embolization', 'balloon_occlusion', 'anti_reflux_microcatheter']
>>> usual_origins()[0].kind
'right_gastric'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import load_yaml, validated
from anatomy.reference.vocabulary import kind

__all__ = ["Method", "Origin", "UsualOrigins", "method", "protection", "usual_origins"]


@dataclass(frozen=True, slots=True)
class Method:
    """A way to keep embolic out of a non-target branch."""

    id: str
    label: str
    evidence: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a branch usually arises: a vocabulary kind, how often, and when."""

    origin: str
    how_often: str
    source: str
    when: str | None  # right_replaced, or None (always)


@dataclass(frozen=True, slots=True)
class UsualOrigins:
    """A branch the planner prompts for when the study does not show it."""

    kind: str
    present: str | None  # how often it exists at all, with its source; None: normally
    origins: tuple[Origin, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _MethodIn(_Strict):
    label: str
    evidence: Literal["practice", "reported"]
    sources: list[str]


class _OftenIn(_Strict):
    how_often: str
    source: str


class _OriginIn(_Strict):
    origin: str
    how_often: str
    source: str
    when: Literal["right_replaced"] | None = None


class _BranchIn(_Strict):
    kind: str
    present: _OftenIn | None
    origins: list[_OriginIn]


class _FileIn(_Strict):
    format: Literal["hepatic-non-target/1"]
    methods: dict[str, _MethodIn]
    protection: dict[str, list[str]]
    usual_origins: list[_BranchIn]


@dataclass(frozen=True, slots=True)
class _Data:
    methods: Mapping[str, Method]
    protection: Mapping[str, tuple[Method, ...]]
    usual: tuple[UsualOrigins, ...]


def _build(raw: Any) -> _Data:
    parsed = validated(_FileIn, raw, "non_target.yaml")
    methods = {
        name: Method(name, m.label, m.evidence, tuple(m.sources))
        for name, m in parsed.methods.items()
    }
    if "default" not in parsed.protection:
        raise ReferenceDataError("non_target.yaml: `protection` needs a `default` row")
    names = [n for n in parsed.protection if n != "default"]
    names += [b.kind for b in parsed.usual_origins]
    names += [o.origin for b in parsed.usual_origins for o in b.origins]
    for name in names:
        try:
            kind(name)
        except KeyError:
            raise ReferenceDataError(
                f"non_target.yaml: '{name}' is not a vocabulary kind"
            ) from None
    protection: dict[str, tuple[Method, ...]] = {}
    for name, chosen in parsed.protection.items():
        unknown = [c for c in chosen if c not in methods]
        if unknown:
            raise ReferenceDataError(
                f"non_target.yaml, protection of {name}: unknown methods {', '.join(unknown)}"
            )
        protection[name] = tuple(methods[c] for c in chosen)
    usual = tuple(
        UsualOrigins(
            b.kind,
            f"{b.present.how_often} [{b.present.source}]" if b.present else None,
            tuple(Origin(o.origin, o.how_often, o.source, o.when) for o in b.origins),
        )
        for b in parsed.usual_origins
    )
    return _Data(methods, protection, usual)


@cache
def _data() -> _Data:
    return _build(load_yaml("non_target.yaml"))


def method(name: str) -> Method:
    """A protection method by id (``KeyError`` if there is none)."""
    return _data().methods[name]


def protection(kind_name: str) -> tuple[Method, ...]:
    """How to protect a branch of this kind, in the order an operator would try them."""
    table = _data().protection
    return table.get(kind_name, table["default"])


def usual_origins() -> tuple[UsualOrigins, ...]:
    """The branches prompted for when not shown, in the file's order."""
    return _data().usual
