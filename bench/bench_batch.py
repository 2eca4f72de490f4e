"""Batch benchmark: `hepatic batch` against its baselines, side by side, in one run.

On the same generated cases (michels-1966, with noise), in alternating rounds (so a drift
in the machine's speed falls on all of them; medians reported):

- parse-and-validate of the same lines in one process (read each JSON line and validate
  the case, as the batch does before classifying): the baseline;
- ``hepatic batch --workers 1`` and ``--workers N`` (N = every core), as processes;
- the Dask bag example of docs/batch.md, as written there, on the same N processes.

Each is measured in wall-clock time and in CPU time (the process and its children). On a
machine shared with other work the wall clock measures the other work too; CPU time per
case does not, so the ratios are printed both ways, and the scaling from CPU time is the
speed-up the run would have on N idle cores (N x CPU time per case with 1 worker over
CPU time per case with N).

Then the peak memory (RSS and PSS of the batch and its workers, sampled) for 100,000 and
1,000,000 lines written to /dev/null. A case's classification is transient work, so to
keep the run short 9 lines in 10 are cases that fail validation (they still go through
reading, a worker, a record and the summary) and 1 in 10 is a whole classification.

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
import resource
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


Timing = tuple[float, float]  # (wall-clock seconds, CPU seconds)


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def parse_and_validate(path: Path) -> Timing:
    """Read and validate every line of ``path`` in this process."""
    start, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as handle:
        for line in handle:
            with contextlib.suppress(CaseError):
                parse_case(read_document(line, "json"))
    return time.perf_counter() - start, time.process_time() - cpu


def timed(command: list[str], cwd: Path) -> Timing:
    """Wall-clock and CPU seconds of a command and every process it waited for."""
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - start, children_cpu() - cpu


def hepatic_batch(path: Path, out: Path, workers: int) -> Timing:
    """The command ``hepatic batch`` (a fresh process, as people run it)."""
    command = [sys.executable, "-m", "anatomy.cli.main", "batch", str(path), "-o", str(out)]
    return timed([*command, "--restart", "--workers", str(workers)], ROOT)


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


def dask_run(folder: Path) -> Timing:
    return timed([sys.executable, "example.py"], folder)


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
    bad = {"vessels": [{"id": "ao", "kind": "aorta"}, {"id": "x", "parent": "nowhere"}]}
    block = b"".join(
        orjson.dumps({"id": f"c{n}", **(SMALL_CASE if n % 10 == 0 else bad)}) + b"\n"
        for n in range(1000)
    )
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
        runs: dict[str, list[Timing]] = {"parse": [], "one": [], "all": [], "dask": []}
        for _ in range(args.rounds):
            runs["parse"].append(parse_and_validate(cases))
            runs["one"].append(hepatic_batch(cases, folder / "one.jsonl", 1))
            runs["all"].append(hepatic_batch(cases, folder / "all.jsonl", cores))
            runs["dask"].append(dask_run(folder))
        wall = {k: args.cases / statistics.median(t[0] for t in v) for k, v in runs.items()}
        cpu = {k: args.cases / statistics.median(t[1] for t in v) for k, v in runs.items()}
        # The fixed cost of a command (interpreter, imports, reference data, workers),
        # from a run on one case: what the ratios tend to as the input grows.
        one_case = folder / "one-case"
        one_case.mkdir()
        (one_case / "cases.jsonl").write_bytes(cases.read_bytes().split(b"\n", 1)[0] + b"\n")
        (one_case / "example.py").write_text((folder / "example.py").read_text())
        fixed = {
            "parse": 0.0,
            "one": hepatic_batch(one_case / "cases.jsonl", one_case / "one.jsonl", 1)[1],
            "all": hepatic_batch(one_case / "cases.jsonl", one_case / "all.jsonl", cores)[1],
            "dask": dask_run(one_case)[1],
        }
        steady = {
            k: args.cases / max(1e-9, statistics.median(t[1] for t in v) - fixed[k])
            for k, v in runs.items()
        }
        print(
            "  fixed CPU seconds per command: "
            + ", ".join(f"{k} {fixed[k]:.1f}" for k in ("one", "all", "dask"))
        )
        print("  cases/s                      wall clock   per CPU second   without fixed cost")
        names = {
            "parse": "parse-and-validate, 1 process",
            "one": "hepatic batch --workers 1",
            "all": f"hepatic batch --workers {cores}",
            "dask": f"Dask bag, {cores} processes (docs)",
        }
        for key, name in names.items():
            print(f"  {name:<33}{wall[key]:>8,.0f}   {cpu[key]:>10,.0f}   {steady[key]:>14,.0f}")
        ratios = [
            (
                "batch per core / parse-and-validate",
                (wall["all"] / cores / wall["parse"], cpu["all"] / cpu["parse"]),
                steady["all"] / steady["parse"],
                TARGET_PER_CORE,
            ),
            (
                "batch, 1 worker / parse-and-validate",
                (wall["one"] / wall["parse"], cpu["one"] / cpu["parse"]),
                steady["one"] / steady["parse"],
                TARGET_PER_CORE,
            ),
            (
                f"scaling 1 -> {cores} workers",
                (wall["all"] / wall["one"], cores * cpu["all"] / cpu["one"]),
                cores * steady["all"] / steady["one"],
                TARGET_SCALING,
            ),
            (
                "Dask / hepatic batch, same cores",
                (wall["dask"] / wall["all"], cpu["dask"] / cpu["all"]),
                steady["dask"] / steady["all"],
                TARGET_DASK,
            ),
        ]
        print(
            "  ratio                                 wall clock   CPU time   without fixed   target"
        )
        for name, (by_wall, by_cpu), by_steady, target in ratios:
            print(
                f"  {name:<38}{by_wall:>8.2f}   {by_cpu:>8.2f}   {by_steady:>13.2f}   >= {target}  "
                f"{flag(by_cpu >= target)} (CPU), {flag(by_steady >= target)} (without fixed)"
            )
        print(f"  load average at the end: {os.getloadavg()[0]:.1f}")
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
