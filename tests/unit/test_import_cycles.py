"""No two modules of app/store import each other, even through a third or inside a function.

A circle forces imports into function bodies and makes the order modules load in matter; the
shared part belongs in a lower module (register_folder.py is one).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(package: str) -> dict[str, set[str]]:
    modules = {f"app.{package}.{p.stem}": p for p in (ROOT / "app" / package).glob("*.py") if p.stem != "__init__"}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = (found & modules.keys()) - {name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    circles, done = [], set()

    def walk(name: str, path: list[str]) -> None:
        for target in sorted(graph[name]):
            if target in path:
                circles.append(path[path.index(target):] + [target])
            elif target not in done:
                walk(target, path + [target])
        done.add(name)

    for name in sorted(graph):
        walk(name, [name])
    return circles


def test_store_modules_import_each_other_in_one_direction_only():
    assert _circles(_imports("store")) == []
