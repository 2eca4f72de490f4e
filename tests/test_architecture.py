"""The shape of the code, checked: one spine without loops, adapters at the edges, and no
anatomy hard-coded in Python.

- No import cycles inside ``anatomy/`` (type-checking imports count: a loop of types is
  still a loop a reader must untangle).
- Nothing in ``anatomy/`` outside ``anatomy/cli/`` (an adapter, like ``api/``) imports
  click, FastAPI, Starlette, uvicorn or ``api``; importing the library loads none of them.
- No vessel kind's canonical name appears as a string in ``anatomy/`` outside the
  vocabulary's loader: rules read roles and flags from data/vocabulary.yaml.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

import anatomy
from anatomy.reference.vocabulary import all_kinds

PACKAGE = Path(anatomy.__file__).resolve().parent
VOCABULARY_LOADER = PACKAGE / "reference" / "vocabulary.py"


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def imported(path: Path, name: str) -> set[str]:
    """Every module ``path`` imports (absolute names), type-checking imports included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            out.add(base)
            out |= {f"{base}.{alias.name}" for alias in node.names}
    return out


def import_graph() -> nx.DiGraph:
    names = dict(modules())
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    for name, path in names.items():
        for target in imported(path, name):
            if target in names and target != name:
                graph.add_edge(name, target)
    return graph


def test_no_import_cycles_inside_anatomy() -> None:
    cycles = sorted(sorted(c) for c in nx.simple_cycles(import_graph()))
    assert cycles == [], f"import cycles: {cycles}"


@pytest.mark.parametrize("library", ["click", "fastapi", "starlette", "uvicorn", "api"])
def test_adapters_stay_at_the_edges(library: str) -> None:
    offenders = [
        name
        for name, path in modules()
        if any(t == library or t.startswith(f"{library}.") for t in imported(path, name))
        and not name.startswith("anatomy.cli")
    ]
    assert offenders == []


def test_importing_every_anatomy_module_loads_no_web_stack() -> None:
    code = (
        "import sys, importlib\n"
        f"for name in {[n for n, _ in modules() if not n.startswith('anatomy.cli')]!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "('fastapi', 'starlette', 'uvicorn', 'api'))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def _strings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """String constants that are not docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node.lineno, node.value


def test_no_vessel_kind_is_named_in_code() -> None:
    names = {k.name for k in all_kinds()}
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line} {text!r}"
        for _, path in modules()
        if path != VOCABULARY_LOADER
        for line, text in _strings(ast.parse(path.read_text(encoding="utf-8")))
        if text in names
    ]
    assert found == [], "kind names in code (give the kind a role in vocabulary.yaml):\n" + (
        "\n".join(found)
    )


def test_the_checks_can_fail() -> None:
    # The helpers see what they must: an import, a relative import, a kind in a string.
    source = "from . import case\nimport click\nX = 'gastroduodenal'\n"
    tree = ast.parse(source)
    assert ("gastroduodenal" in {t for _, t in _strings(tree)}) is True
    sample = PACKAGE / "output" / "text.py"
    assert "anatomy.reference.access" in imported(sample, "anatomy.output.text")
