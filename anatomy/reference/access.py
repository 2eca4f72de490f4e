"""Arterial access sites: the only door to data/access.yaml.

Each site (``femoral``, ``left-femoral``, ``radial``, ``right-radial``; aliases such as
``right-femoral`` and ``left-radial``) gives the catheter's way from the puncture to the
abdominal aorta as vocabulary kinds, and how a route names each step.

>>> [step.shown for step in access_site("femoral").route]
['R femoral', 'EIA', 'CIA']
>>> access_site("left-radial").id
'radial'
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

__all__ = ["AccessSite", "AccessStep", "access_ids", "access_site", "access_sites"]


@dataclass(frozen=True, slots=True)
class AccessStep:
    """One vessel on the way in: its vocabulary kind and the name a route shows."""

    kind: str
    shown: str


@dataclass(frozen=True, slots=True)
class AccessSite:
    """A puncture site and the way from it to the abdominal aorta."""

    id: str
    aliases: tuple[str, ...]
    label: str
    route: tuple[AccessStep, ...]
    sources: tuple[str, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _StepIn(_Strict):
    kind: str
    shown: str


class _SiteIn(_Strict):
    id: str
    aliases: list[str]
    label: str
    route: list[_StepIn]
    sources: list[str]


class _FileIn(_Strict):
    format: Literal["hepatic-access/1"]
    sites: list[_SiteIn]


def _build(raw: Any) -> Mapping[str, AccessSite]:
    parsed = validated(_FileIn, raw, "access.yaml")
    out: dict[str, AccessSite] = {}
    for item in parsed.sites:
        for step in item.route:
            try:
                kind(step.kind)
            except KeyError:
                raise ReferenceDataError(
                    f"access.yaml, site '{item.id}': '{step.kind}' is not a vocabulary kind"
                ) from None
        site = AccessSite(
            item.id,
            tuple(item.aliases),
            item.label,
            tuple(AccessStep(s.kind, s.shown) for s in item.route),
            tuple(item.sources),
        )
        for name in (item.id, *item.aliases):
            if name in out:
                raise ReferenceDataError(f"access.yaml: the id '{name}' names two sites")
            out[name] = site
    return out


@cache
def _sites() -> Mapping[str, AccessSite]:
    return _build(load_yaml("access.yaml"))


def access_sites() -> tuple[AccessSite, ...]:
    """Every site once, in the file's order."""
    return tuple(dict.fromkeys(_sites().values()))


def access_ids() -> tuple[str, ...]:
    """Every id a caller may give (sites and aliases), in the file's order."""
    return tuple(_sites())


def access_site(name: str) -> AccessSite:
    """The site with this id or alias; ``ValueError`` listing the ids when there is none."""
    found = _sites().get(name)
    if found is None:
        raise ValueError(f"unknown access site '{name}'; use one of {', '.join(access_ids())}")
    return found
