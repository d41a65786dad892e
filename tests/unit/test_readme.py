"""The README and the docs stand on their own: nothing they point to lies outside the project."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# `path` in backquotes or a Markdown link target that names a file of the project
MENTIONED = re.compile(r"`((?:\.\./|docs/|app/|tests/|packaging/|resources/|db_schema/)[^`\s]*)`|\]\(([^)\s#]+)")


def _mentions(page: Path) -> list[str]:
    return [a or b for a, b in MENTIONED.findall(page.read_text(encoding="utf-8"))]


def test_nothing_points_outside_the_project():
    outside = [f"{page.name}: {target}" for page in PAGES for target in _mentions(page)
               if target.startswith("../") or target.startswith("/")]
    assert outside == []


def test_every_doc_the_readme_names_is_in_the_project():
    named = {m for m in _mentions(ROOT / "README.md") if m.startswith("docs/") and not m.endswith("/")}
    assert "docs/design.md" in named and "docs/domain.md" in named
    missing = sorted(m for m in named if "*" not in m and "<" not in m and not (ROOT / m).exists())
    assert missing == []
