"""Run every benchmark: python -m bench (./dev bench)."""

from __future__ import annotations

import importlib
import pkgutil

import bench

for module in sorted(m.name for m in pkgutil.iter_modules(bench.__path__)):
    if module.startswith("bench_"):
        print(f"\n== {module} ==")
        importlib.import_module(f"bench.{module}").main([])
