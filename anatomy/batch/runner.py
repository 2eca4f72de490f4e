"""The batch runner: cases in, records out, in input order, on every core, in constant
memory, resumable.

Cases come from a JSON-lines file (one case per line), a folder of case files (YAML or
JSON, in sorted path order) or standard input. Worker processes are started once; chunks
of cases go to them with at most a few chunks in flight, and their records are written
in input order as they return, so memory does not grow with the number of cases. Each
record carries its input ``line`` (or ``file``) beside the case's ``id``. Rerunning with
the same output resumes: the records already there are checked against the input (line,
id, tool and data versions) and skipped, a torn last line is cut off, and the summary
counts them all.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import orjson

from anatomy.batch.records import classify_line, classify_record, error_record
from anatomy.batch.summary import Key, Summary, summary_key
from anatomy.errors import BatchError, Problem, UnreadableError
from anatomy.formats.document import read_document
from anatomy.output.documents import versions
from anatomy.planning.positions import Access
from anatomy.reference.vocabulary import with_role

__all__ = ["CASE_SUFFIXES", "BatchResult", "Options", "default_workers", "run_batch"]

CASE_SUFFIXES = (".json", ".yaml", ".yml")
CHUNK_CASES = 64  # cases per chunk sent to a worker
CHUNK_BYTES = 1 << 20  # … or fewer, when the cases are large trees
IN_FLIGHT_PER_WORKER = 2  # chunks queued per worker: enough to keep it busy

Where = Literal["line", "file"]
Item = tuple[Where, int | str, bytes]  # (key kind, line number or file, line or path)


@dataclass(frozen=True, slots=True)
class Options:
    """What each record holds: the plan too (``with_plan``), from which access, and the
    whole documents' objects instead of the keys tools rely on (``full``)."""

    with_plan: bool = False
    access: Access = "femoral"
    full: bool = False


@dataclass
class BatchResult:
    """What a run did: the summary of every record in the output, how many were already
    there (resumed), how many it wrote, and how long it took."""

    summary: Summary = field(default_factory=Summary)
    resumed: int = 0
    written: int = 0
    seconds: float = 0.0
    workers: int = 1


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# -- reading cases -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Source:
    items: Iterator[Item]
    total: int | None  # progress units: bytes of a file, files of a folder, None for stdin


def _source(source: str | Path) -> _Source:
    if str(source) == "-":
        return _Source(_lines(sys.stdin.buffer), None)
    path = Path(source)
    if path.is_dir():
        files = sorted(
            p for p in path.rglob("*") if p.suffix.lower() in CASE_SUFFIXES and p.is_file()
        )
        return _Source(
            (("file", p.relative_to(path).as_posix(), os.fsencode(p)) for p in files), len(files)
        )
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BatchError(
            f"{path}: cannot read the input ({exc.strerror or exc}). Fix: give a JSON-lines "
            "file, a folder of case files, or - for standard input."
        ) from None
    return _Source(_lines(handle), path.stat().st_size)


def _lines(handle: IO[bytes]) -> Iterator[Item]:
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield ("line", number, line)


def _chunks(items: Iterator[Item]) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item[2])
        if len(chunk) >= CHUNK_CASES or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


# -- the work of one chunk (in a worker) -----------------------------------------------------


def _work(chunk: list[Item], options: Options) -> tuple[bytes, list[Key], int]:
    """Records for a chunk of cases, as JSON lines; their summary keys; the units read."""
    out = bytearray()
    keys = []
    units = 0
    for where, key, payload in chunk:
        if where == "line":
            record = classify_line(
                payload, with_plan=options.with_plan, access=options.access, full=options.full
            )
            units += len(payload)
        else:
            record = _classify_file(Path(os.fsdecode(payload)), options)
            units += 1
        record = {"id": record.pop("id"), where: key, **record}
        out += orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
        keys.append(summary_key(record))
    return bytes(out), keys, units


def _classify_file(path: Path, options: Options) -> dict[str, Any]:
    try:
        document = read_document(path.read_bytes())
    except OSError as exc:
        problem = Problem(
            "unreadable",
            (),
            f"cannot read the file: {exc.strerror or exc}.",
            "check that the file is readable",
        )
        return error_record(None, [problem])
    except UnreadableError as exc:
        return error_record(None, exc.problems)
    return classify_record(
        document, with_plan=options.with_plan, access=options.access, full=options.full
    )


def _load_data() -> None:
    """Read the reference data (vocabulary, patterns, …) into their caches."""
    (root,) = with_role("complete_study_root")
    classify_record({"vessels": [{"id": "ao", "kind": root}]})


def _warm() -> None:
    """A worker's start: the reference data loaded (inherited when forked), and Ctrl-C
    left to the main process (it stops sending work and keeps what is written)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _load_data()


def _context() -> Any:
    """fork when it is safe (a process with one thread), else a fork server that has
    imported the runner once (or, where there is none, a fresh interpreter)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])  # effective when the server starts
        return context
    return multiprocessing.get_context("spawn")


# -- resuming ------------------------------------------------------------------------------


def _resume(
    path: Path, items: Iterator[Item], options: Options, summary: Summary
) -> tuple[int, int]:
    """Check the records already in ``path`` against the input, count them, cut a torn
    last line; returns how many input cases they cover (consumed from ``items``) and the
    progress units those cases are."""
    done = 0
    units = 0
    good_end = 0
    mine = versions()
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                record = orjson.loads(line) if line.endswith(b"\n") else None
            except orjson.JSONDecodeError:
                record = None
            if record is None:
                if handle.read(1):  # not the last line: not a file this runner wrote
                    raise BatchError(
                        f"{path}: line {number} is not a batch record. Fix: give another "
                        "output file, or --restart to overwrite this one."
                    )
                break  # a torn last line, from a run that was stopped: cut off below
            item = next(items, None)
            _same_run(path, number, record, item, mine, options)
            units += len(item[2]) if item is not None and item[0] == "line" else 1
            summary.add(record)
            done += 1
            good_end += len(line)
    if good_end < path.stat().st_size:
        os.truncate(path, good_end)
    return done, units


