"""Worst cases of issue 16, before and after the limits: seconds, answers and processes.

1. Validation of a case whose vessels name parents that do not exist (``parse_case`` on
   n = 8,000 of them). Before: the validation plus what it used to do per problem, difflib
   against every vessel id (``suggestions.closest_plain``) for every unknown parent. After:
   ``parse_case`` itself (suggestions from an index, for the first 20 problems).
2. A 100,000-vessel star (aorta → celiac → CHA → PHA, then unnamed branches of the PHA)
   drawn as PNG. Before: ``dot`` run on its DOT text directly, with no limit. After: the
   answer of ``POST /v1/render?format=png`` (the app in process, TestClient), body parse
   included.
3. 20 PDF reports of the seed case at once. Before: 20 headless Chromium prints started
   together, as the report route did. After: 20 concurrent ``POST /v1/report?format=pdf``
   through the renderer cap (``HEPATIC_MAX_RENDERERS``).

Anything that could run for minutes is stopped at ``--cap-s`` seconds (printed
"> N s (stopped)"). Processes and their memory are the peak over the run of this
process's descendants, read from /proc (proportional set size, so pages shared among
Chromium's processes count once; Linux only, "n/a" elsewhere).

    python -m bench.bench_limits [--cap-s 120] [--vessels 100000] [--reports 20]
                                 [--unknown 8000]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from anatomy.case import parse_case
from anatomy.output.diagram import case_diagram, find_dot
from anatomy.output.processes import renderers
from anatomy.output.report import find_chromium, print_command
from anatomy.pipeline import answer
from api.main import create_app
from api.openapi import SEED_EXAMPLE
from api.settings import Settings
from bench.synthetic import star

_UNKNOWN_PARENTS = """
import sys, time
from anatomy.case import parse_case
from anatomy.errors import CaseError
n = int(sys.argv[1])
vessels = [{"id": "ao", "kind": "aorta"}]
vessels += [{"id": f"v{i}", "parent": f"missing{i}"} for i in range(n)]
start = time.perf_counter()
try:
    parse_case({"format": "hepatic-case/1", "vessels": vessels})
except CaseError:
    pass
if sys.argv[2] == "before":
    from anatomy.suggestions import closest_plain
    ids = [v["id"] for v in vessels]
    for v in vessels[1:]:
        closest_plain(v["parent"], ids, n=4)
print(time.perf_counter() - start)
"""


# -- measuring ----------------------------------------------------------------------------


class Peak:
    """The most descendants of this process alive at once, and the most memory they held."""

    def __init__(self) -> None:
        self.processes = 0
        self.rss_kib = 0
        self.readable = Path("/proc/self/stat").exists()

    def sample(self) -> None:
        if not self.readable:
            return
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
        ours = {os.getpid()}
        grown = True
        while grown:  # descendants, however deep
            found = {pid for pid, parent in parents.items() if parent in ours} - ours
            grown = bool(found)
            ours |= found
        ours.discard(os.getpid())
        for pid in ours:
            rss[pid] = _proportional_kib(pid)
        self.processes = max(self.processes, len(ours))
        self.rss_kib = max(self.rss_kib, sum(rss.get(pid, 0) for pid in ours))

    def text(self) -> str:
        if not self.readable:
            return "n/a"
        return f"{self.processes} processes, {self.rss_kib / 1024:,.0f} MiB"


def _proportional_kib(pid: int) -> int:
    """A process's proportional set size (shared pages divided among their sharers), so
    that a dozen Chromium processes are not each counted with the whole browser."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


