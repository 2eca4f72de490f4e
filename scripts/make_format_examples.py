"""Write the seed case (Khassaf & Abed 2025, Michels III) in every input format, for the
tests in tests/test_formats.py: node-link JSON (the ``edges`` key and the older ``links``
key) and GraphML written by networkx itself, and an SWC centerline with its sidecar.

The SWC is a hand-placed centerline of the seed's arteries in millimetres (x to the
patient's left, y anterior, z cranial), a few points per vessel with radii from typical
calibres; no centerline tool is installed here, so this script writes the seven columns
itself, as the INCF specification gives them.

Run: .venv/bin/python scripts/make_format_examples.py
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx

from anatomy import load_case, to_networkx

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "cases" / "khassaf-2025-net.yaml"
OUT = ROOT / "tests" / "formats"

# (id, x, y, z, radius, parent) in mm; the sidecar below names the vessels' first points.
POINTS = [
    (1, 0, 0, 0, 12.0, -1),  # aorta at the diaphragm
    (2, 0, 0, -10, 11.5, 1),
    (3, 0, 0, -20, 11.0, 2),  # celiac origin
    (4, 0, 0, -30, 10.5, 3),
    (5, 0, 0, -40, 10.5, 4),  # SMA origin
    (6, 0, 0, -60, 10.0, 5),
    (7, 0, 10, -20, 3.5, 3),  # celiac trunk
    (8, 0, 20, -22, 3.5, 7),  # trifurcation
    (9, 10, 25, -15, 2.0, 8),  # left gastric
    (10, 20, 28, -5, 1.8, 9),
    (11, 20, 22, -22, 3.0, 8),  # splenic
    (12, 45, 20, -25, 3.0, 11),
    (13, 70, 15, -25, 2.8, 12),
    (14, -10, 24, -22, 3.0, 8),  # common hepatic
    (15, -25, 26, -22, 3.0, 14),
    (16, -35, 28, -24, 2.8, 15),  # GDA origin
    (17, -35, 30, -35, 1.8, 16),  # gastroduodenal
    (18, -33, 32, -50, 1.6, 17),
    (19, -40, 30, -18, 2.4, 16),  # proper hepatic
    (20, -45, 30, -12, 2.3, 19),
    (21, -40, 32, -6, 2.0, 20),  # left hepatic (the PHA continues as the LHA)
    (22, -20, 35, 0, 1.8, 21),
    (23, 0, 36, 6, 1.5, 22),
    (24, 0, 12, -40, 4.0, 5),  # superior mesenteric
    (25, 0, 25, -55, 4.0, 24),  # replaced RHA origin
    (26, 0, 40, -90, 3.5, 25),  # SMA continues
    (27, -15, 20, -45, 2.6, 25),  # replaced right hepatic
    (28, -40, 15, -30, 2.5, 27),
    (29, -60, 15, -10, 2.3, 28),
    (30, -75, 10, 5, 2.0, 29),
]

SIDECAR = """\
format: hepatic-swc-sidecar/1
# The SWC gives coordinates and radii in millimetres, one unit per SWC unit.
unit: mm
scale: 1
id: khassaf-2025-net
title: Replaced right hepatic artery from the SMA; neuroendocrine liver metastases
modality: DSA
source: Khassaf MS, Abed NY. Al-Rafidain J Med Sci. 2025;9(2):312-314.
notes: >-
  The seed case as a centerline: hand-placed points (scripts/make_format_examples.py);
  segment-level supply as in data/cases/khassaf-2025-net.yaml.
vessels:
  - {node: [1, 4, 6], id: ao, kind: aorta}     # the aorta runs on past the celiac and the SMA
  - {node: 7, id: ct, kind: celiac trunk}
  - {node: 9, id: lga, kind: LGA}
  - {node: 11, id: spl, kind: splenic}
  - {node: 14, id: cha, kind: CHA}
  - {node: 17, id: gda, kind: GDA}
  - {node: 19, id: pha, kind: PHA}
  - {node: 21, id: lha, kind: LHA, supplies: [II, III, IV]}
  - {node: [24, 26], id: sma, kind: SMA}
  - {node: 27, id: rrha, kind: replaced RHA, supplies: [V, VI, VII, VIII]}
tumors:
  - {id: t1, segments: [IV], diameter_mm: 85, short_axis_mm: 70}
  - {id: t2, segments: [II, III], diameter_mm: 47, short_axis_mm: 44}
"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    graph = to_networkx(load_case(SEED))
    for key in ("edges", "links"):
        data = nx.node_link_data(graph, edges=key)
        path = OUT / f"khassaf-2025-net.{'nodelink' if key == 'edges' else 'links'}.json"
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    # GraphML holds scalars only: supplies as text, tumors as JSON text.
    flat = graph.copy()
    for _, attributes in flat.nodes(data=True):
        if "supplies" in attributes:
            attributes["supplies"] = ", ".join(attributes["supplies"])
    flat.graph["tumors"] = json.dumps(flat.graph["tumors"])
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer)
    (OUT / "khassaf-2025-net.graphml").write_bytes(buffer.getvalue())
    lines = ["# khassaf-2025-net: the seed case's arteries as a centerline (mm)"]
    lines.append("# id type x y z radius parent")
    lines += [f"{i} 0 {x} {y} {z} {r} {p}" for i, x, y, z, r, p in POINTS]
    (OUT / "khassaf-2025-net.swc").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT / "khassaf-2025-net.sidecar.yaml").write_text(SIDECAR, encoding="utf-8")


if __name__ == "__main__":
    main()