def _same_run(
    path: Path,
    number: int,
    record: Any,
    item: Item | None,
    mine: dict[str, str],
    options: Options,
) -> None:
    fix = "Fix: give another output file, or --restart to start it again."
    if not isinstance(record, dict) or record.get("status") not in ("ok", "error"):
        raise BatchError(f"{path}: line {number} is not a batch record. {fix}")
    if item is None:
        raise BatchError(f"{path}: it holds more records than the input has cases. {fix}")
    where, key, payload = item
    if record.get(where) != key:
        raise BatchError(
            f"{path}: record {number} is for {_place(record)}, but the input's next case is "
            f"{where} {key}: the output does not continue this input. {fix}"
        )
    if where == "line" and record.get("id") != _line_id(payload):
        raise BatchError(
            f"{path}: record {number} is case '{record.get('id')}', but input line {key} is "
            f"'{_line_id(payload)}': the output does not continue this input. {fix}"
        )
    for name, value in mine.items():
        if record.get(name) != value:
            raise BatchError(
                f"{path}: record {number} was written with {name} {record.get(name)}, not "
                f"{value}: records from two versions would not be comparable. {fix}"
            )
    if record["status"] == "ok":
        if ("plan" in record) != options.with_plan:
            raise BatchError(
                f"{path}: its records were written {'with' if 'plan' in record else 'without'} "
                f"--plan. Rerun with the same options, or {fix[5:]}"
            )
        full = "reasons" in record["classification"]
        if full != options.full:
            raise BatchError(
                f"{path}: its records were written {'with' if full else 'without'} --full. "
                f"Rerun with the same options, or {fix[5:]}"
            )


def _place(record: dict[str, Any]) -> str:
    return f"line {record['line']}" if "line" in record else f"file {record.get('file')}"


def _line_id(line: bytes) -> str | None:
    try:
        document = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    value = document.get("id") if isinstance(document, dict) else None
    return value if isinstance(value, str) and len(value) <= 64 else None


# -- running -------------------------------------------------------------------------------

Progress = Callable[[int, int], None]  # (units read so far, records written by this run)


def run_batch(
    source: str | Path,
    output: str | Path,
    *,
    workers: int | None = None,
    options: Options | None = None,
    restart: bool = False,
    progress: Progress | None = None,
    total: Callable[[int | None], None] | None = None,
) -> BatchResult:
    """Classify every case of ``source`` into ``output`` (``-``: standard output).

    ``workers`` processes (default: every core; 1 runs in this process). An existing
    ``output`` is resumed unless ``restart``. ``progress`` is called after each chunk with
    the units read (bytes of a file, files of a folder; resumed ones included) and the
    records this run wrote; ``total`` first, with the units there are (None for standard
    input).
    """
    options = options or Options()
    count = max(1, workers or default_workers())
    started = time.perf_counter()
    found = _source(source)
    if total is not None:
        total(found.total)
    result = BatchResult(workers=count)
    to_stdout = str(output) == "-"
    out_path = Path(output)
    if not to_stdout and out_path.is_dir():
        raise BatchError(f"{out_path}: is a folder. Fix: give a file name for the records.")
    done_units = 0
    if not to_stdout and not restart and out_path.is_file():
        result.resumed, done_units = _resume(out_path, found.items, options, result.summary)
    try:
        sink: IO[bytes] = (
            sys.stdout.buffer if to_stdout else out_path.open("wb" if restart else "ab")
        )
    except OSError as exc:
        raise BatchError(
            f"{out_path}: cannot write the records ({exc.strerror or exc}). Fix: give a "
            "writable output file."
        ) from None

    def write(data: bytes, keys: list[Key], units: int) -> None:
        nonlocal done_units
        sink.write(data)
        for key in keys:
            result.summary.add_key(key)
        result.written += len(keys)
        done_units += units
        if progress is not None:
            progress(done_units, result.written)

    try:
        if count == 1:
            for chunk in _chunks(found.items):
                write(*_work(chunk, options))
        else:
            _parallel(found.items, options, count, write)
    finally:
        sink.flush()
        if not to_stdout:
            sink.close()
    result.seconds = time.perf_counter() - started
    return result


def _parallel(
    items: Iterator[Item],
    options: Options,
    count: int,
    write: Callable[[bytes, list[Key], int], None],
) -> None:
    """Chunks to ``count`` worker processes, at most a few in flight, written in order."""
    pending: deque[Future[tuple[bytes, list[Key], int]]] = deque()
    limit = IN_FLIGHT_PER_WORKER * count
    context = _context()
    if context.get_start_method() == "fork":
        _load_data()  # once here, shared by every forked worker
    with ProcessPoolExecutor(count, mp_context=context, initializer=_warm) as pool:
        try:
            for chunk in _chunks(items):
                pending.append(pool.submit(_work, chunk, options))
                if len(pending) >= limit:
                    write(*pending.popleft().result())
            while pending:
                write(*pending.popleft().result())
        except BrokenProcessPool:
            raise BatchError(
                "a worker process died (out of memory, or killed). Fix: rerun the same command "
                "to resume; with fewer --workers if memory is short."
            ) from None
        except BaseException:
            for future in pending:
                future.cancel()
            raise
