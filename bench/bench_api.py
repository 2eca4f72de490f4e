"""API benchmark: POST /v1/classify against POST /v1/validate, the same body, over loopback.

Starts ``uvicorn api.main:app`` (one worker, as ``hepatic serve`` runs it) on 127.0.0.1,
then drives each endpoint with a 50-vessel case at 32 concurrent connections, in
alternating rounds of a bounded time (so a drift in the machine's speed falls on both),
with ``wrk`` when installed (Debian package) or a bounded asyncio load generator
otherwise, and reports the medians of the rounds. /v1/validate reads and validates the
body exactly as /v1/classify does and returns only the counts: it is the baseline.
Targets (issue 18): classify at least 80 % of validate's requests/s; p99 under 20 ms.

Then /healthz under load (issue 16): 40 connections post 40 KB bodies of 219 vessels with
unknown parents (each costly to answer) to /v1/validate while another process polls
/healthz every 50 ms; it prints the polls' p50, p99 and max. Target: p99 under 100 ms.

    python -m bench.bench_api [--seconds 5] [--rounds 3] [--connections 32] [--vessels 50]

Loopback only, bounded in time; the load generator shares the machine's cores with the
server, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.synthetic import synthetic_case

HOST = "127.0.0.1"  # loopback only: never point this at another machine
TARGET_RATIO = 0.80
TARGET_P99_MS = 20.0
TARGET_HEALTHZ_P99_MS = 100.0

# Polls /healthz from its own process and connection (so the figures are the server's,
# not the load generator's) every argv[3] seconds until its stdin closes; prints the
# latencies as JSON.
POLLER = """
import http.client, json, select, sys, time
conn = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=30)
took, failed = [], []
while not select.select([sys.stdin], [], [], float(sys.argv[3]))[0]:
    start = time.perf_counter()
    try:
        conn.request("GET", "/healthz")
        answer = conn.getresponse()
        answer.read()
        if answer.status != 200:
            failed.append(answer.status)
    except OSError as exc:
        failed.append(repr(exc))
        conn.close()
    took.append(time.perf_counter() - start)
print(json.dumps({"took": took, "failed": failed}))
"""


@dataclass(frozen=True)
class Result:
    path: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.main:app",
        "--host",
        HOST,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        "--ws",
        "none",
    ]
    server = subprocess.Popen(command, cwd=Path(__file__).resolve().parent.parent)
    try:
        wait_until_ready(port)
    except RuntimeError:
        server.terminate()
        raise
    return server


def wait_until_ready(port: int, seconds: float = 30) -> None:
    """Return once /readyz answers 200; RuntimeError after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/readyz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not become ready within {seconds:g} s")


