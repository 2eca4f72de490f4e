"""Draw every pattern of data/michels_variants/ from its example tree, for the docs.

Writes docs/diagrams/<pattern id>.svg and .png. Run from a checkout with Graphviz
installed: ``.venv/bin/python scripts/render_patterns.py [--out DIR]``. The output is
deterministic for one Graphviz version, so rerunning it changes no file unless the
patterns, the vocabulary or the drawing changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from anatomy.case import parse_case
from anatomy.output.diagram import case_diagram, render
from anatomy.pipeline import answer
from anatomy.reference.patterns import patterns

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "diagrams")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for item in patterns():
        case = parse_case(item.example, source=f"michels_variants/{item.id}.yaml")
        source = case_diagram(case, answer(case).classification)
        for fmt in ("svg", "png"):
            target = out / f"{item.id}.{fmt}"
            data = render(source, fmt)
            if not target.exists() or target.read_bytes() != data:
                target.write_bytes(data)
        print(f"{item.id}: {out / item.id}.svg, .png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
