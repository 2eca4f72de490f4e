"""External renderers (Graphviz ``dot``, headless Chromium) run under limits.

Each renderer runs in a process group of its own, so that a timeout or a cancellation
(an HTTP client that went away) kills it *and* every process it started: Chromium starts
a dozen. A process-wide cap bounds how many renderers run at once; a caller that finds
every slot taken waits briefly, then gets ``RendererBusyError`` (the API's 503
``renderer-busy`` with ``Retry-After``) instead of queueing without end. The limits are
read once from the environment; each server process (each worker) has its own cap:

=============================  =====================  ======================================
environment variable           default                what it bounds
=============================  =====================  ======================================
``HEPATIC_MAX_RENDERERS``      twice the CPUs, <= 4   renderer processes running at once
``HEPATIC_RENDER_TIMEOUT_S``   30                     seconds one renderer may run
``HEPATIC_RENDER_WAIT_S``      1                      seconds to wait for a free slot
``HEPATIC_MAX_DRAWN_VESSELS``  2,000                  vessels drawn in a tree image (not in
                                                      its DOT text)
=============================  =====================  ======================================

Four at most by default: one headless Chromium is a dozen processes and 150–250 MB, and
``dot`` on a large tree is single-threaded and slow, so more would only share the CPUs.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache

from anatomy.errors import RenderCancelledError, RendererBusyError, RenderTimeoutError

__all__ = ["Finished", "RenderLimits", "Renderers", "renderers"]

_PREFIX = "HEPATIC_"
_POLL_S = 0.05  # how often a running renderer's caller looks at its cancel event
# Renderers run at a lower CPU priority than the server that starts them: a burst of
# Chromium prints (a dozen processes each) must not hold /healthz or the answers of
# other requests. Set on the new process group as soon as it starts, before Chromium
# starts its children (they inherit it).
_NICENESS = 10


@dataclass(frozen=True, slots=True)
class RenderLimits:
    """How many renderers may run at once, for how long, and how large a tree is drawn."""

    max_renderers: int = 4
    render_timeout_s: float = 30.0
    render_wait_s: float = 1.0
    max_drawn_vessels: int = 2_000

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not value > 0 or not math.isfinite(value):
                raise ValueError(
                    f"setting {item.name} must be a positive number; fix "
                    f"{_PREFIX}{item.name.upper()}"
                )

    @property
    def retry_after_s(self) -> int:
        """Whole seconds a refused caller is told to wait (an HTTP ``Retry-After``)."""
        return max(1, math.ceil(self.render_wait_s))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RenderLimits:
        """Limits from ``HEPATIC_*`` variables; a malformed value names its variable."""
        env = os.environ if environ is None else environ
        values: dict[str, float] = {"max_renderers": min(4, 2 * (os.cpu_count() or 1))}
        for item in fields(cls):
            name = f"{_PREFIX}{item.name.upper()}"
            raw = env.get(name, "").strip()
            if not raw:
                continue
            whole = item.name.startswith("max_")
            try:
                values[item.name] = int(raw) if whole else float(raw)
            except ValueError:
                example = "4" if whole else "30"
                raise ValueError(
                    f"{name} must be a {'whole ' if whole else ''}number (for example "
                    f"{example}); fix the environment"
                ) from None
        return cls(**values)  # type: ignore[arg-type]  # each field gets its own type


@dataclass(frozen=True, slots=True)
class Finished:
    """A renderer that ran to its end: its exit status and what it wrote."""

    returncode: int
    stdout: bytes
    stderr: bytes


class Renderers:
    """Slots for renderer processes, and the one way to run a renderer.

    ``run`` takes a slot (waiting at most ``render_wait_s``), starts the command in a new
    session, feeds it ``stdin`` and collects its output; past ``render_timeout_s``, or
    as soon as ``cancel`` is set, it kills the whole process group.
    """

    def __init__(self, limits: RenderLimits) -> None:
        self.limits = limits
        self._slots = threading.BoundedSemaphore(limits.max_renderers)

    def run(
        self,
        command: Sequence[str],
        *,
        name: str,
        stdin: bytes | None = None,
        cancel: threading.Event | None = None,
    ) -> Finished:
        """Run ``command`` (named ``name`` in messages) to its end under the limits.

        Raises ``RendererBusyError`` when no slot frees in time, ``RenderTimeoutError``
        past the time limit, ``RenderCancelledError`` when ``cancel`` is set, and
        ``OSError`` when the command cannot be started; in every case no process of the
        renderer is left running.
        """
        limits = self.limits
        if cancel is not None and cancel.is_set():
            raise RenderCancelledError(f"{name} was not started: the caller went away")
        if not self._slots.acquire(timeout=limits.render_wait_s):
            raise RendererBusyError(
                f"every renderer is busy ({limits.max_renderers} at once on this server), so "
                f"{name} was not started. Fix: try again in {limits.retry_after_s} s; "
                "operators can raise HEPATIC_MAX_RENDERERS.",
                limits.retry_after_s,
            )
        try:
            return self._run(command, name, stdin, cancel)
        finally:
            self._slots.release()

    def _run(
        self,
        command: Sequence[str],
        name: str,
        stdin: bytes | None,
        cancel: threading.Event | None,
    ) -> Finished:
        limits = self.limits
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: killed whole, children too
        )
        with contextlib.suppress(OSError):  # it may be gone already
            os.setpriority(os.PRIO_PGRP, process.pid, _NICENESS)
        deadline = time.monotonic() + limits.render_timeout_s
        pending = stdin
        try:
            while True:
                wait = min(_POLL_S, max(0.0, deadline - time.monotonic()))
                try:
                    out, err = process.communicate(pending, timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    pending = None  # already being written; a retry must not send it again
                if cancel is not None and cancel.is_set():
                    raise RenderCancelledError(f"{name} was stopped: the caller went away")
                if time.monotonic() >= deadline:
                    raise RenderTimeoutError(
                        f"{name} did not finish within {limits.render_timeout_s:g} s and was "
                        "stopped. Fix: draw less (a DOT text file needs no renderer; hide "
                        "extrahepatic branches), or raise HEPATIC_RENDER_TIMEOUT_S.",
                        name,
                        limits.render_timeout_s,
                    )
        finally:
            # Also after a normal exit: a child left behind by the renderer goes too.
            _kill_group(process.pid)
            if process.returncode is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.communicate(timeout=5)
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
        return Finished(process.returncode, out, err)


def _kill_group(group: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


@cache
def renderers() -> Renderers:
    """The process's renderer slots, with limits read from the environment on first use."""
    return Renderers(RenderLimits.from_env())
