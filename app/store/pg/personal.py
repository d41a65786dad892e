"""Personal columns of an office register on PostgreSQL, sealed with the office's data key.

A dump of the database (pg_dump, a stolen disk, a server backup) holds these columns only as
ciphertext. They are sealed deterministically (AES-SIV, RFC 5297): the same value seals to the
same text, so `citizen_id = ?`, `ON CONFLICT` and `!= ''` still work in SQL, and the server
never sees a name. What that gives away is equality: whether two records hold the same value in
a sealed column. Empty text and NULL stay as they are (a field left empty is not personal).
Counting for the forms never reads a sealed column. Sorting by a sealed column (sort_key) sorts
by ciphertext; full-text search needs the words, which the server does not have.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# table -> its personal columns (names, dates of birth, ID and phone numbers, addresses, free text)
PERSONAL: dict[str, frozenset[str]] = {
    "clients": frozenset({"full_name", "alias", "birth_date", "citizen_id", "phone", "address", "notes",
                          "legal_decision_no", "sort_key", "search_terms", "relationship"}),
    "staff": frozenset({"full_name", "phone"}),
    "contacts": frozenset({"notes"}),
    "referrals": frozenset({"notes"}),
    "rehab_registrations": frozenset({"decision_no", "notes"}),
    "methadone_episodes": frozenset({"notes"}),
    "groups": frozenset({"notes"}),
    "group_meetings": frozenset({"notes"}),
    "outreach": frozenset({"notes"}),
    "client_search": frozenset({"terms"}),   # a blind index, not ciphertext (words())
    "quarantine": frozenset({"record"}),
    # not personal but as secret: the office's private keys (whoever has them reads every bundle)
    "identity_keys": frozenset({"sign_private", "enc_private"}),
}

MARK = "\x1etv1:"   # a control character no one types starts every sealed value
MARK_BYTES = MARK.encode()
_INFO = b"tuvan office personal columns v1"
_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


class Sealer:
    """Seals and opens personal values with a key derived from the register's data key."""

    def __init__(self, data_key: bytes, register_id: str):
        key = HKDF(algorithm=hashes.SHA256(), length=96, salt=register_id.encode(), info=_INFO).derive(data_key)
        self._siv = AESSIV(key[:64])
        self._words = key[64:]

    def _token(self, word: str) -> str:
        # 80 bits of HMAC as 20 letters a-p: one plain word to PostgreSQL's text search parser
        digest = hmac.new(self._words, word.encode("utf-8"), hashlib.sha256).hexdigest()[:20]
        return digest.translate(_LETTERS)

    def words(self, terms: str) -> str:
        """The search words (' nguyen van duc') as keyed tokens, one per word: whole-word search
        works on the server (a text-search index over the tokens), the words do not show."""
        if not isinstance(terms, str) or not terms.strip():
            return terms
        return " " + " ".join(self._token(w) for w in terms.split()) + " "

    def match(self, expression: str) -> str:
        """A text-search query for a full-text expression ('"nguyen" AND "van"*'): every word, whole
        (a prefix cannot be looked up by its token: on the server, search finds whole words)."""
        tokens = [self._token(w) for w in re.findall(r'"([^"]*)"', expression or "")]
        return " & ".join(tokens) or "nothing"

    def sealed(self, kind: str, value):
        return {"seal": self.seal, "words": self.words, "match": self.match}[kind](value)

    def seal(self, value):
        if isinstance(value, (bytes, bytearray)) and value and not value.startswith(MARK_BYTES):
            return MARK_BYTES + self._siv.encrypt(bytes(value), None)
        if not isinstance(value, str) or value == "" or value.startswith(MARK):
            return value
        sealed = self._siv.encrypt(value.encode("utf-8"), None)
        return MARK + base64.b64encode(sealed).decode("ascii")

    def open(self, value):
        if isinstance(value, str) and value.startswith(MARK):
            return self._siv.decrypt(base64.b64decode(value[len(MARK):]), None).decode("utf-8")
        if isinstance(value, bytes) and value.startswith(MARK_BYTES):
            return self._siv.decrypt(value[len(MARK_BYTES):], None)
        return value

    def open_row(self, row: tuple | None) -> tuple | None:
        if row is None:
            return None
        if any(isinstance(v, (str, bytes)) and v.startswith(MARK if isinstance(v, str) else MARK_BYTES) for v in row):
            return tuple(self.open(v) for v in row)
        return row
