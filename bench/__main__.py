"""Run every benchmark: python -m bench (./dev bench), or some: python -m bench bench_plan.

Each benchmark runs in a fresh interpreter, so none inherits what another left behind:
its heap, threads or child processes.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import bench

names = sys.argv[1:] or sorted(
    m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
)
failed = []
for name in names:
    print(f"\n== {name} ==", flush=True)
    if subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False).returncode:
        failed.append(name)
if failed:
    sys.exit(f"benchmarks that failed: {', '.join(failed)}")
