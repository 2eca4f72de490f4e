"""Batch benchmark: `hepatic batch` against its baselines, side by side, in one run.

On the same generated cases (michels-1966, with noise), in alternating rounds (so a drift
in the machine's speed falls on all of them; medians reported):

- parse-and-validate of the same lines in one process (read each JSON line and validate
  the case, as the batch does before classifying): the baseline;
- ``hepatic batch --workers 1`` and ``--workers N`` (N = every core), as processes;
- the Dask bag example of docs/batch.md, as written there, on the same N processes.

Then the peak memory (RSS and PSS of the batch and its workers, sampled) for 100,000
and 1,000,000 lines of a small valid case, written to /dev/null.

Targets (issue 17): batch throughput per core at least 0.5 of parse-and-validate;
scaling from 1 to 2 cores at least 1.8; Dask at least 0.8 of hepatic batch on the same
cores; peak memory constant in the number of lines and under 300 MB.

    python -m bench.bench_batch [--cases 10000] [--rounds 2] [--memory-lines 100000 1000000]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import orjson

from anatomy.batch import default_workers
from anatomy.case import parse_case
from anatomy.errors import CaseError
from anatomy.formats.document import read_document
from anatomy.teaching.generator import generate

ROOT = Path(__file__).resolve().parents[1]
TARGET_PER_CORE = 0.5
TARGET_SCALING = 1.8
TARGET_DASK = 0.8
TARGET_MEMORY_MB = 300.0
SMALL_CASE = {
    "vessels": [
        {"id": "ao", "kind": "aorta"},
        {"id": "ct", "kind": "celiac trunk", "parent": "ao"},
        {"id": "cha", "kind": "CHA", "parent": "ct"},
        {"id": "pha", "kind": "PHA", "parent": "cha"},
        {"id": "rha", "kind": "RHA", "parent": "pha", "supplies": ["V", "VI", "VII", "VIII"]},
        {"id": "lha", "kind": "LHA", "parent": "pha", "supplies": ["I", "II", "III", "IV"]},
        {"id": "sma", "kind": "SMA", "parent": "ao"},
    ]
}


def parse_and_validate(path: Path) -> float:
    """Seconds to read and validate every line of ``path`` in this process."""
    start = time.perf_counter()
    with path.open("rb") as handle:
        for line in handle:
            with contextlib.suppress(CaseError):
                parse_case(read_document(line, "json"))
    return time.perf_counter() - start


def hepatic_batch(path: Path, out: Path, workers: int) -> float:
    """Seconds for the command ``hepatic batch`` (a fresh process, as people run it)."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "anatomy.cli.main",
            "batch",
            str(path),
            "-o",
            str(out),
            "--restart",
            "--workers",
            str(workers),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def dask_example(folder: Path, workers: int, partitions: int) -> str:
    """docs/batch.md's Dask example with this machine's workers and partition size."""
    text = (ROOT / "docs" / "batch.md").read_text()
    example = re.findall(r"```python\n(.*?)```", text, re.S)[0]
    size = max(1, (folder / "cases.jsonl").stat().st_size // partitions + 1)
    for old, new in (
        ('blocksize="16MiB"', f"blocksize={size}"),
        ("num_workers=2", f"num_workers={workers}"),
    ):
        if old not in example:
            raise SystemExit(
                f"docs/batch.md's Dask example no longer has {old}: update the benchmark"
            )
        example = example.replace(old, new)
    return example


def dask_run(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "example.py"], check=True, capture_output=True, cwd=folder)
    return time.perf_counter() - start


