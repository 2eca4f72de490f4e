"""Classification benchmark: whole classification against parse-and-validate alone.

For trees of 1,000, 10,000 and 100,000 vessels, written to a JSON file and to a YAML
file, it times (best of several runs) reading and validating the file, and the whole
classification: read, validate, build the tree, annotate, classify, serialize the JSON.
Target (issue 2): whole classification within 3x of parse-and-validate at every size.

    python -m bench.bench_classify [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import yaml

from anatomy.case import load_case
from anatomy.output.documents import classification_dict, dumps
from anatomy.pipeline import answer
from bench.synthetic import synthetic_case
from bench.timing import best_of


def whole(path: Path) -> str:
    return dumps(classification_dict(answer(load_case(path)).classification))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args(argv)
    print(
        f"{'vessels':>8} {'format':>6} {'parse+validate s':>17} {'whole s':>9} "
        f"{'ratio':>6}  target <= 3.0"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            case = synthetic_case(size)
            runs = 5 if size <= 10_000 else 3
            for fmt in ("json", "yaml"):
                path = Path(folder) / f"tree-{size}.{fmt}"
                text = json.dumps(case) if fmt == "json" else yaml.safe_dump(case)
                path.write_text(text)
                parse = best_of(runs, lambda p=path: load_case(p))  # type: ignore[misc]
                total = best_of(runs, lambda p=path: whole(p))  # type: ignore[misc]
                flag = "ok" if total / parse <= 3 else "OVER"
                print(
                    f"{size:>8} {fmt:>6} {parse:>17.3f} {total:>9.3f} {total / parse:>6.2f}  {flag}"
                )


if __name__ == "__main__":
    main()
