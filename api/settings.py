"""The server's one settings object: input limits and the instructor's case folder, read
once from the environment.

Every limit is generous by default (a centerline graph from cone-beam CT can hold tens
of thousands of vessels) and can be lowered or raised per deployment:

===============================  =============  ==========================================
environment variable             default        what it bounds
===============================  =============  ==========================================
``HEPATIC_MAX_BODY_BYTES``       16 MiB         request body, checked before it is read
``HEPATIC_MAX_VESSELS``          100,000        vessels in one case
``HEPATIC_MAX_TUMORS``           1,000          tumors in one case
``HEPATIC_MAX_STRING_LENGTH``    2,000          characters in any one string of a case
``HEPATIC_WORKERS``              CPU count      threads that parse, validate and compute
                                                at once; more requests wait their turn,
                                                and the event loop (``/healthz``) never
                                                waits behind them
``HEPATIC_BODY_TIMEOUT_S``       10             seconds for a request's whole body to
                                                arrive; past it 408, connection closed
===============================  =============  ==========================================

``HEPATIC_CASES_DIR`` (no default) names an instructor's folder of teaching case files:
they join the library at start-up; a file that cannot is logged and listed at
``/v1/cases/status``, and never stops the server.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["Settings"]

_PREFIX = "HEPATIC_"
_TEXT = frozenset({"cases_dir"})  # settings that are text, not whole numbers


@dataclass(frozen=True, slots=True)
class Settings:
    """Limits of one running app. ``Settings.from_env()`` reads the environment."""

    max_body_bytes: int = 16 * 1024 * 1024
    max_vessels: int = 100_000
    max_tumors: int = 1_000
    max_string_length: int = 2_000
    # Every body is parsed and computed in a worker thread, never on the event loop. The
    # threads share the GIL with the loop: more CPU-bound threads than cores only make
    # each wait longer, and make the loop (health checks, other clients) wait too.
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    # A client that promises a body and stalls holds a connection; this bounds how long.
    body_timeout_s: int = 10
    # An instructor's folder of teaching case files (None: the built-in library only).
    cases_dir: str | None = None

    def __post_init__(self) -> None:
        for item in fields(self):
            if item.name in _TEXT:
                continue
            value = getattr(self, item.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(
                    f"setting {item.name} must be a whole number of at least 1; fix "
                    f"{_PREFIX}{item.name.upper()}"
                )

    @property
    def max_entries(self) -> int:
        """How many JSON/YAML values a case may hold in all (bounds alias-expanded YAML)."""
        return 64 * (self.max_vessels + self.max_tumors) + 4096

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``HEPATIC_*`` variables; a malformed value names its variable."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}  # each field its own type: int, or text
        for item in fields(cls):
            name = f"{_PREFIX}{item.name.upper()}"
            raw = env.get(name)
            if raw is None or not raw.strip():
                continue
            if item.name in _TEXT:
                values[item.name] = raw.strip()
                continue
            try:
                values[item.name] = int(raw)
            except ValueError:
                raise ValueError(
                    f"{name} must be a whole number (for example 100000); fix the environment"
                ) from None
        return cls(**values)
