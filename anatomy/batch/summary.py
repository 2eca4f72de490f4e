"""The counts at the end of a batch: cases per outcome, Michels type, Hiatt type, named
variant and problem code. Constant in size whatever the number of cases, mergeable (a
Dask reduction sums partitions' summaries), and the start of a prevalence table.

>>> total = Summary()
>>> total.add({"status": "ok", "classification": {"outcome": "classified", "michels": "III",
...     "michels_subtype": None, "hiatt": 3, "named_variants": []}})
>>> total.michels["III"], total.cases
(1, 1)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from anatomy.output.documents import versions
from anatomy.reference.patterns import MICHELS_ORDER

__all__ = ["SUMMARY_FORMAT", "Key", "Summary", "summary_key"]

SUMMARY_FORMAT = "hepatic-batch-summary/1"
OUTCOMES = ("classified", "unclassified", "incomplete", "error")

# What a summary needs of one record: outcome ("error" for a record with problems), the
# Michels type (VIII as its sub-type), the Hiatt type, the named variants, problem codes,
# and whether the type is provisional (the study leaves other types open).
Key = tuple[str, str | None, int | None, tuple[str, ...], tuple[str, ...], bool]


def summary_key(record: Mapping[str, Any]) -> Key:
    """The few values of a record that the summary counts (small, cheap to send)."""
    if record.get("status") != "ok":
        codes = tuple(p["code"] for p in record.get("problems", ()))
        return ("error", None, None, (), codes, False)
    got = record["classification"]
    michels = got.get("michels_subtype") or got.get("michels")
    variants = tuple(v["id"] for v in got.get("named_variants", ()))
    provisional = bool(got.get("completeness", {}).get("cannot_exclude"))
    return (got["outcome"], michels, got.get("hiatt"), variants, (), provisional)


@dataclass
class Summary:
    """Counts over records; ``add`` one record (or its ``summary_key``), ``merge`` another."""

    outcomes: Counter[str] = field(default_factory=Counter)
    michels: Counter[str] = field(default_factory=Counter)
    hiatt: Counter[int] = field(default_factory=Counter)
    named_variants: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)
    provisional: int = 0

    @property
    def cases(self) -> int:
        return sum(self.outcomes.values())

    @property
    def answered(self) -> int:
        """Cases with a whole answer: classified or unclassified (not incomplete, no error)."""
        return self.outcomes["classified"] + self.outcomes["unclassified"]

    def add(self, record: Mapping[str, Any]) -> None:
        self.add_key(summary_key(record))

    def add_key(self, key: Key) -> None:
        outcome, michels, hiatt, variants, problems, provisional = key
        self.outcomes[outcome] += 1
        self.provisional += outcome == "classified" and provisional
        if outcome == "classified" and michels is not None:
            self.michels[michels] += 1
        if outcome in ("classified", "unclassified") and hiatt is not None:
            self.hiatt[hiatt] += 1
        self.named_variants.update(variants)
        self.problems.update(problems)

    def merge(self, other: Summary) -> Summary:
        """A new summary counting both."""
        out = Summary()
        for name in ("outcomes", "michels", "hiatt", "named_variants", "problems"):
            getattr(out, name).update(getattr(self, name))
            getattr(out, name).update(getattr(other, name))
        out.provisional = self.provisional + other.provisional
        return out

    @classmethod
    def of(cls, records: Iterable[Mapping[str, Any]]) -> Summary:
        """The summary of some records (a Dask bag's per-partition step)."""
        out = cls()
        for record in records:
            out.add(record)
        return out

    @classmethod
    def merged(cls, summaries: Iterable[Summary]) -> Summary:
        """One summary of several (a Dask bag's aggregate step)."""
        out = cls()
        for item in summaries:
            out = out.merge(item)
        return out

    def as_dict(self) -> dict[str, Any]:
        """The summary as JSON (``hepatic-batch-summary/1``)."""
        return {
            "format": SUMMARY_FORMAT,
            **versions(),
            "cases": self.cases,
            "outcomes": {o: self.outcomes[o] for o in OUTCOMES},
            "provisional": self.provisional,
            "michels": {t: self.michels[t] for t in MICHELS_ORDER if self.michels[t]},
            "hiatt": {str(t): self.hiatt[t] for t in sorted(self.hiatt)},
            "named_variants": dict(sorted(self.named_variants.items())),
            "problems": dict(sorted(self.problems.items(), key=lambda kv: (-kv[1], kv[0]))),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Summary:
        """A summary read back from ``as_dict`` (``hepatic prevalence SUMMARY.json``)."""
        if data.get("format") != SUMMARY_FORMAT:
            raise ValueError(f"not a batch summary: `format` must be {SUMMARY_FORMAT}")
        out = cls()
        out.outcomes.update({k: int(v) for k, v in data.get("outcomes", {}).items()})
        out.michels.update({k: int(v) for k, v in data.get("michels", {}).items()})
        out.hiatt.update({int(k): int(v) for k, v in data.get("hiatt", {}).items()})
        out.named_variants.update(data.get("named_variants", {}))
        out.problems.update(data.get("problems", {}))
        out.provisional = int(data.get("provisional", 0))
        return out

    def text(self) -> str:
        """The summary for people: counts, and each type's share of the whole answers."""
        lines = [
            f"{self.cases:,} cases: "
            + ", ".join(f"{self.outcomes[o]:,} {o}" for o in OUTCOMES if self.outcomes[o])
        ]
        whole = self.answered
        if self.michels:
            lines.append(f"Michels types (share of the {whole:,} classified or unclassified):")
            for name in MICHELS_ORDER:
                count = self.michels[name]
                if count:
                    lines.append(f"  {name:<13}{count:>10,}  {_share(count, whole)}")
            if self.outcomes["unclassified"]:
                lines.append(
                    f"  {'unclassified':<13}{self.outcomes['unclassified']:>10,}  "
                    f"{_share(self.outcomes['unclassified'], whole)}"
                )
        if self.hiatt:
            lines.append(
                "Hiatt types: " + ", ".join(f"{t}: {n:,}" for t, n in sorted(self.hiatt.items()))
            )
        if self.named_variants:
            lines.append(
                "Named variants outside Michels: "
                + ", ".join(f"{v} {n:,}" for v, n in sorted(self.named_variants.items()))
            )
        if self.provisional:
            lines.append(
                f"Provisional types: {self.provisional:,} classified from a partial study that "
                "leaves other types open (see each record's completeness)"
            )
        if self.outcomes["incomplete"]:
            lines.append(
                f"Incomplete studies: {self.outcomes['incomplete']:,} (a side of the liver "
                "without identified supply; see each record's completeness)"
            )
        if self.problems:
            top = sorted(self.problems.items(), key=lambda kv: (-kv[1], kv[0]))
            lines.append(
                f"Problems in the {self.outcomes['error']:,} error records: "
                + ", ".join(f"{code} {n:,}" for code, n in top)
            )
        return "\n".join(lines)


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:5.1f} %" if total else "    -"
