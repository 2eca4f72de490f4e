"""Render benchmark: a diagram drawn by hepatic against Graphviz ``dot`` alone.

For synthetic trees of 10, 100 and 1,000 vessels (bench/synthetic.py, with tumors), it
times (best of several runs) our whole render, writing the DOT text from the classified
tree and drawing it with ``dot`` through the ``graphviz`` package, and ``dot`` alone
run on the same DOT file. Our overhead is the difference as a percentage of ``dot``'s
own time. Target (issue 4): under 20 %.

    python -m bench.bench_render [--sizes 10 100 1000] [--format svg] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from functools import partial
from pathlib import Path

from anatomy.case import Case, parse_case
from anatomy.classification.classify import Classification
from anatomy.output.diagram import case_diagram, render
from anatomy.pipeline import answer
from bench.synthetic import synthetic_case
from bench.timing import best_of

TARGET_PCT = 20.0


def _ours(case: Case, result: Classification, fmt: str) -> bytes:
    return render(case_diagram(case, result), fmt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--format", default="svg", choices=["svg", "png", "pdf"])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    dot = shutil.which("dot")
    if dot is None:
        print("Graphviz dot is not installed: apt-get install graphviz")
        return 2
    print(f"format {args.format}, best of {args.runs} runs; overhead target < {TARGET_PCT:g} %")
    header = (
        f"{'vessels':>8} {'DOT text':>10} {'hepatic':>10} {'dot alone':>10} "
        f"{'overhead':>10}  verdict"
    )
    print(header)
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="hepatic-bench-") as folder:
        for size in args.sizes:
            case = parse_case(synthetic_case(size, tumors=True))
            result = answer(case).classification
            source = case_diagram(case, result)
            path = Path(folder) / f"tree-{size}.dot"
            path.write_text(source, encoding="utf-8")
            runs = args.runs if size <= 100 else max(2, args.runs // 2)
            fmt: str = args.format
            text_s = best_of(runs, partial(case_diagram, case, result))
            ours_s = best_of(runs, partial(_ours, case, result, fmt))
            command = [dot, f"-T{fmt}", str(path)]
            alone_s = best_of(
                runs, partial(subprocess.run, command, check=True, capture_output=True)
            )
            overhead = (ours_s - alone_s) / alone_s * 100
            worst = max(worst, overhead)
            verdict = "ok" if overhead < TARGET_PCT else "OVER TARGET"
            print(
                f"{size:>8} {text_s * 1000:>8.1f}ms {ours_s * 1000:>8.1f}ms "
                f"{alone_s * 1000:>8.1f}ms {overhead:>9.1f}%  {verdict}"
            )
    print(f"worst overhead {worst:.1f} % of dot's time (target < {TARGET_PCT:g} %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
