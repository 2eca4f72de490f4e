"""Planning benchmark: the TACE plan against classification alone.

For synthetic trees of 1,000, 10,000 and 100,000 vessels (bench/synthetic.py: Michels III,
deep random branching) with a tumor in every segment, it times on the parsed case, the
four called in turn and the best of each kept (200, 30 and 5 rounds):

- classify: annotate the tree, classify (``classify(annotate(case.tree))``);
- plan: annotate the tree, plan (``plan(annotate(case.tree), tumors)``);
- planner passes: the plan given an anatomy already annotated;
- plan + JSON: annotate, plan and the plan document's JSON text (``dumps``).

Targets: plan within 2x of classification at every size (issue 12; issue 18 hoped for
1.5x), and the plan document within 1.5x of the plan it writes (issue 18).

    python -m bench.bench_plan [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse

from anatomy.case import Case, parse_case
from anatomy.classification.annotate import annotate
from anatomy.classification.classify import classify
from anatomy.output.documents import dumps, plan_dict
from anatomy.planning.plan import Plan, plan
from bench.synthetic import synthetic_case
from bench.timing import best_of_each


def _plan(case: Case) -> Plan:
    return plan(annotate(case.tree), case.tumors)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args(argv)
    print(
        f"{'vessels':>8} {'classify ms':>12} {'plan ms':>9} {'plan/classify':>14} "
        f"{'passes ms':>10} {'plan+JSON ms':>13} {'doc/plan':>9} {'positions':>9}"
    )
    print(f"{'target':>8} {'':>12} {'':>9} {'<= 2':>14} {'':>10} {'':>13} {'<= 1.5':>9}")
    for size in args.sizes:
        case = parse_case(synthetic_case(size, tumors=True))
        runs = 200 if size <= 1_000 else 30 if size <= 10_000 else 5  # small: noisy
        note = annotate(case.tree)
        times = best_of_each(
            runs,
            {
                "classify": lambda c=case: classify(annotate(c.tree)),  # type: ignore[misc]
                "plan": lambda c=case: _plan(c),  # type: ignore[misc]
                "passes": lambda n=note, c=case: plan(n, c.tumors),  # type: ignore[misc]
                "json": lambda c=case: dumps(plan_dict(_plan(c))),  # type: ignore[misc]
            },
        )
        classified, planned, passes, with_json = times.values()
        count = _plan(case).cost.positions
        ratio, document = planned / classified, with_json / planned
        print(
            f"{size:>8} {classified * 1e3:>12.2f} {planned * 1e3:>9.2f} {ratio:>9.2f} "
            f"{_flag(ratio, 2)} {passes * 1e3:>10.2f} {with_json * 1e3:>13.2f} "
            f"{document:>4.2f} {_flag(document, 1.5)} {count:>9}"
        )


def _flag(ratio: float, target: float) -> str:
    return " ok " if ratio <= target else "OVER"


if __name__ == "__main__":
    main()
