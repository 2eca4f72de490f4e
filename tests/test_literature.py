"""Published cases: the classifier against what each paper says its anatomy is.

Every file in ``tests/literature/`` (except ``expected.yaml``) is one real anatomy from a
published case report, dissection report or image case, written in the ``hepatic-case/1``
format; its ``source`` is the citation and its ``notes`` say what the paper states and
what was inferred (for instance segment supply written out as the textbook pattern when
the paper says only "right lobe"). ``expected.yaml`` holds, per case, the Michels and
Hiatt types, the named non-Michels variant and the key findings as the PAPER describes
them, read against Michels' definitions (``shared/reference/anatomy-facts.md`` section 1).
The expectations were written from the papers, not from this classifier: when a test here
fails, the classifier disagrees with the literature.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from anatomy.case import load_case
from anatomy.classification.classify import Classification
from tests.trees import classified

LITERATURE = Path(__file__).resolve().parent / "literature"
EXPECTED = LITERATURE / "expected.yaml"
CASES = sorted(path for path in LITERATURE.glob("*.yaml") if path != EXPECTED)


@cache
def expectations() -> dict[str, dict[str, Any]]:
    with EXPECTED.open(encoding="utf-8") as handle:
        loaded: dict[str, dict[str, Any]] = yaml.safe_load(handle)
    return loaded


@cache
def result(slug: str) -> Classification:
    return classified(load_case(LITERATURE / f"{slug}.yaml"))


SLUGS = [path.stem for path in CASES]
FINDINGS = [
    pytest.param(slug, finding, id=f"{slug}:{finding['vessel']}:{finding['code']}")
    for slug in SLUGS
    for finding in expectations().get(slug, {}).get("key_findings", [])
]


def test_every_case_has_an_expectation() -> None:
    assert sorted(expectations()) == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_case_id_matches_file_name(slug: str) -> None:
    assert load_case(LITERATURE / f"{slug}.yaml").id == slug


def _typed(slug: str) -> object:
    """A case whose type the classifier is known to answer otherwise than the paper and
    DESIGN.md (``known_disagreement``) is a strict xfail: it fails once they agree, so the
    note is taken out then. The disagreement stays visible in every run."""
    reason = expectations()[slug].get("known_disagreement")
    if reason is None:
        return slug
    return pytest.param(slug, marks=pytest.mark.xfail(reason=" ".join(reason.split()), strict=True))


@pytest.mark.parametrize("slug", [_typed(slug) for slug in SLUGS])
def test_michels_type(slug: str) -> None:
    assert result(slug).michels == expectations()[slug]["michels"]


@pytest.mark.parametrize("slug", [_typed(slug) for slug in SLUGS])
def test_hiatt_type(slug: str) -> None:
    assert result(slug).hiatt == expectations()[slug]["hiatt"]


@pytest.mark.parametrize(
    "slug", [slug for slug in SLUGS if expectations()[slug].get("named_variant")]
)
def test_named_variant(slug: str) -> None:
    wanted = expectations()[slug]["named_variant"]
    wanted = {wanted} if isinstance(wanted, str) else set(wanted)
    named = {pattern.id for pattern in result(slug).named_variants}
    assert wanted <= named


@pytest.mark.parametrize(("slug", "expected"), FINDINGS)
def test_key_finding(slug: str, expected: dict[str, Any]) -> None:
    found = [
        (f.vessel, f.code, f.origin)
        for f in result(slug).findings
        if f.vessel == expected["vessel"] and f.code == expected["code"]
    ]
    assert found, f"no {expected['code']} finding on {expected['vessel']}"
    if "origin" in expected:
        assert any(origin == expected["origin"] for _, _, origin in found), found
