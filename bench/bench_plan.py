"""Planning benchmark: the TACE plan against classification alone.

For synthetic trees of 1,000, 10,000 and 100,000 vessels (bench/synthetic.py: Michels III,
deep random branching) with a tumor in every segment, it times (best of several runs) on
the parsed case:

- classify: build the tree, annotate, classify (``classify``);
- plan: build the tree, annotate, plan (``plan_case``: the planner on its own);
- planner passes: the plan given the classifier's annotation (``plan_tree(annotation=)``);
- plan + JSON: ``plan_case`` and the plan's JSON text.

Target (issue 3): plan within 2x of classification at every size.

    python -m bench.bench_plan [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse

from anatomy.case import parse_case
from anatomy.classification.classify import classify, classify_tree
from anatomy.output.documents import dumps
from anatomy.output.plan_document import plan_dict
from anatomy.planning.plan import plan_case, plan_tree
from anatomy.tree import build_tree
from bench.synthetic import synthetic_case
from bench.timing import best_of


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args(argv)
    print(
        f"{'vessels':>8} {'classify s':>11} {'plan s':>8} {'ratio':>6} "
        f"{'passes s':>9} {'plan+JSON s':>12} {'positions':>9}  target plan/classify < 2.0"
    )
    for size in args.sizes:
        case = parse_case(synthetic_case(size, tumors=True))
        runs = 15 if size <= 10_000 else 3  # small sizes are noisy: more runs for the best
        tree = build_tree(case)
        note = classify_tree(tree).annotation
        classified = best_of(runs, lambda c=case: classify(c))  # type: ignore[misc]
        planned = best_of(runs, lambda c=case: plan_case(c))  # type: ignore[misc]
        passes = best_of(  # type: ignore[misc]
            runs, lambda t=tree, n=note, c=case: plan_tree(t, c.tumors, annotation=n)
        )
        with_json = best_of(  # type: ignore[misc]
            runs, lambda c=case: dumps(plan_dict(plan_case(c)))
        )
        count = plan_case(case).cost.positions
        ratio = planned / classified
        flag = "ok" if ratio < 2 else "OVER"
        print(
            f"{size:>8} {classified:>11.3f} {planned:>8.3f} {ratio:>6.2f} {passes:>9.3f} "
            f"{with_json:>12.3f} {count:>9}  {flag}"
        )


if __name__ == "__main__":
    main()
