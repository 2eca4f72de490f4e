"""Invariants (hypothesis): the answer does not depend on vessel order, on the ids chosen,
or on unnamed pass-through branches inserted anywhere; JSON is byte-identical."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from anatomy.classification.classify import Classification
from anatomy.output.documents import classification_dict, dumps
from tests import trees
from tests.test_case import SEED
from tests.trees import classified

FIXTURES = {
    **trees.MICHELS,
    "rha-from-gda": trees.RHA_FROM_GDA,
    "rha-from-pda": trees.RHA_FROM_PDA,
    "cha-from-aorta": trees.CHA_FROM_AORTA,
    "pha-from-sma": trees.PHA_FROM_SMA,
    "double": trees.DOUBLE_HEPATIC,
    "celiac-only": trees.CELIAC_ONLY,
    "sectors": trees.REPLACED_SECTORS_FROM_SMA_AND_GDA,
}
fixture_names = st.sampled_from(sorted(FIXTURES))


def answer(result: Classification, rename: dict[str, str] | None = None) -> tuple[Any, ...]:
    back = {new: old for old, new in (rename or {}).items()}
    arteries = sorted(
        (f.code, back.get(f.vessel or "", f.vessel), f.status, f.origin)
        for f in result.findings
        if f.code.endswith("_hepatic")
    )
    return (
        result.outcome,
        result.michels,
        result.michels_subtype,
        result.hiatt,
        tuple(p.id for p in result.named_variants),
        tuple(arteries),
    )


@settings(max_examples=60, deadline=None)
@given(name=fixture_names, seed=st.randoms(use_true_random=False))
def test_vessel_order_does_not_matter(name: str, seed: Any) -> None:
    document = copy.deepcopy(FIXTURES[name])
    expected = classification_dict(classified(document))
    seed.shuffle(document["vessels"])
    assert classification_dict(classified(document)) == expected


@settings(max_examples=60, deadline=None)
@given(name=fixture_names, data=st.data())
def test_id_renaming_does_not_matter(name: str, data: st.DataObject) -> None:
    document = copy.deepcopy(FIXTURES[name])
    ids = [v["id"] for v in document["vessels"]]
    fresh = data.draw(
        st.lists(
            st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True),
            min_size=len(ids),
            max_size=len(ids),
            unique=True,
        )
    )
    rename = dict(zip(ids, fresh, strict=True))
    for item in document["vessels"]:
        item["id"] = rename[item["id"]]
        if "parent" in item:
            item["parent"] = rename[item["parent"]]
    expected = answer(classified(FIXTURES[name]))
    assert answer(classified(document), rename) == expected


@settings(max_examples=80, deadline=None)
@given(name=fixture_names, data=st.data())
def test_inserted_unnamed_branches_do_not_matter(name: str, data: st.DataObject) -> None:
    document = copy.deepcopy(FIXTURES[name])
    children = [v for v in document["vessels"] if "parent" in v]
    chosen = data.draw(st.lists(st.sampled_from(children), max_size=len(children), unique_by=id))
    for n, item in enumerate(chosen):
        link = {"id": f"via-{n}", "parent": item["parent"]}
        item["parent"] = link["id"]
        document["vessels"].append(link)
        if data.draw(st.booleans(), label="twig"):  # a side twig with no territory
            document["vessels"].append({"id": f"twig-{n}", "parent": link["id"]})
    expected = answer(classified(FIXTURES[name]))
    assert answer(classified(document)) == expected


def test_json_is_byte_identical_across_processes() -> None:
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "anatomy.cli.main", "classify", "--json", str(SEED)],
            capture_output=True,
            env=env,
            check=True,
            cwd=Path(__file__).parents[1],
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_dumps_is_stable_in_process() -> None:
    first = dumps(classification_dict(classified(trees.TYPE_VII)))
    assert dumps(classification_dict(classified(trees.TYPE_VII))) == first
