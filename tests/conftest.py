"""Shared test helpers.

``needs(...)``: a test that needs an outside program (Graphviz ``dot``, Chromium) is
skipped on a developer machine that lacks it (a bare ``pytest``), but never under the
README's test command (``./dev check`` installs both and sets HEPATIC_REQUIRE_TOOLS=1)
nor in CI (``CI=true``): there a missing one must fail loudly, not hide a test.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

from anatomy.output.report import find_chromium

if TYPE_CHECKING:
    from starlette.testclient import TestClient

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


@contextmanager
def served(app: Any) -> Iterator[int]:
    """``app`` served by uvicorn on a free loopback port, in a thread (no lifespan: the
    tests need no warm-up); the port, until the block ends."""
    import uvicorn  # only the tests that serve need it

    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        access_log=False,
        ws="none",
        loop="asyncio",
        lifespan="off",
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield int(running.servers[0].sockets[0].getsockname()[1])
    finally:
        running.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """HEPATIC_* variables for the process's renderer slots, read afresh for each test."""
    from anatomy.output.processes import renderers

    renderers.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    renderers.cache_clear()


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The app with default settings, started once per module."""
    # Imported here: the app takes seconds to import, and most tests never start it.
    from starlette.testclient import TestClient

    from api.main import create_app
    from api.settings import Settings

    with TestClient(create_app(Settings())) as test_client:
        yield test_client
