"""SQL is written in app/store, and the reports engine's own statements in app/reports/sources.py.

Everything else asks a store function (or the engine) for its rows, so a schema change is made in
one layer and a widget, a command or a report never carries a query of its own.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Statements, not words: "SELECT … FROM", "INSERT [OR …] INTO", "UPDATE t SET" …, in capitals as
# the code base writes SQL (so "Select a file" or "delete from the list" in a message is not SQL).
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
                 r"|CREATE\s+(TEMP\s+)?(TABLE|INDEX)|PRAGMA\s+\w+)\b", re.S)


def sql_home(path: str) -> bool:
    return path.startswith("app/store/") or path == "app/reports/sources.py"


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def _text(node: ast.AST) -> str | None:
    """A string's text; an f-string's literal parts, each placeholder standing for one word."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "x" for part in node.values)
    return None


def sql_lines(source: str) -> list[int]:
    """The lines where a string of `source` (docstrings aside) holds an SQL statement."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    inner = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    lines = set()
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in inner:  # an f-string is read whole, not part by part
            continue
        text = _text(node)
        if text is not None and SQL.search(text):
            lines.add(node.lineno)
    return sorted(lines)


def offenders() -> list[str]:
    found = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if not sql_home(name):
            found += [f"{name}:{line}" for line in sql_lines(path.read_text(encoding="utf-8"))]
    return found


def test_sql_is_written_only_in_the_store_and_the_engines_query_module():
    found = offenders()
    assert not found, "SQL outside app/store and app/reports/sources.py:\n" + "\n".join(found)


def test_the_detector_flags_sql_in_strings_and_f_strings_but_not_in_docstrings():
    source = '''
"""Module docstring: SELECT id FROM clients is only words here."""

def rows(conn, table):
    """SELECT * FROM clients, said in a docstring."""
    conn.execute("SELECT id, code"
                 " FROM clients WHERE id = ?")
    conn.execute(f"SELECT {', '.join(['a', 'b'])} FROM {table}")
    conn.execute(f"INSERT OR REPLACE INTO {table} (a) VALUES (?)")
    conn.execute("PRAGMA user_version")
    message = "Select a file from the list, then delete from the folder"
    return message
'''
    assert sql_lines(source) == [6, 8, 9, 10]


def test_files_of_the_store_and_the_engines_query_module_may_hold_sql():
    assert sql_home("app/store/clients.py") and sql_home("app/reports/sources.py")
    assert not sql_home("app/reports/engine.py") and not sql_home("app/gui/client_file.py")
