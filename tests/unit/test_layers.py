"""The layers of docs/ARCHITECTURE.md, held to the code.

Each package of ``src/teahouse`` (and each top-level module) says in its docstring
which others it may import ("May import: domain, store, views."); these tests read
every ``import`` in the source, as text, and check it against those lists, that
nothing imports in a cycle (modules or packages), and that ``domain/`` imports only
the standard library.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "teahouse"
ANY = "any package"
# The error hierarchy is the one thing every layer may raise.
EVERYWHERE = frozenset({"errors"})


def units() -> list[str]:
    """The packages (folders) and top-level modules of src/teahouse."""
    found = [p.name for p in SRC.iterdir() if (p / "__init__.py").is_file()]
    found += [p.stem for p in SRC.glob("*.py") if p.stem != "__init__"]
    return sorted(found)


def unit_of(module: str) -> str:
    """``teahouse.live.stage`` -> ``live``; ``teahouse.views`` -> ``views``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(version)"


def docstring_of(unit: str) -> str:
    path = SRC / unit / "__init__.py" if (SRC / unit).is_dir() else SRC / f"{unit}.py"
    return ast.get_docstring(ast.parse(path.read_text())) or ""


def allowed(unit: str) -> frozenset[str] | None:
    """What the unit's docstring says it may import (None: anything)."""
    found = re.search(r"May import:\s*(.*?)\.(?:\s|$)", docstring_of(unit), re.S)
    if found is None:
        return EVERYWHERE
    text = " ".join(found.group(1).split())
    if text.startswith(ANY):
        excluded = re.search(r"but the edges \(([^)]*)\)", text)
        if excluded is None:
            return None
        return frozenset(units()) - {name.strip() for name in excluded.group(1).split(",")}
    names = re.sub(r"\([^)]*\)", "", text).split(",")
    return frozenset(name.strip() for name in names if name.strip()) | EVERYWHERE


def source_files() -> Iterator[tuple[str, Path]]:
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        yield module.removesuffix(".__init__"), path


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports under ``if TYPE_CHECKING:`` (not imported at run time)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                for sub in ast.walk(inner):
                    lines.add(getattr(sub, "lineno", -1))
    return lines


@cache
def imports() -> dict[str, set[str]]:
    """module -> the teahouse modules it imports (at run time, lazily or not)."""
    found: dict[str, set[str]] = {}
    modules = {module for module, _ in source_files()}
    for module, path in source_files():
        tree = ast.parse(path.read_text())
        skip = _type_checking_only(tree)
        targets: set[str] = set()
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in skip:
                continue
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("teahouse")}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("teahouse"):
                assert node.module is not None
                for alias in node.names:  # `from teahouse.demo import rooms`: a module
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if sub in modules else node.module)
        found[module] = targets - {module}
    return found


def stdlib_or_teahouse(tree: ast.Module) -> list[str]:
    """The imported top-level names that are neither the standard library nor ours."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module.split(".")[0])
    return [n for n in names if n not in sys.stdlib_module_names and n != "teahouse"]


@pytest.mark.parametrize("unit", units())
def test_each_package_imports_only_what_its_docstring_allows(unit: str) -> None:
    permitted = allowed(unit)
    if permitted is None:
        return
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in imports().items()
        if unit_of(module) == unit
        for target in targets
        if unit_of(target) not in permitted | {unit, "(version)"}
    )
    assert not wrong, f"{unit} may import {sorted(permitted)} only:\n" + "\n".join(wrong)


def test_the_rules_name_real_packages() -> None:
    known = set(units())
    for unit in units():
        permitted = allowed(unit)
        assert permitted is None or permitted <= known, (unit, sorted(permitted - known))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_in_a_cycle() -> None:
    assert _cycles(imports()) == []


def test_no_package_imports_in_a_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for module, targets in imports().items():
        here = unit_of(module)
        graph.setdefault(here, set()).update(
            there for t in targets if (there := unit_of(t)) not in (here, "(version)")
        )
    assert _cycles(graph) == []


def test_domain_imports_no_framework() -> None:
    for module, path in source_files():
        if unit_of(module) == "domain":
            assert stdlib_or_teahouse(ast.parse(path.read_text())) == [], module


def test_the_checks_can_fail() -> None:
    """The cycle finder and the docstring reader see what they should."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert allowed("rooms") == frozenset({"domain", "store", "views", "errors"})
    assert allowed("api") is None
