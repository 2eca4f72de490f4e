"""Published prevalence tables: the only door to data/prevalence/.

Each file is one published series (Michels 1966, Hiatt 1994, a modern CT series): its
population, n, sources, and one row per category with its count and percent. A row says
which answers it counts (``match``: Michels types, Hiatt types or an outcome) and which
patterns of data/michels_variants/ a generated case of that row is drawn from
(``patterns``; ``within`` says how to choose among several). Files are checked against
their schema and against the patterns when first read; a malformed one is a
ReferenceDataError naming it.

>>> table("michels-1966").n, [r.id for r in table("michels-1966").rows][:3]
(200, ['I', 'II', 'III'])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import data_dir, load_yaml, validated
from anatomy.reference.patterns import MICHELS_ORDER, Pattern, patterns

__all__ = ["Row", "RowMatch", "Table", "table", "tables"]

Outcome = Literal["classified", "unclassified", "incomplete"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RowMatch(_Strict):
    """Which answers a row counts: exactly one key is set. ``michels`` lists types as the
    case format reports them ("VIII" counts VIIIa and VIIIb) or a sub-type ("VIIIa")."""

    michels: frozenset[str] | None = None
    hiatt: frozenset[int] | None = None
    outcome: frozenset[Outcome] | None = None

    @model_validator(mode="after")
    def _one_key(self) -> RowMatch:
        if len(self.model_fields_set) != 1:
            raise ValueError("`match` has exactly one key: michels, hiatt or outcome")
        return self

    def counts(
        self, michels: str | None, subtype: str | None, hiatt: int | None, outcome: str
    ) -> bool:
        """Whether an answer with these values falls in the row."""
        if self.michels is not None:
            return michels in self.michels or (subtype is not None and subtype in self.michels)
        if self.hiatt is not None:
            return hiatt in self.hiatt
        return self.outcome is not None and outcome in self.outcome


class _RowIn(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    label: str
    match: RowMatch
    patterns: list[str] = Field(min_length=1)
    within: str | None = None
    count: int | None = Field(default=None, ge=0)
    percent: float | None = Field(default=None, ge=0, le=100)
    note: str | None = None

    @model_validator(mode="after")
    def _sizes(self) -> _RowIn:
        if self.count is None and self.percent is None:
            raise ValueError(f"row {self.id}: give `count` or `percent` (or both)")
        if len(self.patterns) > 1 and self.within is None:
            raise ValueError(f"row {self.id}: several patterns need `within` (uniform or a table)")
        return self


class _TableIn(_Strict):
    format: Literal["hepatic-prevalence/1"]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    year: int
    citation: str
    sources: list[str] = Field(min_length=1)
    population: str
    modality: str
    n: int = Field(gt=0)
    note: str | None = None
    rows: list[_RowIn] = Field(min_length=2)


@dataclass(frozen=True, slots=True)
class Row:
    """One category of a published table."""

    id: str
    label: str
    match: RowMatch
    patterns: tuple[str, ...]
    within: str | None
    count: int | None
    percent: float | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Table:
    """A published prevalence table."""

    id: str
    name: str
    year: int
    citation: str
    sources: tuple[str, ...]
    population: str
    modality: str
    n: int
    note: str | None
    rows: tuple[Row, ...]

    def share(self, row: Row) -> float:
        """The row's fraction of the series: ``count / n`` when counted, else percent/100."""
        if row.count is not None:
            return row.count / self.n
        assert row.percent is not None
        return row.percent / 100

    def count(self, row: Row) -> int:
        """The row's count: as published, or ``percent x n`` rounded when only a percent is."""
        if row.count is not None:
            return row.count
        assert row.percent is not None
        return round(row.percent * self.n / 100)

    def row_of(
        self, michels: str | None, subtype: str | None, hiatt: int | None, outcome: str
    ) -> Row | None:
        """The row an answer falls in, or None (not a category of this table)."""
        return next(
            (r for r in self.rows if r.match.counts(michels, subtype, hiatt, outcome)), None
        )


@cache
def tables() -> tuple[Table, ...]:
    """Every table in data/prevalence/, oldest first."""
    folder = data_dir() / "prevalence"
    raw: dict[str, _TableIn] = {}
    for path in sorted(folder.glob("*.yaml")):
        relative = f"prevalence/{path.name}"
        item: _TableIn = validated(_TableIn, load_yaml(relative), relative)
        if item.id != path.stem:
            raise ReferenceDataError(f"{relative}: id '{item.id}' must equal the file name")
        raw[item.id] = item
    by_id = {p.id: p for p in patterns()}
    for item in raw.values():
        _check(item, by_id, raw)
    return tuple(
        Table(
            id=t.id,
            name=t.name,
            year=t.year,
            citation=t.citation,
            sources=tuple(t.sources),
            population=t.population,
            modality=t.modality,
            n=t.n,
            note=t.note,
            rows=tuple(
                Row(r.id, r.label, r.match, tuple(r.patterns), r.within, r.count, r.percent, r.note)
                for r in t.rows
            ),
        )
        for t in sorted(raw.values(), key=lambda t: (t.year, t.id))
    )


def table(table_id: str) -> Table:
    """The table with this id (``michels-1966``); ``KeyError`` if there is none."""
    for item in tables():
        if item.id == table_id:
            return item
    raise KeyError(table_id)


def _check(item: _TableIn, by_id: Mapping[str, Pattern], raw: Mapping[str, _TableIn]) -> None:
    """Rows name known patterns, each pattern falls in its own row and in no other, and
    the counts add up to n when every row is counted."""
    name = f"prevalence/{item.id}.yaml"
    seen: dict[str, str] = {}
    for row in item.rows:
        if row.within not in (None, "uniform"):
            other = raw.get(row.within)
            if other is None:
                raise ReferenceDataError(f"{name}: row {row.id}: unknown table '{row.within}'")
            listed = {p for r in other.rows for p in r.patterns}
            if not set(row.patterns) <= listed:
                raise ReferenceDataError(
                    f"{name}: row {row.id}: table '{row.within}' has no row for "
                    f"{', '.join(sorted(set(row.patterns) - listed))}"
                )
        for pattern_id in row.patterns:
            found = by_id.get(pattern_id)
            if found is None:
                raise ReferenceDataError(f"{name}: row {row.id}: unknown pattern '{pattern_id}'")
            if pattern_id in seen:
                raise ReferenceDataError(
                    f"{name}: pattern '{pattern_id}' is in rows {seen[pattern_id]} and {row.id}"
                )
            seen[pattern_id] = row.id
            outcome = "classified" if found.type else "unclassified"
            if not row.match.counts(found.michels, found.type, found.hiatt, outcome):
                raise ReferenceDataError(
                    f"{name}: row {row.id}: pattern '{pattern_id}' would not be counted in it"
                )
        for michels in row.match.michels or ():
            if michels != "VIII" and michels not in MICHELS_ORDER:
                raise ReferenceDataError(f"{name}: row {row.id}: unknown Michels type '{michels}'")
    counts = [r.count for r in item.rows if r.count is not None]
    if len(counts) == len(item.rows) and sum(counts) != item.n:
        raise ReferenceDataError(
            f"{name}: the rows' counts add up to {sum(counts)}, not n = {item.n}"
        )
