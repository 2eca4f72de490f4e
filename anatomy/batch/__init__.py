"""Batches: registries of thousands to millions of cases, classified on every core.

``classify_record`` (a parsed case document in, a record out) and ``classify_line`` (one
line of JSON text in) are the unit of work: pure, picklable, never raising for a bad case.
``run_batch`` streams a JSON-lines file, a folder of case files or standard input through
worker processes into JSON lines, in input order and constant memory, resumable.
``Summary`` counts records (mergeable, for Dask reductions); ``prevalence_report`` sets
a summary beside the published tables with Wilson intervals (text, JSON, a figure).
docs/batch.md shows the same functions on Dask and Spark.

>>> record = classify_record({"vessels": [{"id": "ao", "kind": "aorta"}]})
>>> record["status"], record["classification"]["outcome"]
('ok', 'incomplete')
"""

from __future__ import annotations

from anatomy.batch.prevalence import (
    Report,
    plot_report,
    prevalence_report,
    report_dict,
    report_text,
    wilson,
)
from anatomy.batch.records import RECORD_FORMAT, classify_line, classify_record
from anatomy.batch.runner import BatchResult, Options, default_workers, run_batch
from anatomy.batch.summary import Summary, summary_key

__all__ = [
    "RECORD_FORMAT",
    "BatchResult",
    "Options",
    "Report",
    "Summary",
    "classify_line",
    "classify_record",
    "default_workers",
    "plot_report",
    "prevalence_report",
    "report_dict",
    "report_text",
    "run_batch",
    "summary_key",
    "wilson",
]
