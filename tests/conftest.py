"""Shared test helpers.

``needs(...)``: a test that needs an outside program (Graphviz ``dot``, Chromium) is
skipped on a developer machine that lacks it, but never in CI (``CI=true``): there the
README's set-up installs them, so a missing one must fail loudly, not hide a test.
"""

from __future__ import annotations

import os
import shutil

import pytest

from anatomy.report import find_chromium

IN_CI = os.environ.get("CI", "").lower() == "true"

_FOUND = {"dot": lambda: shutil.which("dot") is not None, "chromium": lambda: find_chromium()}


def needs(*tools: str) -> pytest.MarkDecorator:
    """Skip outside CI when one of ``tools`` (``dot``, ``chromium``) is missing."""
    missing = [t for t in tools if not _FOUND[t]()]
    return pytest.mark.skipif(
        bool(missing) and not IN_CI,
        reason=f"{', '.join(missing)} not installed (./dev check installs it)",
    )