def check(port: int, path: str, body: bytes) -> None:
    request = urllib.request.Request(
        f"http://{HOST}:{port}{path}",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        if answer.status != 200:
            raise RuntimeError(f"{path} answered {answer.status}")


# -- wrk ---------------------------------------------------------------------------------

_WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open(os.getenv("HEPATIC_BENCH_BODY"), "rb")
wrk.body = f:read("*all")
f:close()
"""


def run_wrk(port: int, path: str, body: bytes, seconds: float, connections: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="hepatic-bench-") as folder:
        body_file = Path(folder) / "body.json"
        body_file.write_bytes(body)
        script = Path(folder) / "post.lua"
        script.write_text(_WRK_SCRIPT)
        command = [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "-s",
            str(script),
            f"http://{HOST}:{port}{path}",
        ]
        env = {**os.environ, "HEPATIC_BENCH_BODY": str(body_file)}
        out = subprocess.run(
            command, capture_output=True, text=True, check=True, env=env, timeout=seconds + 30
        ).stdout
    requests = int(_find(r"(\d+) requests in", out)[0])
    took = _wrk_seconds(_find(r"requests in ([\d.]+\w+),", out)[0])
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return Result(path, requests, errors, took, _wrk_ms(out, "50%"), _wrk_ms(out, "99%"))


def _find(pattern: str, text: str) -> tuple[str, ...]:
    found = re.search(pattern, text)
    if found is None:
        raise RuntimeError(f"unexpected wrk output (no {pattern!r}):\n{text}")
    return found.groups()


def _wrk_seconds(text: str) -> float:
    value, unit = _find(r"^([\d.]+)(\w+)$", text)
    return float(value) * {"ms": 0.001, "s": 1.0, "m": 60.0}[unit]


def _wrk_ms(out: str, percentile: str) -> float:
    value, unit = _find(rf"(?m)^\s*{percentile}\s+([\d.]+)(us|ms|s)\s*$", out)
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


# -- the Python load generator -------------------------------------------------------------


async def _connection(
    port: int, request: bytes, stop: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.perf_counter() < stop:
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            found = re.search(rb"(?i)content-length:\s*(\d+)", head)
            length = int(found.group(1)) if found else 0
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if not head.startswith(b"HTTP/1.1 200"):
                errors.append(1)
    finally:
        writer.close()


def run_python(port: int, path: str, body: bytes, seconds: float, connections: int) -> Result:
    request = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json"
        f"\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    latencies: list[float] = []
    errors: list[int] = []

    async def drive() -> float:
        start = time.perf_counter()
        stop = start + seconds
        await asyncio.gather(
            *(_connection(port, request, stop, latencies, errors) for _ in range(connections))
        )
        return time.perf_counter() - start

    took = asyncio.run(drive())
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return Result(path, len(latencies), len(errors), took, statistics.median(ordered) * 1000, p99)


# -- /healthz under load -------------------------------------------------------------------


def unknown_parents_body(vessels: int = 219, size: int = 40_000) -> bytes:
    """A case of ``vessels`` vessels whose parents do not exist, padded to about ``size``
    bytes with labels: a body that is cheap to send and costly to answer (issue 16)."""
    label = "x" * max(0, size // vessels - 80)
    items = [{"id": "ao", "kind": "aorta"}] + [
        {"id": f"branch-{i:03d}-of-the-hepatic-tree", "parent": f"missing-{i:03d}", "label": label}
        for i in range(vessels - 1)
    ]
    return json.dumps({"format": "hepatic-case/1", "vessels": items}).encode()


def healthz_under_load(port: int, seconds: float, connections: int = 40) -> list[float]:
    """/healthz latencies (s) polled every 50 ms while ``connections`` post
    :func:`unknown_parents_body` to /v1/validate for ``seconds``."""
    poller = subprocess.Popen(
        [sys.executable, "-c", POLLER, HOST, str(port), "0.05"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        run_python(port, "/v1/validate", unknown_parents_body(), seconds, connections)
    finally:
        polled, _ = poller.communicate("stop\n", timeout=60)
    return sorted(json.loads(polled)["took"])


# -- the run -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=5.0, help="per round (max 60)")
    parser.add_argument("--rounds", type=int, default=3, help="validate/classify rounds")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--vessels", type=int, default=50)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args(argv)
    seconds = min(max(args.seconds, 1.0), 60.0)
    rounds = min(max(args.rounds, 1), 9)
    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "python")
    drive = run_wrk if tool == "wrk" else run_python
    body = json.dumps(synthetic_case(args.vessels)).encode()
    paths = ("/v1/validate", "/v1/classify")

    port = free_port()
    server = start_server(port)
    runs: dict[str, list[Result]] = {path: [] for path in paths}
    try:
        for path in paths:
            check(port, path, body)
            drive(port, path, body, 1.0, args.connections)  # warm-up
        # Alternating rounds, so a drift of the machine's speed falls on both endpoints.
        for _ in range(rounds):
            for path in paths:
                runs[path].append(drive(port, path, body, seconds, args.connections))
        polls = healthz_under_load(port, max(seconds * 2, 10.0))
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(
        f"POST {args.vessels}-vessel case ({len(body)} bytes), {args.connections} connections, "
        f"{rounds} alternating rounds of {seconds:g} s, load by {tool}, uvicorn 1 worker on "
        f"{HOST}, {os.cpu_count()} cores shared with the load generator; medians of the rounds"
    )
    ratios = [c.per_second / v.per_second for v, c in zip(*runs.values(), strict=True)]
    for path, results in runs.items():
        errors = sum(r.errors for r in results)
        print(
            f"  {path:14} {statistics.median(r.per_second for r in results):8.0f} req/s"
            f"   p50 {statistics.median(r.p50_ms for r in results):6.2f} ms"
            f"   p99 {statistics.median(r.p99_ms for r in results):6.2f} ms   errors {errors}"
        )
    ratio = statistics.median(ratios)
    p99 = statistics.median(r.p99_ms for r in runs["/v1/classify"])
    print(f"  rounds' classify / validate: {', '.join(f'{r:.1%}' for r in ratios)}")
    print(
        f"  classify / validate: {ratio:.1%} (target >= {TARGET_RATIO:.0%})"
        f"   classify p99: {p99:.2f} ms (target < {TARGET_P99_MS:g} ms)"
    )
    healthz_p99 = polls[min(len(polls) - 1, int(len(polls) * 0.99))] * 1000
    print(
        f"  /healthz while 40 connections post {len(unknown_parents_body())}-byte bodies of 219 "
        f"unknown parents to /v1/validate: {len(polls)} polls, p50 "
        f"{statistics.median(polls) * 1000:.1f} ms, p99 {healthz_p99:.1f} ms, max "
        f"{polls[-1] * 1000:.1f} ms (target p99 < {TARGET_HEALTHZ_P99_MS:g} ms)"
    )
    met = ratio >= TARGET_RATIO and p99 < TARGET_P99_MS and healthz_p99 < TARGET_HEALTHZ_P99_MS
    print(f"  targets {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
