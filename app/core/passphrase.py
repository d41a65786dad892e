"""Passphrase rules and the strength hint shown while typing."""

from __future__ import annotations

import math
import string
import unicodedata
from dataclasses import dataclass

from app.core.errors import PassphraseMismatch, WeakPassphrase
from app.core.i18n import N_, _

MIN_LENGTH = 8

# A few passphrases seen everywhere; matched after lowering and removing spaces.
COMMON = frozenset(
    {
        "12345678", "123456789", "1234567890", "password", "password1", "matkhau",
        "matkhau123", "qwertyui", "qwerty123", "11111111", "00000000", "abc12345",
        "iloveyou", "admin123", "tuvan123", "vietnam1", "88888888", "66666666",
    }
)

LEVELS = (
    N_("Too weak"),
    N_("Weak: add more words"),
    N_("Fair"),
    N_("Strong"),
)


@dataclass(frozen=True)
class Strength:
    level: int  # 0..3
    bits: float

    @property
    def label(self) -> str:
        return _(LEVELS[self.level])

    @property
    def acceptable(self) -> bool:
        return self.level >= 1


def normalize(passphrase: str) -> str:
    """Vietnamese keyboards may send composed or decomposed letters; unify them."""
    return unicodedata.normalize("NFC", passphrase)


def assess(passphrase: str) -> Strength:
    text = normalize(passphrase)
    if len(text) < MIN_LENGTH or text.lower().replace(" ", "") in COMMON or len(set(text)) <= 2:
        return Strength(0, 0.0)
    pool = 0
    if any(c in string.ascii_lowercase for c in text):
        pool += 26
    if any(c in string.ascii_uppercase for c in text):
        pool += 26
    if any(c in string.digits for c in text):
        pool += 10
    if any(c in string.punctuation or c == " " for c in text):
        pool += 33
    if any(ord(c) > 127 for c in text):
        pool += 60  # Vietnamese letters with diacritics
    bits = len(text) * math.log2(max(pool, 2))
    # Repeated characters add little; discount them.
    bits *= len(set(text)) / len(text) * 0.5 + 0.5
    level = 1 if bits < 50 else 2 if bits < 70 else 3
    return Strength(level, bits)


def check_new(passphrase: str, repeated: str | None = None) -> str:
    """Validate a new passphrase; returns it normalized or raises a UserError."""
    text = normalize(passphrase)
    if repeated is not None and normalize(repeated) != text:
        raise PassphraseMismatch()
    if not assess(text).acceptable:
        raise WeakPassphrase(minimum=MIN_LENGTH)
    return text
