"""Vietnamese text: folding for search and sort keys for lists.

Search ignores tone marks and vowel hats and treats đ as d ("nguyen van duc"
finds "Nguyễn Văn Đức"). Lists sort the Vietnamese way: by given name (the
last word), then the family and middle names, in the Vietnamese alphabet
(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), tone marks deciding
only between names that are otherwise equal.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = {"\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0301": "5", "\u0323": "6"}  # huyền hỏi ngã sắc nặng
_HATS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
_PRIMARY = {letter: chr(0x41 + index) for index, letter in enumerate(_ALPHABET)}
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower case, no diacritics, đ → d, single spaces: the form search compares."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain.lower()).strip()


def clean(text: str | None) -> str:
    """NFC, single spaces, trimmed: how names are stored."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def tokens(text: str | None) -> list[str]:
    return [t for t in re.split(r"[^0-9a-z]+", fold(text)) if t]


def _letter_keys(word: str) -> tuple[str, str]:
    primary, secondary = [], []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONES:
            secondary[-1:] = [_TONES[char]] if secondary else []
            continue
        if char in _HATS and primary:
            base = {"a": {"breve": "ă", "circumflex": "â"}, "e": {"circumflex": "ê"},
                    "o": {"circumflex": "ô", "horn": "ơ"}, "u": {"horn": "ư"}}.get(primary[-1], {})
            letter = base.get(_HATS[char])
            if letter:
                primary[-1] = letter
            continue
        if unicodedata.combining(char):
            continue
        primary.append(char)
        secondary.append("1")
    keyed = "".join(_PRIMARY.get(c, c) for c in primary)
    return keyed, "".join(secondary)


def split_name(full_name: str) -> tuple[str, str]:
    """(given name, the rest): "Nguyễn Văn Đức" -> ("Đức", "Nguyễn Văn")."""
    words = clean(full_name).split(" ")
    return words[-1], " ".join(words[:-1])


def sort_key(full_name: str | None) -> str:
    """Text that sorts names the Vietnamese way with plain binary comparison."""
    if not full_name or not clean(full_name):
        return ""
    given, rest = split_name(full_name)
    ordered = [given, *rest.split(" ")] if rest else [given]
    primary, secondary = zip(*(_letter_keys(w) for w in ordered))
    return " ".join(primary) + "\x01" + " ".join(secondary)
