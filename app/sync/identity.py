"""Identities: each register's signing (Ed25519) and receiving (X25519) keys, and pinned peers.

Keys are made when first needed and kept inside the encrypted register.
A public identity travels as a small file; the other side pins it only after
the user compared its fingerprint (read aloud in groups, or scanned as a QR
code). A key change is announced in a statement signed with the old key, so
a pinned peer can follow it without a new comparison.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, x25519

from app.core.clock import utc_stamp
from app.core.errors import UserError
from app.core.i18n import N_
from app.core.recovery_key import ALPHABET
from app.core.roles import Permission
from app.store import key_ring, relay_points

IDENTITY_FORMAT = "tuvan-identity"
KEY_CHANGE_FORMAT = "tuvan-key-change"
_RAW = serialization.Encoding.Raw


class IdentityInvalid(UserError):
    exit_code = 2
    template = N_("The key file cannot be used: {reason}. Ask the other office for its key file again.")


class FingerprintMismatch(UserError):
    exit_code = 2
    # The right fingerprint is deliberately not shown: it would invite copying it instead of comparing.
    template = N_("The fingerprint you typed does not match this key file. Do not trust it: "
                  "compare the fingerprint with the other office by phone or in person.")


class KeyRetired(UserError):
    exit_code = 2
    template = N_("This key was replaced by a newer key of the same unit and is not trusted again. Ask the other "
                  "office for its current key file.")


class UnitAlreadyTrusted(UserError):
    exit_code = 2
    template = N_("A key of unit {code} is already trusted. A unit changes its key with a key-change file signed "
                  "by its old key; if the old key is lost, an administrator must first remove it.")


class UnknownPeer(UserError):
    exit_code = 2
    template = N_("No trusted key matches {what}. Import and confirm the other office's key first (tuvan trust).")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(str(text).encode("ascii"), validate=True)


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _grouped(digest: bytes) -> str:
    """160 bits as 8 groups of 4 Crockford base32 characters."""
    value = int.from_bytes(digest[:20], "big")
    chars = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(32)))
    return " ".join(chars[i:i + 4] for i in range(0, 32, 4))


def fingerprint(sign_public: bytes, enc_public: bytes) -> str:
    """The key fingerprint (version 1): SHA-256 over both public keys. Names a key in bundle headers."""
    return _grouped(hashlib.sha256(b"tuvan-identity-v1" + sign_public + enc_public).digest())


def identity_fingerprint(sign_public: bytes, enc_public: bytes, role: str, unit_code: str,
                         points: tuple[str, ...] | list[str]) -> str:
    """The fingerprint officers compare (version 2): the keys *and* what the officer trusts with them,
    the unit code, the role and the list of units it says it serves (docs/bundle-format.md §6.2)."""
    claims = canonical({"points": sorted(points), "role": role, "unit_code": unit_code})
    return _grouped(hashlib.sha256(b"tuvan-identity-v2" + sign_public + enc_public + claims).digest())


def normalize_fingerprint(text: str) -> str:
    """Accept what people type: any case, spaces or dashes, O for 0 and I/L for 1."""
    table = str.maketrans({"O": "0", "I": "1", "L": "1"})
    chars = "".join(c for c in str(text).upper().translate(table) if c.isalnum())
    return " ".join(chars[i:i + 4] for i in range(0, len(chars), 4))


@dataclass(frozen=True)
class Keys:
    """This register's current private keys."""

    sign: ed25519.Ed25519PrivateKey
    enc: x25519.X25519PrivateKey

    @property
    def sign_public(self) -> bytes:
        return self.sign.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)

    @property
    def enc_public(self) -> bytes:
        return self.enc.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_public, self.enc_public)