class Sampler:
    """Peak RSS and PSS (MB) of a process and its children, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.rss = 0.0
        self.pss = 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def tree(self) -> list[int]:
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            try:
                text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
            except OSError:
                continue
            todo += [int(c) for c in text.split()]
        return out

    @staticmethod
    def field(path: str, name: str) -> float:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(name):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def run(self) -> None:
        while not self.stop.wait(0.2):
            pids = self.tree()
            self.rss = max(self.rss, sum(self.field(f"/proc/{p}/status", "VmRSS:") for p in pids))
            self.pss = max(
                self.pss, sum(self.field(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
            )

    def finish(self) -> tuple[float, float]:
        self.stop.set()
        self.thread.join()
        return self.rss, self.pss


def peak_memory(lines: int, folder: Path, workers: int) -> tuple[float, float, float]:
    """Peak RSS and PSS (MB) of ``hepatic batch`` on ``lines`` small cases, and seconds."""
    path = folder / f"small-{lines}.jsonl"
    block = b"".join(orjson.dumps({"id": f"c{n}", **SMALL_CASE}) + b"\n" for n in range(1000))
    with path.open("wb") as handle:
        for _ in range(lines // 1000):
            handle.write(block)
    start = time.perf_counter()
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "anatomy.cli.main",
            "batch",
            str(path),
            "-o",
            os.devnull,
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    sampler = Sampler(child.pid)
    if child.wait() != 0:
        raise SystemExit(f"hepatic batch failed on {path}")
    rss, pss = sampler.finish()
    path.unlink()
    return rss, pss, time.perf_counter() - start


def flag(ok: bool) -> str:
    return "ok" if ok else "GAP"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--memory-lines", type=int, nargs="*", default=[100_000, 1_000_000])
    args = parser.parse_args(argv)
    cores = default_workers()
    load = os.getloadavg()[0]
    print(
        f"machine: {cores} cores ({platform.processor() or platform.machine()}), Python "
        f"{platform.python_version()}, load average {load:.1f} at start"
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        cases = folder / "cases.jsonl"
        with cases.open("wb") as handle:
            for item in generate("michels-1966", args.cases, seed=1):
                handle.write(orjson.dumps(item.case) + b"\n")
        (folder / "example.py").write_text(dask_example(folder, cores, 4 * cores))
        print(
            f"input: {args.cases:,} generated cases (michels-1966, seed 1, noise), "
            f"{cases.stat().st_size / 1e6:.1f} MB; {args.rounds} alternating rounds, medians"
        )
        times: dict[str, list[float]] = {"parse": [], "one": [], "all": [], "dask": []}
        for _ in range(args.rounds):
            times["parse"].append(parse_and_validate(cases))
            times["one"].append(hepatic_batch(cases, folder / "one.jsonl", 1))
            times["all"].append(hepatic_batch(cases, folder / "all.jsonl", cores))
            times["dask"].append(dask_run(folder))
        rate = {k: args.cases / statistics.median(v) for k, v in times.items()}
        per_core = rate["all"] / cores / rate["parse"]
        one = rate["one"] / rate["parse"]
        scaling = rate["all"] / rate["one"]
        dask = rate["dask"] / rate["all"]
        print(f"  parse-and-validate, 1 process      {rate['parse']:8,.0f} cases/s")
        print(
            f"  hepatic batch --workers 1          {rate['one']:8,.0f} cases/s   "
            f"ratio to parse-and-validate {one:.2f}  target >= {TARGET_PER_CORE}  "
            f"{flag(one >= TARGET_PER_CORE)}"
        )
        print(
            f"  hepatic batch --workers {cores:<2}         {rate['all']:8,.0f} cases/s   "
            f"per core {per_core:.2f} of parse-and-validate  target >= {TARGET_PER_CORE}  "
            f"{flag(per_core >= TARGET_PER_CORE)}"
        )
        print(
            f"  scaling 1 -> {cores} workers            {scaling:8.2f}x         "
            f"target >= {TARGET_SCALING} on 2 cores  {flag(scaling >= TARGET_SCALING)}"
        )
        print(
            f"  Dask bag, {cores} processes (docs)      {rate['dask']:8,.0f} cases/s   "
            f"ratio to hepatic batch {dask:.2f}  target >= {TARGET_DASK}  "
            f"{flag(dask >= TARGET_DASK)}"
        )
        peaks = []
        for lines in args.memory_lines:
            rss, pss, seconds = peak_memory(lines, folder, cores)
            peaks.append(rss)
            print(
                f"  peak memory, {lines:>9,} lines      RSS {rss:6.0f} MB, PSS {pss:6.0f} MB "
                f"({seconds:.0f} s)  target < {TARGET_MEMORY_MB:.0f} MB  "
                f"{flag(rss < TARGET_MEMORY_MB)}"
            )
        if len(peaks) > 1:
            growth = peaks[-1] / peaks[0]
            print(
                f"  memory {args.memory_lines[-1]:,} / {args.memory_lines[0]:,} lines     "
                f"{growth:8.2f}x         target: constant (<= 1.1)  {flag(growth <= 1.1)}"
            )


if __name__ == "__main__":
    main()
