"""Small-case benchmark: the whole answer for an ordinary case against reading it.

For the seed case (10 vessels, 2 tumors; data/cases/khassaf-2025-net.yaml) sent as JSON
bytes, it times in-process batches of calls, the three in turn, and keeps each one's best
batch (40 rounds of 200 calls):

- read + validate: the bytes to a ``Case`` (``read_document``, ``parse_case``);
- classification answer: read, validate, annotate, classify, and the JSON document's bytes
  (``classification_document``, written with orjson as the API writes it);
- plan answer: the same with the plan (``plan_document``).

Target (issue 18): the classification answer within 2x of read + validate.

    python -m bench.bench_small [--calls 200] [--rounds 40]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

import orjson

from anatomy.case import Case, parse_case
from anatomy.formats.document import read_document
from anatomy.output.documents import classification_document, plan_document
from anatomy.pipeline import answer
from anatomy.reference.datafiles import load_yaml
from bench.timing import best_of_each

TARGET = 2.0


def read(body: bytes) -> Case:
    return parse_case(read_document(body, "json"))


def classification_answer(body: bytes) -> bytes:
    case = read(body)
    return orjson.dumps(classification_document(case, answer(case).classification))


def plan_answer(body: bytes) -> bytes:
    case = read(body)
    done = answer(case, with_plan=True)
    assert done.plan is not None
    return orjson.dumps(plan_document(case, done.classification, done.plan))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="calls per timed batch")
    parser.add_argument("--rounds", type=int, default=40, help="batches of each, in turn")
    args = parser.parse_args(argv)
    body = json.dumps(load_yaml("cases/khassaf-2025-net.yaml")).encode()
    calls = range(args.calls)

    def batch(work: Callable[[bytes], object]) -> Callable[[], None]:
        def run() -> None:
            for _ in calls:
                work(body)

        return run

    plan_answer(body)  # reference data loaded before timing
    best = best_of_each(
        args.rounds,
        {"read": batch(read), "whole": batch(classification_answer), "plan": batch(plan_answer)},
    )
    base, whole, planned = (seconds / args.calls for seconds in best.values())
    ratio = whole / base
    print(f"{'measure':<40} {'µs':>8} {'ratio':>6}  target")
    print(f"{'read + validate (10 vessels)':<40} {base * 1e6:>8.0f} {1:>6.2f}")
    print(
        f"{'classification answer':<40} {whole * 1e6:>8.0f} {ratio:>6.2f}  <= {TARGET:.1f} "
        + ("ok" if ratio <= TARGET else "OVER")
    )
    print(f"{'plan answer':<40} {planned * 1e6:>8.0f} {planned / base:>6.2f}")


if __name__ == "__main__":
    main()