@dataclass(frozen=True)
class Identity:
    """A public identity: what another office pins."""

    role: str
    unit_code: str
    unit_name: str
    register_id: str
    sign_public: bytes
    enc_public: bytes
    points: tuple[str, ...] = field(default=())
    version: int = 2                                   # of the key file: what its fingerprint covers
    point_names: tuple[tuple[str, str], ...] = field(default=(), compare=False)   # (code, name), shown only
    direction: str = field(default="", compare=False)   # pinned keys: "up" (we send to it) or "down" (it sends here)

    @property
    def fingerprint(self) -> str:
        """The key fingerprint: identifies the key in headers, recipients and the trusted list."""
        return fingerprint(self.sign_public, self.enc_public)

    @property
    def confirmation(self) -> str:
        """What the officers read aloud or scan: version 2 covers unit code, role and point list."""
        if self.version == 1:
            return self.fingerprint
        return identity_fingerprint(self.sign_public, self.enc_public, self.role, self.unit_code, self.points)

    def to_dict(self) -> dict:
        data = {"format": IDENTITY_FORMAT, "version": self.version, "role": self.role, "unit_code": self.unit_code,
                "unit_name": self.unit_name, "register_id": self.register_id,
                "sign_public": b64(self.sign_public), "enc_public": b64(self.enc_public),
                "points": list(self.points), "fingerprint": self.confirmation}
        if self.version >= 2:
            data["key_fingerprint"] = self.fingerprint
            data["point_names"] = dict(self.point_names)
        return data

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1).encode() + b"\n"

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            ed25519.Ed25519PublicKey.from_public_bytes(self.sign_public).verify(signature, message)
            return True
        except (InvalidSignature, ValueError):
            return False

    @property
    def enc_key(self) -> x25519.X25519PublicKey:
        return x25519.X25519PublicKey.from_public_bytes(self.enc_public)


def identity_from_dict(data: Any) -> Identity:
    try:
        version = data.get("version")
        if data.get("format") != IDENTITY_FORMAT or version not in (1, 2) or isinstance(version, bool):
            raise ValueError("not a Tư Vấn key file")
        points = data.get("points", [])
        names = data.get("point_names", {}) if version >= 2 else {}
        if not isinstance(points, list) or not isinstance(names, dict):
            raise ValueError("damaged key")
        identity = Identity(str(data["role"]), str(data["unit_code"]), str(data.get("unit_name", "")),
                            str(data["register_id"]), unb64(data["sign_public"]), unb64(data["enc_public"]),
                            tuple(sorted({str(p) for p in points})), version,
                            tuple(sorted((str(code), str(name)[:200]) for code, name in names.items())))
        if identity.role not in ("point", "district") or len(identity.sign_public) != 32 \
                or len(identity.enc_public) != 32:
            raise ValueError("damaged key")
        ed25519.Ed25519PublicKey.from_public_bytes(identity.sign_public)
        x25519.X25519PublicKey.from_public_bytes(identity.enc_public)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise IdentityInvalid(reason=str(error)) from None
    return identity


def identity_from_bytes(data: bytes) -> Identity:
    try:
        return identity_from_dict(json.loads(data))
    except (ValueError, RecursionError):  # not UTF-8/JSON, or nested too deeply
        raise IdentityInvalid(reason="not a Tư Vấn key file") from None


# --- own keys ----------------------------------------------------------------------

def _new_keys() -> Keys:
    return Keys(ed25519.Ed25519PrivateKey.generate(), x25519.X25519PrivateKey.generate())


def _store(conn, keys: Keys, key_change: str | None = None) -> None:
    private = serialization.NoEncryption()
    raw = serialization.PrivateFormat.Raw
    key_ring.add_own_key(conn, keys.fingerprint, keys.sign.private_bytes(_RAW, raw, private), keys.sign_public,
                         keys.enc.private_bytes(_RAW, raw, private), keys.enc_public, utc_stamp(), key_change)


def own_keys(register, *, create: bool = True) -> Keys:
    """The current keys, made (and stored in the register) the first time they are needed."""
    row = key_ring.current_own_key(register.conn)
    if row is not None:
        return Keys(ed25519.Ed25519PrivateKey.from_private_bytes(row[0]),
                    x25519.X25519PrivateKey.from_private_bytes(row[1]))
    if not create:
        raise UnknownPeer(what="this register")
    keys = _new_keys()
    with register.transaction():
        _store(register.conn, keys)
        register.audit("keys.create", "identity_keys", keys.fingerprint)
    return keys


