"""The domain library stays free of HTTP, and its public API is deliberate."""

from __future__ import annotations

import subprocess
import sys

import anatomy


def test_anatomy_never_imports_fastapi() -> None:
    code = (
        "import sys, pkgutil, importlib, anatomy\n"
        "for m in pkgutil.iter_modules(anatomy.__path__):\n"
        "    importlib.import_module('anatomy.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "('fastapi', 'starlette', 'uvicorn', 'api'))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_public_api_is_exactly_all() -> None:
    # `annotations` is the __future__ feature object, not API
    public = {n for n in dir(anatomy) if not n.startswith("_")} - {"annotations"}
    modules = {name for name in public if type(getattr(anatomy, name)).__name__ == "module"}
    assert public - modules == set(anatomy.__all__)
    for name in anatomy.__all__:
        assert getattr(anatomy, name).__module__.startswith("anatomy")