@contextmanager
def watched() -> Iterator[Peak]:
    """Sample the descendants every 50 ms while the block runs."""
    peak = Peak()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak.sample()
            done.wait(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield peak
    finally:
        done.set()
        watcher.join()


def capped(command: list[str], cap_s: float, stdin: bytes | None = None) -> float | None:
    """Seconds ``command`` took, or None when it was stopped (with its group) at ``cap_s``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.communicate(stdin, timeout=cap_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return None
    return time.perf_counter() - start


def seconds(value: float | None, cap_s: float) -> str:
    return f"> {cap_s:g} s (stopped)" if value is None else f"{value:.2f} s"


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


# -- the three items ----------------------------------------------------------------------


def unknown_parents(n: int, cap_s: float) -> None:
    took: dict[str, float | None] = {}
    for when in ("before", "after"):
        try:
            done = subprocess.run(
                [sys.executable, "-c", _UNKNOWN_PARENTS, str(n), when],
                capture_output=True,
                timeout=cap_s,
                check=True,
                text=True,
            )
            took[when] = float(done.stdout.strip())
        except subprocess.TimeoutExpired:
            took[when] = None
    print(
        f"1. parse_case, {n:,} unknown parents: before {seconds(took['before'], cap_s)}, "
        f"after {seconds(took['after'], cap_s)}"
    )


def big_render(vessels: int, cap_s: float) -> None:
    data = star(vessels - 4)
    case = parse_case(data)
    source = case_diagram(case, answer(case).classification)
    dot = find_dot()
    if dot is None:
        print("2. Graphviz dot is not installed: apt-get install graphviz")
        return
    with watched() as peak:
        before = capped([dot, "-Tpng"], cap_s, source.encode("utf-8"))
    print(f"2. {vessels:,}-vessel star to PNG")
    print(f"   before: dot alone {seconds(before, cap_s)}, peak {peak.text()}")
    body = json.dumps(data)
    with TestClient(create_app(Settings())) as client, watched() as peak:
        took, response = timed(
            lambda: client.post(
                "/v1/render?format=png",
                content=body,
                headers={"content-type": "application/json"},
            )
        )
    print(
        f"   after:  POST /v1/render {took:.2f} s, answer {response.status_code} "
        f"({response.json().get('type', '') if response.status_code != 200 else 'png'}), "
        f"peak {peak.text()}"
    )


def _chromium_print(
    browser: str, folder: Path, index: int, page: Path, cap_s: float
) -> float | None:
    command = print_command(
        browser, page, folder / f"report-{index}.pdf", folder / f"profile-{index}"
    )
    return capped(command, cap_s)


def concurrent_reports(count: int, cap_s: float) -> None:
    browser = find_chromium()
    if browser is None:
        print("3. Chromium is not installed: apt-get install chromium")
        return
    seed = SEED_EXAMPLE.read_text(encoding="utf-8")
    with TestClient(create_app(Settings())) as client:
        html = client.post(
            "/v1/report?format=html", content=seed, headers={"content-type": "application/yaml"}
        ).text
        with tempfile.TemporaryDirectory(prefix="hepatic-bench-") as name:
            folder = Path(name)
            page = folder / "report.html"
            page.write_text(html, encoding="utf-8")
            with watched() as peak, ThreadPoolExecutor(count) as pool:
                took, runs = timed(
                    lambda: list(
                        pool.map(
                            lambda i: _chromium_print(browser, folder, i, page, cap_s),
                            range(count),
                        )
                    )
                )
            printed = sum(1 for r in runs if r is not None)
            print(f"3. {count} PDF reports at once")
            print(
                f"   before: {count} Chromium prints {took:.2f} s wall, {printed} printed, "
                f"{count - printed} stopped at {cap_s:g} s, peak {peak.text()}"
            )

        def one() -> int:
            return client.post(
                "/v1/report?format=pdf", content=seed, headers={"content-type": "application/yaml"}
            ).status_code

        with watched() as peak, ThreadPoolExecutor(count) as pool:
            took, statuses = timed(lambda: list(pool.map(lambda _: one(), range(count))))
    answers = ", ".join(f"{statuses.count(s)} x {s}" for s in sorted(set(statuses)))
    limit = renderers().limits.max_renderers
    print(
        f"   after:  {count} POST /v1/report {took:.2f} s wall, {answers} (cap {limit}), "
        f"peak {peak.text()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap-s", type=float, default=120.0)
    parser.add_argument("--vessels", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--unknown", type=int, default=8_000)
    args = parser.parse_args(argv)
    print(f"worst cases of issue 16; anything past {args.cap_s:g} s is stopped")
    unknown_parents(args.unknown, args.cap_s)
    big_render(args.vessels, args.cap_s)
    concurrent_reports(args.reports, args.cap_s)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