def all_own_keys(conn) -> list[Keys]:
    """Current and retired keys (a bundle sealed to an old key can still be opened)."""
    return [Keys(ed25519.Ed25519PrivateKey.from_private_bytes(a), x25519.X25519PrivateKey.from_private_bytes(b))
            for a, b in key_ring.all_own_keys(conn)]


def own_identity(register) -> Identity:
    """This register's key file: an office lists every unit it serves, directly or relayed at any depth."""
    keys = own_keys(register)
    unit = register.unit()
    names = served_units(register.conn) if unit.role.value == "district" else {}
    return Identity(unit.role.value, unit.code, unit.name, register.register_id, keys.sign_public,
                    keys.enc_public, tuple(sorted(names)), 2, tuple(sorted(names.items())))


def latest_key_change(conn) -> dict | None:
    text = key_ring.latest_key_change(conn)
    return json.loads(text) if text is not None else None


def rotate_keys(register) -> dict:
    """New keys; returns the key-change statement signed with the old key (also sent in bundles)."""
    register.require(Permission.MANAGE_SETTINGS)
    old = own_keys(register)
    new = _new_keys()
    unit = register.unit()
    statement = {"format": KEY_CHANGE_FORMAT, "version": 1, "unit_code": unit.code,
                 "old_fingerprint": old.fingerprint, "new": Identity(
                     unit.role.value, unit.code, unit.name, register.register_id, new.sign_public,
                     new.enc_public).to_dict(), "made_at": utc_stamp()}
    announcement = {"statement": statement, "signature": b64(old.sign.sign(canonical(statement)))}
    with register.transaction():
        key_ring.retire_own_key(register.conn, old.fingerprint, utc_stamp())
        _store(register.conn, new, json.dumps(announcement, ensure_ascii=False))
        register.audit("keys.rotate", "identity_keys", new.fingerprint, {"old": old.fingerprint})
    return announcement


# --- pinned peers -------------------------------------------------------------------

def _identity(row) -> Identity:
    # row: key_ring.TRUSTED_COLUMNS
    # A key pinned from a version 1 file (or followed through a key change) keeps version 1 only if
    # what was confirmed was the key fingerprint itself.
    version = 1 if row[10] in ("", row[0]) else 2
    return Identity(row[1], row[2], row[3], row[4], bytes(row[5]), bytes(row[6]), tuple(json.loads(row[7])),
                    version, tuple(sorted(json.loads(row[9]).items())), row[11])


def pin(register, identity: Identity, typed_fingerprint: str, *, sends_here: bool = False) -> Identity:
    """Trust `identity` after checking the fingerprint the user compared (administrators).

    A version 2 key file is confirmed with its identity fingerprint, which covers the unit code, role
    and claimed point list as well as the keys; pinning a district does not yet accept any relayed
    unit (app/sync/relay.py: the officer assigns them). A point's key always sends here; an office's
    key receives our bundles unless `sends_here` (an office below, at an office)."""
    register.require(Permission.MANAGE_SETTINGS)
    if normalize_fingerprint(typed_fingerprint) != identity.confirmation:
        raise FingerprintMismatch()
    if key_ring.is_active(register.conn, identity.fingerprint) is False:
        raise KeyRetired()  # a replaced key (perhaps stolen) is never trusted again
    if key_ring.other_active_key(register.conn, identity.unit_code, identity.fingerprint) is not None:
        # One active key per unit: a second one for the same code would let someone speak for that unit.
        raise UnitAlreadyTrusted(code=identity.unit_code)
    below = identity.role == "point" or (sends_here and register.unit().role.value == "district")
    _pin(register, identity, direction="down" if below else "up")
    return identity


