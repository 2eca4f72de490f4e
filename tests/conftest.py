"""Shared test helpers.

``needs(...)``: a test that needs an outside program (Graphviz ``dot``, Chromium) is
skipped on a developer machine that lacks it (a bare ``pytest``), but never under the
README's test command (``./dev check`` installs both and sets HEPATIC_REQUIRE_TOOLS=1)
nor in CI (``CI=true``): there a missing one must fail loudly, not hide a test.
"""

from __future__ import annotations

import os
import shutil

import pytest

from anatomy.output.report import find_chromium

REQUIRE_TOOLS = (
    os.environ.get("CI", "").lower() in ("1", "true", "yes")
    or os.environ.get("HEPATIC_REQUIRE_TOOLS") == "1"
)

_FOUND = {"dot": lambda: shutil.which("dot") is not None, "chromium": lambda: find_chromium()}


def needs(*tools: str) -> pytest.MarkDecorator:
    """Skip outside CI when one of ``tools`` (``dot``, ``chromium``) is missing."""
    missing = [t for t in tools if not _FOUND[t]()]
    return pytest.mark.skipif(
        bool(missing) and not REQUIRE_TOOLS,
        reason=f"{', '.join(missing)} not installed (./dev check installs it)",
    )
