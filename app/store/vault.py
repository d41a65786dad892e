"""Key slots: the register's data key, sealed once per user and for recovery.

The data key (32 random bytes) is the SQLCipher raw key and is never written
in clear. The sidecar file holds one slot per user and one recovery slot.
A slot is the data key sealed with AES-256-GCM under a key derived from the
secret (Argon2id for passphrases, HKDF for the 175-bit recovery key). The
associated data binds the register id and every slot field, so a slot that
was edited, or copied from another register, fails to open.

Logins are stored as salted hashes: the file names no person.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core.errors import RegisterDamaged, WrongPassphrase, WrongRecoveryKey
from app.core.ids import uuid7
from app.store.files import write_atomic

FORMAT = 1
KIND_USER = "user"
KIND_RECOVERY = "recovery"
KIND_ESCROW = "escrow"  # the data key sealed to the receiving office's X25519 key (docs/design.md §2)
ESCROW_SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.CHACHA20_POLY1305)
ESCROW_INFO = b"tuvan escrow slot v1"

# OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane) is the floor.
FLOOR_MEMORY_KIB = 19 * 1024
FLOOR_ITERATIONS = 2
CALIBRATED_MEMORY_KIB = 64 * 1024
CALIBRATED_LANES = 4
DEFAULT_TARGET_SECONDS = 0.5
MAX_ITERATIONS = 64
# Upper bounds a slot file may ask for: an edited file must not make an unlock hang or exhaust memory.
MAX_MEMORY_KIB = 1024 * 1024
MAX_LANES = 16


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def canonical_json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class KdfParams:
    algorithm: str  # "argon2id" | "hkdf-sha256"
    salt: str  # base64
    iterations: int = 0
    lanes: int = 0
    memory_kib: int = 0

    def derive(self, secret: bytes) -> bytes:
        salt = _unb64(self.salt)
        if self.algorithm == "argon2id":
            if self.memory_kib < FLOOR_MEMORY_KIB or self.iterations < 1 or self.lanes < 1:
                raise WrongPassphrase()  # below the floor: refuse a weakened slot
            return Argon2id(
                salt=salt,
                length=32,
                iterations=self.iterations,
                lanes=self.lanes,
                memory_cost=self.memory_kib,
            ).derive(secret)
        if self.algorithm == "hkdf-sha256":
            return HKDF(
                algorithm=hashes.SHA256(), length=32, salt=salt, info=b"tuvan recovery slot"
            ).derive(secret)
        if self.algorithm == "hpke-x25519":
            # Escrow: `salt` holds the slot's wrapping key sealed to the office; `secret` is its private key.
            try:
                wrapping = ESCROW_SUITE.decrypt(salt, x25519.X25519PrivateKey.from_private_bytes(secret),
                                                info=ESCROW_INFO)
            except (InvalidTag, ValueError) as error:
                raise WrongRecoveryKey() from error
            if len(wrapping) != 32:
                raise WrongRecoveryKey()
            return wrapping
        raise WrongPassphrase()


def kdf_target_seconds() -> float:
    """About 0.5 s by design; TUVAN_KDF_TARGET_MS lowers it (tests use 0 = OWASP floor)."""
    override = os.environ.get("TUVAN_KDF_TARGET_MS")
    if override is not None and override.strip().isdigit():
        return int(override) / 1000
    return DEFAULT_TARGET_SECONDS


def calibrate(target_seconds: float | None = None) -> KdfParams:
    """Argon2id parameters that take about `target_seconds` on this machine."""
    target = kdf_target_seconds() if target_seconds is None else target_seconds
    salt = _b64(os.urandom(16))
    floor = KdfParams("argon2id", salt, FLOOR_ITERATIONS, 1, FLOOR_MEMORY_KIB)
    if target <= 0:
        return floor
    probe = KdfParams("argon2id", salt, 1, CALIBRATED_LANES, CALIBRATED_MEMORY_KIB)

    def timed(iterations: int) -> float:
        started = time.perf_counter()
        replace(probe, iterations=iterations).derive(b"calibration")
        return time.perf_counter() - started

    timed(1)  # warm-up: the first run pays for the allocator
    # Filling the memory costs more than a later pass; fit cost = fixed + n * per_pass.
    one, five = timed(1), timed(5)
    per_pass = max((five - one) / 4, 1e-4)
    fixed = max(one - per_pass, 0.0)
    iterations = round((target - fixed) / per_pass)
    return replace(probe, iterations=min(MAX_ITERATIONS, max(FLOOR_ITERATIONS, iterations)))


def normalize_login(login: str) -> str:
    return unicodedata.normalize("NFC", login).strip().lower()


def login_hash(register_id: str, login: str) -> str:
    material = f"tuvan-login\0{register_id}\0{normalize_login(login)}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


@dataclass(frozen=True)
class Slot:
    slot_id: str
    kind: str
    kdf: KdfParams
    nonce: str
    sealed: str
    user_id: str | None = None
    login_hash: str | None = None
    admin: bool = False
    created_at: float = field(default_factory=time.time)
    escrow_to: str | None = None  # escrow slots: the fingerprint of the office that can open it

    def associated_data(self, register_id: str) -> bytes:
        fields = asdict(self)
        del fields["nonce"], fields["sealed"]
        if fields["escrow_to"] is None:
            del fields["escrow_to"]  # slots made before escrow existed keep their associated data
        return canonical_json({"format": FORMAT, "register_id": register_id, "slot": fields})

    def open(self, register_id: str, secret: bytes) -> bytes:
        key = self.kdf.derive(secret)
        try:
            return AESGCM(key).decrypt(
                _unb64(self.nonce), _unb64(self.sealed), self.associated_data(register_id)
            )
        except (InvalidTag, ValueError) as error:
            if self.kind in (KIND_RECOVERY, KIND_ESCROW):
                raise WrongRecoveryKey() from error
            raise WrongPassphrase() from error


def seal_slot(
    register_id: str,
    data_key: bytes,
    secret: bytes,
    *,
    kind: str,
    kdf: KdfParams,
    user_id: str | None = None,
    login: str | None = None,
    admin: bool = False,
    hashed_login: str | None = None,
) -> Slot:
    """`hashed_login` stands for `login` when only the slot file is at hand (an escrow rescue)."""
    unsealed = Slot(
        slot_id=uuid7(),
        kind=kind,
        kdf=kdf,
        nonce=_b64(os.urandom(12)),
        sealed="",
        user_id=user_id,
        login_hash=login_hash(register_id, login) if login is not None else hashed_login,
        admin=admin,
    )
    return _seal(unsealed, register_id, data_key, kdf.derive(secret))


def _seal(unsealed: Slot, register_id: str, data_key: bytes, key: bytes) -> Slot:
    sealed = AESGCM(key).encrypt(
        _unb64(unsealed.nonce), bytes(data_key), unsealed.associated_data(register_id)
    )
    return replace(unsealed, sealed=_b64(sealed))


def seal_escrow_slot(register_id: str, data_key: bytes, office_public: bytes, office_fingerprint: str) -> Slot:
    """The data key for the receiving office: only its X25519 private key opens the slot."""
    wrapping = os.urandom(32)
    sealed_wrapping = ESCROW_SUITE.encrypt(wrapping, x25519.X25519PublicKey.from_public_bytes(office_public),
                                           info=ESCROW_INFO)
    unsealed = Slot(slot_id=uuid7(), kind=KIND_ESCROW, kdf=KdfParams("hpke-x25519", _b64(sealed_wrapping)),
                    nonce=_b64(os.urandom(12)), sealed="", escrow_to=office_fingerprint)
    return _seal(unsealed, register_id, data_key, wrapping)


def recovery_kdf() -> KdfParams:
    return KdfParams("hkdf-sha256", _b64(os.urandom(16)))


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _checked(slot: Slot) -> Slot:
    """Refuse a slot whose fields have the wrong type or an unreasonable size (ValueError)."""
    kdf = slot.kdf
    sound = (
        slot.kind in (KIND_USER, KIND_RECOVERY, KIND_ESCROW)
        and all(isinstance(v, str) for v in (slot.slot_id, slot.nonce, slot.sealed, kdf.salt))
        and all(v is None or isinstance(v, str) for v in (slot.user_id, slot.login_hash, slot.escrow_to))
        and isinstance(slot.admin, bool)
        and isinstance(slot.created_at, (int, float))
        and kdf.algorithm in ("argon2id", "hkdf-sha256", "hpke-x25519")
        and (kdf.algorithm == "hpke-x25519") == (slot.kind == KIND_ESCROW)
        and _whole(kdf.iterations, 0, MAX_ITERATIONS)
        and _whole(kdf.lanes, 0, MAX_LANES)
        and _whole(kdf.memory_kib, 0, MAX_MEMORY_KIB)
    )
    if not sound:
        raise ValueError("a slot has a field of the wrong type or size")
    if len(_unb64(slot.nonce)) != 12 or not 8 <= len(_unb64(kdf.salt)) <= 128 or len(_unb64(slot.sealed)) != 48:
        raise ValueError("a slot has a nonce, salt or sealed key of the wrong length")
    return slot


@dataclass
class KeySlotFile:
    register_id: str
    slots: list[Slot]

    @classmethod
    def load(cls, path: Path) -> "KeySlotFile":
        return cls.from_bytes(Path(path).read_bytes(), str(path))

    @classmethod
    def from_bytes(cls, data: bytes, where: str) -> "KeySlotFile":
        """The slots in `data` (a key-slot file's bytes, read from `where`)."""
        try:
            raw = json.loads(data)
            if raw.get("format") != FORMAT:
                raise ValueError(f"key-slot format {raw.get('format')!r}")
            if not isinstance(raw["register_id"], str) or not isinstance(raw["slots"], list):
                raise ValueError("register id or slot list")
            slots = [_checked(Slot(**{**s, "kdf": KdfParams(**s["kdf"])})) for s in raw["slots"]]
            return cls(register_id=raw["register_id"], slots=slots)
        except FileNotFoundError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise RegisterDamaged(path=where, detail=f"key slots: {error}") from error

    def to_bytes(self) -> bytes:
        body = {
            "format": FORMAT,
            "register_id": self.register_id,
            "slots": [asdict(slot) for slot in self.slots],
        }
        return json.dumps(body, indent=1, sort_keys=True).encode() + b"\n"

    def save(self, path: Path) -> None:
        write_atomic(path, self.to_bytes())

    def has_login(self, login: str) -> bool:
        """Whether a user slot is for `login` (no passphrase needed: the slot names it by hash)."""
        wanted = login_hash(self.register_id, login)
        return any(s.kind == KIND_USER and s.login_hash == wanted for s in self.slots)

    def user_slot(self, login: str | None) -> Slot:
        """The slot for `login`, or the first admin's when login is None."""
        users = [s for s in self.slots if s.kind == KIND_USER]
        if login is None:
            for slot in users:
                if slot.admin:
                    return slot
        else:
            wanted = login_hash(self.register_id, login)
            for slot in users:
                if slot.login_hash == wanted:
                    return slot
        raise WrongPassphrase()

    def recovery_slot(self) -> Slot:
        for slot in self.slots:
            if slot.kind == KIND_RECOVERY:
                return slot
        raise WrongRecoveryKey()

    def put_user_slot(self, slot: Slot) -> None:
        self.slots = [s for s in self.slots if s.user_id != slot.user_id or s.kind != KIND_USER]
        self.slots.append(slot)

    def put_recovery_slot(self, slot: Slot) -> None:
        self.slots = [s for s in self.slots if s.kind != KIND_RECOVERY] + [slot]

    def escrow_slots(self) -> list[Slot]:
        return [s for s in self.slots if s.kind == KIND_ESCROW]

    def set_escrow_slots(self, slots: list[Slot]) -> None:
        self.slots = [s for s in self.slots if s.kind != KIND_ESCROW] + list(slots)
