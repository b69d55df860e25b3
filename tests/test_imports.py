"""The package's import graph: no cycle (type-only and function-level imports count), and
the stages below the pytest layer never import it (session, controller, plugin)."""

from __future__ import annotations

import ast
from pathlib import Path

import ksafe_pytest

PACKAGE = Path(ksafe_pytest.__file__).parent
ROOT = "ksafe_pytest"
PYTEST_LAYER = ("session", "controller", "plugin")
BELOW = ("reports", "snapshots", "judges", "engine", "models", "dataset", "metrics", "gates",
         "stats", "run_record", "records")


def modules(package: Path) -> dict[str, Path]:
    out = {}
    for path in package.rglob("*.py"):
        parts = (ROOT, *path.relative_to(package).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every module of the package that `name` imports, wherever the import statement is."""

    def owner(dotted: str) -> str | None:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str | None] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(owner(a.name) for a in node.names if a.name.startswith(ROOT))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            if base == ROOT or base.startswith(ROOT + "."):
                for a in node.names:  # `from pkg import module` names a module itself
                    full = f"{base}.{a.name}"
                    found.add(full if full in known else owner(base))
    found.discard(None)
    found.discard(name)
    return {f for f in found if f is not None}


def graph(package: Path) -> dict[str, set[str]]:
    known = modules(package)
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), plus self-loops."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def forbidden(edges: dict[str, set[str]]) -> list[str]:
    layer = {f"{ROOT}.{m}" for m in PYTEST_LAYER}
    below = tuple(f"{ROOT}.{m}" for m in BELOW)
    return sorted(f"{a} -> {b}" for a, targets in edges.items() for b in targets
                  if b in layer and (a in below or a.startswith(tuple(p + "." for p in below))))


def test_the_package_has_no_import_cycle() -> None:
    assert cycles(graph(PACKAGE)) == []


def test_no_stage_imports_the_pytest_layer() -> None:
    assert forbidden(graph(PACKAGE)) == []


def test_the_checks_find_a_cycle_and_a_forbidden_edge(tmp_path: Path) -> None:
    """The checks above can fail: a made-up package with both faults is caught."""
    pkg = tmp_path / ROOT
    (pkg / "reports").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "session.py").write_text("from ksafe_pytest.reports import terminal\n",
                                    encoding="utf-8")
    (pkg / "reports" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "reports" / "terminal.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from ksafe_pytest.session import Session\n", encoding="utf-8")
    (pkg / "a.py").write_text("def f():\n    from . import b\n", encoding="utf-8")
    (pkg / "b.py").write_text("from ksafe_pytest.a import f\n", encoding="utf-8")
    edges = graph(pkg)
    assert sorted(map(tuple, cycles(edges))) == [
        ("ksafe_pytest.a", "ksafe_pytest.b"),
        ("ksafe_pytest.reports.terminal", "ksafe_pytest.session")]
    assert forbidden(edges) == ["ksafe_pytest.reports.terminal -> ksafe_pytest.session"]
