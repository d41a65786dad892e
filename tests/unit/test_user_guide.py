"""The user guides show pictures the screenshot scripts make, and their links lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
SHOTS = DOCS / "screenshots"
GUIDES = {"vi": DOCS / "user-guide.md", "en": DOCS / "user-guide.en.md"}
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
ANCHOR = re.compile(r"\]\(#([^)\s]+)\)")


def _images(language: str) -> list[str]:
    return IMAGE.findall(GUIDES[language].read_text(encoding="utf-8"))


def _scripts() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in SHOTS.glob("*.py"))


def _stem(name: str, language: str) -> str:
    stem = Path(name).stem
    return stem.removesuffix("-en") if language == "en" else stem


@pytest.mark.parametrize("language", GUIDES)
def test_every_picture_exists_and_a_script_in_docs_screenshots_makes_it(language):
    images = _images(language)
    assert len(images) >= 30
    scripts = _scripts()
    for image in images:
        path = (DOCS / image).resolve()
        assert path.parent == SHOTS, f"{image}: pictures live in docs/screenshots"
        assert path.is_file(), f"{image} is missing: run the screenshot script (see docs/screenshots)"
        stem = _stem(image, language)
        # The scripts name each picture once, as "name" or f"name{suffix}.png" (the language suffix added).
        made = re.search(r"[\"']" + re.escape(stem) + r"([\"']|\{suffix\})", scripts)
        assert made, f"{image} is not made by a script in docs/screenshots; make it there, not by hand"


def test_each_guide_uses_its_own_language_and_both_show_the_same_pictures():
    vi, en = _images("vi"), _images("en")
    assert not [image for image in vi if Path(image).stem.endswith("-en")]
    assert all(Path(image).stem.endswith("-en") for image in en)
    assert [_stem(image, "vi") for image in vi] == [_stem(image, "en") for image in en]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("language", GUIDES)
def test_links_inside_a_guide_lead_to_a_heading(language):
    text = GUIDES[language].read_text(encoding="utf-8")
    headings = {_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}
    missing = [anchor for anchor in ANCHOR.findall(text) if anchor not in headings]
    assert not missing


def test_the_vietnamese_guide_is_written_with_diacritics():
    words = [w for w in GUIDES["vi"].read_text(encoding="utf-8").split() if w.isalpha() and w.islower()]
    assert sum(1 for w in words if not w.isascii()) / len(words) > 0.5
