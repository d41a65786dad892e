"""Bundle payloads: records as JSON, compressed, encrypted in chunks with a one-time key.

Each 1 MiB chunk is sealed with ChaCha20-Poly1305 under the payload key,
nonce = chunk number, associated data = purpose, chunk number and a "last
chunk" flag, so chunks cannot be reordered, dropped or cut off unnoticed.
The payload key itself is sealed to each recipient with HPKE (X25519,
HKDF-SHA256, ChaCha20-Poly1305).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

CHUNK = 1 << 20
TAG = 16
MAX_RAW_BYTES = 2 * 1024 * 1024 * 1024
SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.CHACHA20_POLY1305)
HPKE_INFO = b"tuvan-bundle-v1 payload key"


class PayloadError(ValueError):
    """The payload does not decrypt or decode: the bundle is rejected."""


def _associated(index: int, last: bool) -> bytes:
    return b"tuvan-payload-v1" + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


def encode(document: dict[str, Any], level: int = 3) -> tuple[bytes, int]:
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    return zlib.compress(raw, level), len(raw)


def seal(compressed: bytes) -> tuple[bytes, bytes]:
    """(encrypted payload, payload key)."""
    key = ChaCha20Poly1305.generate_key()
    cipher = ChaCha20Poly1305(key)
    count = max(1, -(-len(compressed) // CHUNK))
    parts = []
    for index in range(count):
        chunk = compressed[index * CHUNK:(index + 1) * CHUNK]
        parts.append(cipher.encrypt(index.to_bytes(12, "big"), chunk, _associated(index, index == count - 1)))
    return b"".join(parts), key


def open_stream(pieces: Iterator[bytes], length: int, key: bytes, raw_length: int,
                piece_bytes: int = 1 << 20) -> Iterator[bytes]:
    """The decompressed document, a piece at a time, from the encrypted payload's sealed chunks
    (`pieces` yields CHUNK + TAG bytes each, the last one shorter). Raises PayloadError as soon as a
    chunk fails its tag, the output would pass `raw_length`, or (at the end) the sizes differ."""
    if not 0 < raw_length <= MAX_RAW_BYTES:
        raise PayloadError("declared size out of range")
    cipher = ChaCha20Poly1305(key)
    count = max(1, -(-length // (CHUNK + TAG)))
    decompressor = zlib.decompressobj()
    produced = 0
    index = -1
    try:
        for index, sealed in enumerate(pieces):
            if index >= count:
                raise PayloadError("more chunks than declared")
            chunk = cipher.decrypt(index.to_bytes(12, "big"), sealed, _associated(index, index == count - 1))
            while chunk:
                out = decompressor.decompress(chunk, piece_bytes)
                chunk = decompressor.unconsumed_tail
                produced += len(out)
                if produced > raw_length:
                    raise PayloadError("larger than declared")
                if out:
                    yield out
        out = decompressor.flush()
        produced += len(out)
        if out:
            yield out
    except InvalidTag:
        raise PayloadError("does not decrypt") from None
    except zlib.error:
        raise PayloadError("does not decompress") from None
    if index != count - 1 or produced != raw_length or not decompressor.eof or decompressor.unused_data:
        raise PayloadError("size differs from the header")


def open_payload(payload: bytes, key: bytes, raw_length: int) -> dict[str, Any]:
    if not 0 < raw_length <= MAX_RAW_BYTES:
        raise PayloadError("declared size out of range")
    cipher = ChaCha20Poly1305(key)
    step = CHUNK + TAG
    count = max(1, -(-len(payload) // step))
    decompressor = zlib.decompressobj()
    out = bytearray()
    try:
        for index in range(count):
            chunk = cipher.decrypt(index.to_bytes(12, "big"), payload[index * step:(index + 1) * step],
                                   _associated(index, index == count - 1))
            out += decompressor.decompress(chunk, raw_length + 1 - len(out))
            if len(out) > raw_length:
                raise PayloadError("larger than declared")
        out += decompressor.flush()
    except InvalidTag:
        raise PayloadError("does not decrypt") from None
    except zlib.error:
        raise PayloadError("does not decompress") from None
    if len(out) != raw_length or not decompressor.eof or decompressor.unused_data:
        raise PayloadError("size differs from the header")
    try:
        document = json.loads(out.decode("utf-8"))  # strictly UTF-8 (json.loads alone would guess UTF-16/32)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply
        raise PayloadError("not JSON") from None
    if not isinstance(document, dict):
        raise PayloadError("not a record document")
    return document


def seal_key(key: bytes, recipient_public) -> bytes:
    return SUITE.encrypt(key, recipient_public, info=HPKE_INFO)


def open_key(sealed: bytes, private_key) -> bytes:
    try:
        key = SUITE.decrypt(sealed, private_key, info=HPKE_INFO)
    except (InvalidTag, ValueError) as error:
        raise PayloadError("the payload key does not open") from error
    if len(key) != 32:
        raise PayloadError("the payload key has the wrong size")
    return key
