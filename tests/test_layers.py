"""The import graph of ``service``: no cycles, and no lower layer importing a higher one.

The graph is read from the source with ``ast``, so it sees every import: at module level,
inside functions and under ``TYPE_CHECKING`` (an import hidden in a function is still a
dependency, only a later one). Importing ``a.b.c`` also runs the packages ``a`` and ``a.b``,
so those are edges too.

Layers, bottom up:
- infrastructure (``INFRASTRUCTURE``): engine and sessions, settings, errors, time, SQL files,
  geometry and track parsing, paging, and the list of domains (``service.domains`` names
  them by string). It imports nothing above it.
- domains (``service/<domain>/``): each one's core (models, schemas, queries, services) may use
  the infrastructure and the cores of the domains below it: the cores form a DAG. Its edge
  modules (``EDGE_MODULES``: HTTP routes and their dependencies, commands, demo activity) sit
  on top of every core and may use any of them.
- the composition root (``COMPOSITION``): builds the app and the CLI from the domains. Nothing
  below imports it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[1] / "service"

INFRASTRUCTURE = frozenset(
    {
        "service",
        # Plausible dates, the base of request bodies, safe workbooks (issue 14).
        "service.bounds",
        "service.inputs",
        "service.xlsxsafe",
        "service.commands",
        "service.concurrency",
        "service.db",
        "service.dbstate",
        # The list of domains names them by string and imports none: any layer may read it.
        "service.domains",
        "service.errors",
        "service.geo",
        "service.migrate",
        "service.pagination",
        "service.params",
        "service.settings",
        "service.sql",
        "service.timeutil",
    }
)
COMPOSITION = frozenset({"service.cli", "service.main", "service.models"})
#: Last name parts of the modules that sit above every domain core.
EDGE_MODULES = ("routes", "deps", "cli", "demo")

#: Imports allowed against the rules, each with the reason. An entry whose import is gone
#: fails the tests, so this list only shrinks.
ALLOWED: dict[tuple[str, str], str] = {}

Graph = dict[str, dict[str, int]]


def modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package) for every ``.py`` under ``root``."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        if package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, package)
    return found


def import_graph(root: Path) -> Graph:
    """Module -> {imported module of the same tree: first line importing it}."""
    known = modules(root)
    top = root.name

    def owner(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    graph: Graph = {}
    for name, (path, package) in known.items():
        here = name if package else name.rpartition(".")[0]
        edges: dict[str, int] = {}
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = here
                    for _ in range(node.level - 1):
                        anchor = anchor.rpartition(".")[0]
                    base = f"{anchor}.{base}" if base else anchor
                # ``from pkg import sub`` imports the module pkg.sub; a name stays in pkg.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                    for alias in node.names
                ]
            else:
                continue
            for target in targets:
                if target != top and not target.startswith(f"{top}."):
                    continue
                # The module and the packages above it all run on import.
                found = owner(target)
                while found and found != top:
                    if found != name and not name.startswith(f"{found}."):
                        edges.setdefault(found, node.lineno)
                    found = found.rpartition(".")[0]
        graph[name] = edges
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
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

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def describe(graph: Graph, component: list[str]) -> str:
    inside = set(component)
    return "\n".join(
        f"  {v} -> {w} (line {graph[v][w]})"
        for v in component
        for w in sorted(graph[v])
        if w in inside
    )


def in_group(name: str, group: frozenset[str]) -> bool:
    """``name`` is one of ``group`` or inside one of its packages (the root package aside)."""
    return name in group or any(name.startswith(f"{g}.") for g in group if g != "service")


def domain_of(name: str) -> str:
    return ".".join(name.split(".")[:2])


def is_edge(name: str) -> bool:
    last = name.rpartition(".")[2]
    return any(last == e or last.startswith(f"{e}_") for e in EDGE_MODULES)


@cache
def service_graph() -> Graph:
    graph = import_graph(SERVICE)
    for source, target in ALLOWED:
        edges = graph.get(source, {})
        line = edges.get(target)
        # The packages above ``target`` came with the same import statement.
        for t in [t for t, n in edges.items() if n == line and target.startswith(t)]:
            del edges[t]
    return graph


def test_allowed_imports_still_exist() -> None:
    graph = import_graph(SERVICE)
    stale = [f"{s} -> {t}" for s, t in ALLOWED if t not in graph.get(s, {})]
    assert not stale, f"no longer imported: remove from ALLOWED: {stale}"


def test_no_module_imports_another_that_imports_it_back() -> None:
    graph = service_graph()
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n\n".join(describe(graph, c) for c in found)


def test_infrastructure_imports_no_domain() -> None:
    graph = service_graph()
    wrong = [
        f"{m} -> {t} (line {line})"
        for m, targets in graph.items()
        if in_group(m, INFRASTRUCTURE)
        for t, line in targets.items()
        if not in_group(t, INFRASTRUCTURE)
    ]
    assert not wrong, "infrastructure imports a domain:\n" + "\n".join(wrong)


def test_nothing_below_imports_the_composition_root() -> None:
    graph = service_graph()
    wrong = [
        f"{m} -> {t} (line {line})"
        for m, targets in graph.items()
        if m not in COMPOSITION
        for t, line in targets.items()
        if t in COMPOSITION
    ]
    assert not wrong, "imports of the composition root:\n" + "\n".join(wrong)


def test_domain_cores_form_a_dag() -> None:
    """Between domains, only the edge modules (routes, commands, demo) may look both ways."""
    graph = service_graph()
    domains: Graph = {}
    for m, targets in graph.items():
        if m in COMPOSITION or is_edge(m):
            continue
        mine = domains.setdefault(domain_of(m), {})
        for t, line in targets.items():
            if domain_of(t) != domain_of(m):
                mine.setdefault(domain_of(t), line)
    found = cycles(domains)
    detail = []
    for component in found:
        inside = set(component)
        detail += [
            f"  {m} -> {t} (line {line})"
            for m, targets in graph.items()
            if domain_of(m) in inside and m not in COMPOSITION and not is_edge(m)
            for t, line in targets.items()
            if domain_of(t) in inside and domain_of(t) != domain_of(m)
        ]
    assert not found, f"domains importing each other {found}:\n" + "\n".join(detail)


def test_the_graph_sees_hidden_imports(tmp_path: Path) -> None:
    """A cycle closed by a function-level or TYPE_CHECKING import is still found."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from pkg import a\n")
    (pkg / "c.py").write_text("from . import a\n")
    (pkg / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.c import x\n"
    )
    graph = import_graph(pkg)
    assert graph["pkg.a"] == {"pkg.sub.b": 1, "pkg.sub": 1}
    assert graph["pkg.sub.b"] == {"pkg.a": 2}
    assert graph["pkg.c"] == {"pkg.a": 1}
    assert graph["pkg.d"] == {"pkg.c": 3}
    assert cycles(graph) == [["pkg.a", "pkg.sub.b"]]
