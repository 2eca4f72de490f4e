"""The source list (data/sources.yaml): every key the reference data cites resolves."""

from __future__ import annotations

import pytest

from anatomy.errors import ReferenceDataError
from anatomy.reference.datafiles import data_dir
from anatomy.reference.sources import _build, cited, source, sources


def keys_used_in_data() -> dict[str, set[str]]:
    """Per source key, the data files that cite it (anywhere in their text)."""
    out: dict[str, set[str]] = {}
    root = data_dir()
    for path in sorted(root.rglob("*.yaml")):
        if path.name == "sources.yaml":
            continue
        for key in cited(path.read_text(encoding="utf-8")):
            out.setdefault(key, set()).add(path.relative_to(root).as_posix())
    return out


def test_every_key_used_in_data_resolves() -> None:
    used = keys_used_in_data()
    assert used, "no source key found in data/"
    missing = {key: sorted(files) for key, files in used.items() if key not in sources()}
    assert not missing, f"cited in data/ but not in data/sources.yaml: {missing}"


def test_keys_are_in_order_and_cited_finds_them() -> None:
    keys = list(sources())
    assert keys[:3] == ["S1", "S2", "S3"]
    assert cited("61.8% (S31)", ["[S30, S7]"]) == ("S7", "S30", "S31")
    assert cited("segment VII artery, S-shaped") == ()


def test_a_citation_is_full() -> None:
    assert source("S31").citation.startswith("Zhao Y et al. Exp Ther Med 2015")
    with pytest.raises(KeyError):
        source("S999")


def test_a_malformed_file_is_named() -> None:
    with pytest.raises(ReferenceDataError, match=r"sources\.yaml"):
        _build({"format": "hepatic-sources/1", "sources": {"S1": {"citation": ""}}})
