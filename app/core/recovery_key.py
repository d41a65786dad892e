"""Recovery keys: 175 random bits written as grouped Crockford base32.

Crockford's alphabet leaves out I, L, O and U, so a key read aloud or typed
from paper survives the usual confusions (O/0, I/1/L are read as digits).
The last character is a Luhn mod 32 check character: a typo in one
character, or two neighbours swapped, is caught before any slot is tried.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from app.core.errors import MalformedRecoveryKey
from app.core.i18n import N_

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_CHARS = 35  # 175 bits
GROUP = 4
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_VALUE.update({"O": 0, "I": 1, "L": 1})


def _check_char(data: str) -> str:
    """Luhn mod N (N = 32) over the data characters."""
    factor, total, n = 2, 0, len(ALPHABET)
    for char in reversed(data):
        addend = factor * _VALUE[char]
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


@dataclass(frozen=True)
class RecoveryKey:
    data: str  # canonical data characters, without the check character

    @classmethod
    def generate(cls) -> "RecoveryKey":
        return cls("".join(secrets.choice(ALPHABET) for _ in range(DATA_CHARS)))

    @classmethod
    def parse(cls, text: str) -> "RecoveryKey":
        chars = [c for c in text.upper() if c not in " -\t\n\r"]
        unknown = sorted({c for c in chars if c not in _VALUE})
        if unknown:
            raise MalformedRecoveryKey(
                reason=N_("it contains characters that are not used in recovery keys")
            )
        canonical = "".join(ALPHABET[_VALUE[c]] for c in chars)
        if len(canonical) != DATA_CHARS + 1:
            raise MalformedRecoveryKey(reason=N_("it must have 36 characters in 9 groups of 4"))
        data, check = canonical[:-1], canonical[-1]
        if _check_char(data) != check:
            raise MalformedRecoveryKey(reason=N_("a character is mistyped (the check character does not match)"))
        return cls(data)

    @property
    def secret(self) -> bytes:
        return self.data.encode("ascii")

    def formatted(self) -> str:
        full = self.data + _check_char(self.data)
        return "-".join(full[i : i + GROUP] for i in range(0, len(full), GROUP))
