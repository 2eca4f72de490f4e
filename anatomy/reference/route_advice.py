"""Variant-specific route advice: the only door to data/route_advice.yaml.

What a variant means for the catheter (a replaced RHA from the SMA: select the SMA; an
LHA from the LGA: the gastric branches lie proximal; a CHA from the SMA: route through
the SMA), keyed on the annotator's facts (side, status, origin kind of a hepatic artery,
or the origin of the hepatic trunk). The rules are data; this module only matches them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import load_yaml, validated
from anatomy.reference.vocabulary import all_kinds

__all__ = ["RouteAdvice", "advice_for_artery", "advice_for_trunk", "merge", "route_advice"]

_SKEY = r"^S\d+$"
Side = Literal["right", "left", "segment_iv", "caudate"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ArteryWhen(_Strict):
    side: list[Side] = Field(min_length=1)
    status: Literal["replaced", "accessory", "aberrant"]
    origin: list[str] = Field(min_length=1)


class _TrunkWhen(_Strict):
    origin: list[str] = Field(min_length=1)


class _When(_Strict):
    artery: _ArteryWhen | None = None
    hepatic_trunk: _TrunkWhen | None = None

    @model_validator(mode="after")
    def _one(self) -> _When:
        if (self.artery is None) == (self.hepatic_trunk is None):
            raise ValueError("`when` holds exactly one of `artery` or `hepatic_trunk`")
        return self


class _AdviceIn(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    when: _When
    route: str
    advice: str
    certainty: str
    sources: list[str] = Field(min_length=1)


class _FileIn(_Strict):
    format: Literal["hepatic-route-advice/1"]
    version: str
    advice: list[_AdviceIn] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class RouteAdvice:
    """One piece of advice and the facts it applies to."""

    id: str
    scope: str  # "artery" | "hepatic_trunk"
    sides: frozenset[str]
    status: str | None  # replaced | accessory | aberrant (artery scope only)
    origins: frozenset[str]
    route: str
    advice: str
    certainty: str
    sources: tuple[str, ...]


def _build(raw: Any) -> tuple[RouteAdvice, ...]:
    parsed = validated(_FileIn, raw, "route_advice.yaml")
    known = {k.name for k in all_kinds()}
    out = []
    seen: set[str] = set()
    for item in parsed.advice:
        if item.id in seen:
            raise ReferenceDataError(f"route_advice.yaml: id '{item.id}' is used twice")
        seen.add(item.id)
        bad = [s for s in item.sources if not re.match(_SKEY, s)]
        if bad:
            raise ReferenceDataError(
                f"route_advice.yaml, '{item.id}': sources must be S-keys, not {bad}"
            )
        when = item.when.artery or item.when.hepatic_trunk
        assert when is not None
        unknown = sorted(set(when.origin) - known)
        if unknown:
            raise ReferenceDataError(
                f"route_advice.yaml, '{item.id}': unknown vessel kinds {unknown}"
            )
        artery = item.when.artery
        out.append(
            RouteAdvice(
                id=item.id,
                scope="artery" if artery else "hepatic_trunk",
                sides=frozenset(artery.side) if artery else frozenset(),
                status=artery.status if artery else None,
                origins=frozenset(when.origin),
                route=item.route,
                advice=" ".join(item.advice.split()),
                certainty=item.certainty,
                sources=tuple(item.sources),
            )
        )
    return tuple(out)


@cache
def route_advice() -> tuple[RouteAdvice, ...]:
    """Every advice row, in file order."""
    return _build(load_yaml("route_advice.yaml"))


@cache
def advice_for_artery(side: str, status: str, origin_kind: str) -> tuple[RouteAdvice, ...]:
    """The advice that applies to a route through a hepatic artery of this side, status
    (normal, replaced, accessory) and origin (a vocabulary kind)."""
    if status == "normal":
        return ()
    return tuple(
        a
        for a in route_advice()
        if a.scope == "artery"
        and side in a.sides
        and origin_kind in a.origins
        and (a.status == "aberrant" or a.status == status)
    )


@cache
def advice_for_trunk(origin_kind: str | None) -> tuple[RouteAdvice, ...]:
    """The advice that applies to a route through a hepatic trunk arising from this kind."""
    if origin_kind is None:
        return ()
    return tuple(
        a for a in route_advice() if a.scope == "hepatic_trunk" and origin_kind in a.origins
    )


def merge(groups: Iterable[Iterable[RouteAdvice]]) -> tuple[RouteAdvice, ...]:
    """Advice from several routes, each row once, in file order."""
    wanted = {a.id for group in groups for a in group}
    return tuple(a for a in route_advice() if a.id in wanted)
