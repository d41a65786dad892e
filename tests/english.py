"""Finding English left in Vietnamese text: words of the program's English messages that no
Vietnamese translation uses. Codes a user types (commands, options, file names, unit codes) and
the names of formats are not words of either language and are left out."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "resources/locale/vi/LC_MESSAGES/tuvan.po"
WORD = re.compile(r"[^\W\d_]+")  # letters, Vietnamese ones included
# What a person types or reads as a name, in either language: taken out before looking for words.
CODES = re.compile(
    r"`[^`]*`"                          # quoted commands
    r"|--?[A-Za-z][\w-]*"               # options
    r"|\{[^}]*\}"                       # argparse's choices {point,district}
    r"|%\(\w+\)\w|\{\w*\}"              # placeholders
    r"|\S*[/\\]\S*"                     # paths
    r"|\b\S+\.(?:tvb|tvr|json|csv|xlsx|pdf|toml|png|md|py|exe|log|txt)\b"  # file names
    r"|\b[A-Z][A-Z0-9_]*[A-Z0-9]\b"     # ENV_VARS, METAVARS, unit codes, PDF/XLSX
    r"|\b\w*\d\w*\b"                    # anything with a digit (ids, dates, codes)
    r"|(?<!\w)\.[a-z]+\b"               # extensions (.tvb)
    r"|https?://\S+"
)
# Names that are the same in both languages.
NAMES = {"tuvan", "zalo", "excel", "argon", "sqlite", "sqlcipher", "postgresql", "windows", "linux", "wine", "email",
         "tab", "enter", "esc", "ctrl", "alt", "shift", "caps", "lock", "ok", "methadone", "facebook", "youtube",
         "english",  # a language is named in itself in the language picker
         "datavaluesets"}  # DHIS2's import format, named as DHIS2 names it


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(CODES.sub(" ", text)) if len(w) >= 3}


def _demo_names() -> set[str]:
    """Syllables of the demo's Vietnamese names and places ("Long Xuyên"): Vietnamese words."""
    import ast

    tree = ast.parse((ROOT / "app/demo/data.py").read_text(encoding="utf-8"))
    return set().union(*(_words(node.value) for node in ast.walk(tree)
                         if isinstance(node, ast.Constant) and isinstance(node.value, str)))


@functools.cache
def vocabularies() -> tuple[frozenset[str], frozenset[str]]:
    """(words of the English messages, words Vietnamese translations bring in themselves)."""
    english, vietnamese = set(), set()
    for message in read_po(PO.open("rb"), locale="vi"):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        source = set().union(*(_words(i) for i in ids))
        english |= source
        # A word the translation keeps from the English (a command value, a name) is not Vietnamese.
        vietnamese |= set().union(*(_words(s) for s in strings if s)) - source
    return frozenset(english), frozenset(vietnamese | _demo_names())


def english_words(text: str, typed: set[str] = frozenset()) -> list[str]:
    """The English words in `text`, which should be Vietnamese; `typed`: words a user types as they
    are (command names, choices), which stay English in any language."""
    english, vietnamese = vocabularies()
    return sorted((_words(text) & english) - vietnamese - NAMES - {w.lower() for w in typed})
