"""No two modules of app/ import each other, directly or round a longer circle, at any level.

A circle "works" only while one side imports inside a function; it hides which module is the
lower one, and the next top-level import turns it into an ImportError at start-up.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The modules of `known` an import statement names (`from a import b` names a.b when it is a
    module, else a)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[:len(package) - node.level + 1]
            base = ".".join(package + ([base] if base else []))
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
    found = set()
    for name in names:
        while name and name not in known:  # `import app.x.y.z` where only app.x.y is ours
            name = name.rpartition(".")[0]
        if name:
            found.add(name)
    return found


def import_graph(sources: dict[str, tuple[str, bool]]) -> dict[str, set[str]]:
    """Module -> the modules it imports, anywhere in its text (function-local imports too).
    `sources`: module name -> (source text, whether it is a package's __init__)."""
    known = set(sources)
    graph = {}
    for module, (text, is_package) in sources.items():
        edges = set()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges |= _imported(node, module, is_package, known)
        graph[module] = edges - {module}
    return graph


def entangled(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of two or more modules that each reach all the others (Tarjan's strongly
    connected components)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups, key=min)


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per entangled group, as a path from the group's first module back to it."""
    return [_path_round(graph, group) for group in entangled(graph)]


def _path_round(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """The shortest path inside `group` from its first module back to itself."""
    start = min(group)
    came_from = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for other in sorted(graph[node] & group):
            if other == start:
                path = [node]
                while came_from[path[-1]] is not None:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if other not in came_from:
                came_from[other] = node
                queue.append(other)
    raise AssertionError("a strongly connected group always has a circle")


def app_graph() -> dict[str, set[str]]:
    return import_graph({module_name(path): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
                         for path in sorted((ROOT / "app").rglob("*.py"))})


def test_no_module_of_app_imports_itself_round_a_circle():
    graph = app_graph()
    found = [f"{', '.join(sorted(group))} (e.g. {' -> '.join(_path_round(graph, group))})"
             for group in entangled(graph)]
    assert not found, "modules importing each other:\n" + "\n".join(found)


def test_the_reports_have_no_circle_and_closing_and_monthly_do_not_import_each_other():
    graph = app_graph()
    assert "app.reports.monthly" not in graph["app.reports.closing"]
    assert "app.reports.closing" not in graph["app.reports.monthly"]
    reports = {m: {o for o in edges if o.startswith("app.reports.")}
               for m, edges in graph.items() if m.startswith("app.reports.")}
    assert circles(reports) == []


def test_the_graph_sees_local_and_relative_imports_and_finds_their_circle():
    sources = {
        "app": ("", True),
        "app.a": ("import app.b.c\n", False),
        "app.b": ("", True),
        "app.b.c": ("def later():\n    from . import d\n", False),
        "app.b.d": ("from app import a\nfrom app.b.c import later\n", False),
        "app.e": ("from app.a import something\n", False),
    }
    graph = import_graph(sources)
    assert graph["app.b.c"] == {"app.b.d"} and graph["app.e"] == {"app.a"}
    assert circles(graph) == [["app.a", "app.b.c", "app.b.d", "app.a"]]
