"""Drawing for a client that may leave: the work (the case's pipeline, then a renderer)
runs in a worker thread while the event loop watches the connection; when the client
disconnects, the cancel event the work was given is set, and the renderer it is running
(``dot``, Chromium) is killed with every process it started."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import Request
from starlette.concurrency import run_in_threadpool

__all__ = ["while_connected"]

T = TypeVar("T")

_POLL_S = 0.1  # how often the connection is looked at while drawing


async def while_connected(request: Request, work: Callable[[threading.Event], T]) -> T:
    """``work(cancel)`` in a worker thread; ``cancel`` is set when the client goes away."""
    cancel = threading.Event()

    async def watch() -> None:
        while not await request.is_disconnected():
            await anyio.sleep(_POLL_S)
        cancel.set()

    failure: Exception | None = None
    async with anyio.create_task_group() as group:
        group.start_soon(watch)
        try:
            result = await run_in_threadpool(work, cancel)
        except Exception as exc:  # raised as it is below, not in a task group's ExceptionGroup
            failure = exc
        finally:
            group.cancel_scope.cancel()  # the work is over: stop watching
    if failure is not None:
        raise failure
    return result
