"""The generator's reference data: the only door to data/generator.yaml.

Where extrahepatic branches arise (by the kind of the vessel they arise from, with
sources), which patterns are never generated and why, and the default noise rates (the
generator's settings, not evidence). Checked against its schema, the vocabulary and the
patterns when first read; a malformed file is a ReferenceDataError.

>>> [b.kind for b in branches()][:2]
['cystic', 'right_gastric']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import load_yaml, validated
from anatomy.reference.patterns import patterns, trunk_runs
from anatomy.reference.vocabulary import all_kinds

__all__ = ["NOISE_KINDS", "Branch", "Rate", "branches", "default_rates", "left_out"]

NoiseKind = Literal[
    "missing_run",
    "partial_territory",
    "extrahepatic",
    "pass_through",
    "twig",
    "spelling",
    "rename",
    "shuffle",
]
NOISE_KINDS: tuple[str, ...] = get_args(NoiseKind)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _BranchIn(_Strict):
    kind: str
    from_: list[str] = Field(alias="from", min_length=1)
    sources: list[str] = Field(min_length=1)
    note: str | None = None


class _LeftOutIn(_Strict):
    pattern: str
    why: str


class Rate(_Strict):
    """How often a kind of noise is applied: to a case, then to each of its vessels."""

    per_case: float = Field(ge=0, le=1)
    per_vessel: float = Field(default=1.0, ge=0, le=1)


class _GeneratorIn(_Strict):
    format: Literal["hepatic-generator/1"]
    extrahepatic_branches: list[_BranchIn] = Field(min_length=1)
    left_out: list[_LeftOutIn] = []
    missing_runs: list[str] = Field(min_length=1)
    noise: dict[NoiseKind, Rate]


@dataclass(frozen=True, slots=True)
class Branch:
    """A non-target branch and the kinds of vessel it arises from."""

    kind: str
    parents: frozenset[str]
    sources: tuple[str, ...]


@cache
def _file() -> _GeneratorIn:
    raw: _GeneratorIn = validated(_GeneratorIn, load_yaml("generator.yaml"), "generator.yaml")
    known = {k.name: k for k in all_kinds()}
    for item in raw.extrahepatic_branches:
        entry = known.get(item.kind)
        if entry is None or not entry.non_target_branch:
            raise ReferenceDataError(
                f"generator.yaml: '{item.kind}' is not an extrahepatic or collateral kind"
            )
        for parent in item.from_:
            if parent not in known:
                raise ReferenceDataError(f"generator.yaml: unknown vessel kind '{parent}'")
    ids = {p.id for p in patterns()}
    for left in raw.left_out:
        if left.pattern not in ids:
            raise ReferenceDataError(f"generator.yaml: unknown pattern '{left.pattern}'")
    runs = trunk_runs()
    for run in raw.missing_runs:
        if run not in runs:
            raise ReferenceDataError(
                f"generator.yaml: missing run '{run}' is not a trunk run of usual_feeders.yaml"
            )
    missing = set(NOISE_KINDS) - set(raw.noise)
    if missing:
        raise ReferenceDataError(f"generator.yaml: no rate for {', '.join(sorted(missing))}")
    return raw


def branches() -> tuple[Branch, ...]:
    """The extrahepatic branches the generator may add, in the file's order."""
    return tuple(
        Branch(b.kind, frozenset(b.from_), tuple(b.sources)) for b in _file().extrahepatic_branches
    )


def left_out() -> Mapping[str, str]:
    """Pattern id -> why it is never generated."""
    return {item.pattern: item.why for item in _file().left_out}


def missing_runs() -> tuple[str, ...]:
    """The trunk runs a generated partial study may lack, in the file's order."""
    return tuple(_file().missing_runs)


def default_rates() -> Mapping[str, Rate]:
    """Noise kind -> its default rate."""
    return {str(name): rate for name, rate in _file().noise.items()}
