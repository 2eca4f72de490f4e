"""Draw every pattern of data/michels_variants/ from its example tree, for the docs.

Writes docs/diagrams/<pattern id>.svg and .png (the tree diagram) and
<pattern id>-schematic.svg and .png (the anatomical schematic), and the README's pictures
of the seed case (docs/images/khassaf-plan.png, khassaf-schematic.png). Run from a
checkout with Graphviz installed: ``.venv/bin/python scripts/render_patterns.py [--out
DIR]``. The output is deterministic for one Graphviz and cairo version, so rerunning it
changes no file unless the patterns, the vocabulary or the drawing changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from anatomy.case import load_case, parse_case
from anatomy.output.figures import case_figure, draw
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
        done = answer(case)
        for figure, suffix in (("tree", ""), ("schematic", "-schematic")):
            source = case_figure(case, done.classification, figure=figure)
            for fmt in ("svg", "png"):
                _write(out / f"{item.id}{suffix}.{fmt}", draw(source, figure, fmt))
        print(f"{item.id}: {out / item.id}.svg, .png, -schematic.svg, -schematic.png")
    seed = load_case(ROOT / "data" / "cases" / "khassaf-2025-net.yaml")
    done = answer(seed, with_plan=True)
    images = ROOT / "docs" / "images"
    for figure, name in (("tree", "khassaf-plan"), ("schematic", "khassaf-schematic")):
        source = case_figure(seed, done.classification, figure=figure, plan=done.plan)
        _write(images / f"{name}.png", draw(source, figure, "png"))
        print(f"seed: {images / name}.png")
    return 0


def _write(target: Path, data: bytes) -> None:
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)


if __name__ == "__main__":
    sys.exit(main())
