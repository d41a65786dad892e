"""The signed file container shared by bundles (.tvb) and receipts (.tvr).

    MAGIC (8 bytes) | header length (u32, big-endian) | header (canonical JSON, UTF-8)
    | Ed25519 signature over MAGIC + length + header (64 bytes) | payload (header.payload.length bytes)

Reading never trusts a length it has not bounded and never decrypts
anything: it returns the parts for the caller to verify (docs/bundle-format.md).
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import UserError
from app.core.i18n import N_

MAGIC = b"TUVANSY1"
SIGNATURE_BYTES = 64
MAX_HEADER_BYTES = 256 * 1024
MAX_PAYLOAD_BYTES = 1024 * 1024 * 1024
MAX_HEADER_DEPTH = 16  # nesting of objects/arrays; a real header has 5


class BundleRejected(UserError):
    """A bundle or receipt that must not be used; nothing was changed."""

    exit_code = 2
    template = N_("The file {file} was rejected: {reason}. Nothing was changed.")


@dataclass(frozen=True)
class Container:
    header: dict[str, Any]
    header_bytes: bytes
    signed_part: bytes
    signature: bytes
    payload: bytes | None            # in memory, or None when it stays in the file (`path`)
    file_hash: str
    payload_sha256: str = ""
    path: Path | None = None
    payload_length: int = 0

    def pieces(self, size: int) -> Iterator[bytes]:
        """The payload in pieces of `size` bytes (the last shorter), from memory or from the file."""
        if self.payload is not None:
            view = memoryview(self.payload)
            for start in range(0, len(view), size):
                yield bytes(view[start:start + size])
            return
        with open(self.path, "rb") as handle:
            handle.seek(len(self.signed_part) + SIGNATURE_BYTES)
            left = self.payload_length
            while left > 0:
                piece = handle.read(min(size, left))
                if not piece:
                    raise OSError("the file became shorter while it was read")
                left -= len(piece)
                yield piece


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _depth(value: Any) -> int:
    """How deeply objects and arrays nest (iterative: a hostile header must not exhaust the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item if isinstance(child, (dict, list)))
    return deepest


def write(header: dict[str, Any], sign, payload: bytes = b"") -> bytes:
    """The file's bytes; `sign(message) -> 64-byte signature`."""
    header_bytes = canonical(header)
    signed = MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes
    signature = sign(signed)
    if len(signature) != SIGNATURE_BYTES:
        raise ValueError("an Ed25519 signature has 64 bytes")
    return signed + signature + payload


def _front(data: bytes, file: str, size: int | None = None) -> tuple[dict, bytes, int, int]:
    """Check the magic, header and declared payload length: (header, header bytes, its end, declared).
    `size` is the whole file's length when `data` is only its beginning."""
    def reject(reason: str) -> BundleRejected:
        return BundleRejected(file=file, reason=reason)

    total = len(data) if size is None else size
    if len(data) < len(MAGIC) + 4 or data[:len(MAGIC)] != MAGIC:
        raise reject(N_("it is not a Tư Vấn bundle or receipt"))
    (length,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
    if length > MAX_HEADER_BYTES:
        raise reject(N_("its header is unreasonably large"))
    start = len(MAGIC) + 4
    end = start + length
    if total < end + SIGNATURE_BYTES or len(data) < end + SIGNATURE_BYTES:
        raise reject(N_("the file is truncated"))
    header_bytes = data[start:end]
    try:
        header = json.loads(header_bytes.decode("utf-8"))
        if not isinstance(header, dict) or _depth(header) > MAX_HEADER_DEPTH:
            raise ValueError
        # A lone surrogate (\ud800) parses but cannot be encoded again: damaged, not a crash.
        again = canonical(header)
    except (ValueError, RecursionError):  # UnicodeError is a ValueError
        raise reject(N_("its header is damaged")) from None
    if again != header_bytes:
        raise reject(N_("its header is not in canonical form"))
    declared = header.get("payload", {}).get("length", 0) if isinstance(header.get("payload", {}), dict) else -1
    if not isinstance(declared, int) or declared < 0 or declared > MAX_PAYLOAD_BYTES:
        raise reject(N_("its header is damaged"))
    found = total - end - SIGNATURE_BYTES
    if found < declared:
        raise reject(N_("the file is truncated"))
    if found > declared:
        raise reject(N_("the file has extra bytes at the end"))
    return header, header_bytes, end, declared


def read(data: bytes, file: str) -> Container:
    header, header_bytes, end, declared = _front(data, file)
    payload = data[end + SIGNATURE_BYTES:]
    return Container(header, header_bytes, data[:end], data[end:end + SIGNATURE_BYTES], payload,
                     hashlib.sha256(data).hexdigest(), hashlib.sha256(payload).hexdigest(), None, declared)


def read_path(path: Path, file: str) -> Container:
    """The container of a file on disk; its payload stays there (read again, chunk by chunk, when it
    is decrypted), so a bundle of any size costs a few megabytes of memory. Both hashes are taken in
    one pass. OSError if the file cannot be read."""
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as handle:
        front = handle.read(len(MAGIC) + 4)
        if len(front) == len(MAGIC) + 4 and front[:len(MAGIC)] == MAGIC:
            (length,) = struct.unpack(">I", front[len(MAGIC):])
            front += handle.read(min(length, MAX_HEADER_BYTES + 1) + SIGNATURE_BYTES)
        header, header_bytes, end, declared = _front(front, file, size)
        whole = hashlib.sha256(front[:end + SIGNATURE_BYTES])
        inner = hashlib.sha256()
        handle.seek(end + SIGNATURE_BYTES)
        while piece := handle.read(1 << 20):
            whole.update(piece)
            inner.update(piece)
    return Container(header, header_bytes, front[:end], front[end:end + SIGNATURE_BYTES], None,
                     whole.hexdigest(), inner.hexdigest(), path, declared)