def untrust(register, fingerprint_text: str) -> Identity:
    """Stop trusting a key (e.g. the other office lost it); it cannot be trusted again (administrators)."""
    register.require(Permission.MANAGE_SETTINGS)
    known = trusted(register.conn, fingerprint_text, include_inactive=False, confirmed=True)
    if known is None:
        raise UnknownPeer(what=normalize_fingerprint(fingerprint_text))
    with register.transaction():
        key_ring.deactivate(register.conn, known.fingerprint)
        register.audit("keys.untrust", "trusted_keys", known.fingerprint, {"unit_code": known.unit_code})
    return known


def _pin(register, identity: Identity, replaces: str | None = None, direction: str = "up") -> None:
    with register.transaction():
        key_ring.pin(register.conn, identity.fingerprint, identity.role, identity.unit_code, identity.unit_name,
                     identity.register_id, identity.sign_public, identity.enc_public,
                     json.dumps(list(identity.points)), utc_stamp(), register.user.id,
                     json.dumps(dict(identity.point_names), ensure_ascii=False), identity.confirmation, direction)
        if replaces:
            key_ring.replace(register.conn, replaces, identity.fingerprint)
        register.audit("keys.trust", "trusted_keys", identity.fingerprint,
                       {"unit_code": identity.unit_code, "role": identity.role, "replaces": replaces})


def follow_key_change(register, announcement: dict) -> Identity:
    """Pin a peer's new key if its announcement is signed by the key we trust for that unit."""
    try:
        statement = announcement["statement"]
        signature = unb64(announcement["signature"])
        if statement.get("format") != KEY_CHANGE_FORMAT:
            raise ValueError("not a key change")
        old = trusted(register.conn, statement["old_fingerprint"])
        new = identity_from_dict(statement["new"])
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise IdentityInvalid(reason=str(error)) from None
    if old is None:
        raise UnknownPeer(what=str(statement.get("old_fingerprint")))
    if new.unit_code != old.unit_code or new.role != old.role or not old.verify(signature, canonical(statement)):
        raise IdentityInvalid(reason=N_("the key change is not signed by the trusted key of this unit"))
    if trusted(register.conn, new.fingerprint) is not None:
        return new  # followed before
    if trusted(register.conn, old.fingerprint, include_inactive=False) is None:
        # A retired key (perhaps retired because it was stolen) must not bring in keys of its own.
        raise IdentityInvalid(reason=N_("the key change is signed by a key that was already replaced"))
    _pin(register, Identity(new.role, new.unit_code, new.unit_name, new.register_id, new.sign_public,
                            new.enc_public, old.points, 1, old.point_names), replaces=old.fingerprint,
         direction=old.direction)
    return new


def trusted(conn, fingerprint_text: str, *, include_inactive: bool = True, confirmed: bool = False) -> Identity | None:
    """The pinned key with this key fingerprint (as bundle headers name it); with `confirmed`, also the
    key whose confirmed (version 2) fingerprint this is, as people type it."""
    row = key_ring.trusted_row(conn, normalize_fingerprint(fingerprint_text), include_inactive=include_inactive,
                               confirmed=confirmed)
    return _identity(row) if row else None


def trusted_list(conn, role: str | None = None, *, active_only: bool = True, direction: str | None = None
                 ) -> list[Identity]:
    return [_identity(r) for r in key_ring.trusted_rows(conn, role, active_only=active_only, direction=direction)]


def receiving_offices(conn) -> list[Identity]:
    """The offices our bundles are sealed to: a point's office, or the office above an office."""
    return trusted_list(conn, "district", direction="up")


def offices_below(conn) -> list[Identity]:
    """Offices that send their (relayed) bundles here."""
    return trusted_list(conn, "district", direction="down")


def trusted_points(conn) -> list[str]:
    return sorted({identity.unit_code for identity in trusted_list(conn, "point")})


def served_units(conn) -> dict[str, str]:
    """Code -> name of every unit whose records this office holds by right: the points it trusts
    directly and the units assigned to the offices that relay to it (any depth)."""
    units = relay_points.names(conn)
    for peer in trusted_list(conn, "point") + offices_below(conn):
        units[peer.unit_code] = peer.unit_name or units.get(peer.unit_code, "")
    return units
