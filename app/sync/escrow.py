"""The escrow slot: the receiving office can help a point that lost every passphrase (docs/design.md §2).

Optional and the point's choice. The point's administrator allows it: the data key is sealed to
the X25519 key of each receiving office the point trusts (`vault.seal_escrow_slot`), next to the
user and recovery slots. Nothing leaves the point: the slot lives in the point's key-slot file.

When every passphrase and the recovery sheet are lost, someone brings that key-slot file
(`keyslots.json`, a small file with no personal data) to the office. The office's administrator
opens the escrow slot with the office's private key and seals the key again for the point's
administrator under a temporary passphrase; the file goes back into the point's register folder
and the point's administrator chooses a new passphrase at once. The office sees the data key but
never the register itself, and its audit log records the rescue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from app.core.errors import UserError
from app.core.i18n import N_
from app.core.passphrase import check_new
from app.core.roles import Permission
from app.store.files import write_atomic
from app.store.vault import KIND_USER, KeySlotFile, calibrate, seal_escrow_slot, seal_slot
from app.sync import identity


class NoOfficeTrusted(UserError):
    template = N_("No receiving office is trusted yet. Exchange keys with it first (Sync → Keys), then allow its help.")


class EscrowNotForThisOffice(UserError):
    template = N_("The key-slot file {path} has no escrow slot for this office: the point has not allowed this "
                  "office's help, or it is not a Tư Vấn key-slot file. Nothing was changed.")


class EscrowPointsOnly(UserError):
    template = N_("Only a point's register keeps an escrow slot; an office helps points with theirs.")


class EscrowOfficesOnly(UserError):
    template = N_("Only a receiving office's register can help a point with its key-slot file.")


@dataclass(frozen=True)
class Rescue:
    register_id: str
    unit_code: str  # "" when the point is not among this office's trusted keys
    out: Path


def _require_admin(register, role: str) -> None:
    register.require(Permission.MANAGE_USERS)
    if register.unit().role.value != role:
        raise EscrowPointsOnly() if role == "point" else EscrowOfficesOnly()


def offices(register) -> list[identity.Identity]:
    """The offices whose escrow slot this point's key-slot file holds."""
    fingerprints = {slot.escrow_to for slot in register.load_slots().escrow_slots()}
    return [office for office in identity.trusted_list(register.conn, "district", active_only=False)
            if office.fingerprint in fingerprints]


def allow(register) -> list[identity.Identity]:
    """Seal the data key to every receiving office this point trusts (replacing older escrow slots)."""
    _require_admin(register, "point")
    districts = identity.trusted_list(register.conn, "district")
    if not districts:
        raise NoOfficeTrusted()
    slots = register.load_slots()
    slots.set_escrow_slots([seal_escrow_slot(register.register_id, register.data_key, office.enc_public,
                                             office.fingerprint) for office in districts])
    with register.transaction():  # the slot file is written inside: a failed write rolls the audit back
        register.audit("escrow.allow", "register", register.register_id,
                       {"offices": [office.unit_code for office in districts]})
        register.save_slots(slots)
    return districts


def withdraw(register) -> None:
    _require_admin(register, "point")
    slots = register.load_slots()
    slots.set_escrow_slots([])
    with register.transaction():
        register.audit("escrow.withdraw", "register", register.register_id)
        register.save_slots(slots)


def rescue(register, slot_file: Path, new_passphrase: str, out: Path | None = None,
           login: str | None = None) -> Rescue:
    """At the office: give a point's administrator (`login`, default the first) a temporary passphrase.

    Writes the changed key-slot file to `out` (default: over `slot_file`, atomically)."""
    _require_admin(register, "district")
    passphrase = check_new(new_passphrase)
    slot_file = Path(slot_file)
    slots = KeySlotFile.load(slot_file)
    own = {keys.fingerprint: keys for keys in identity.all_own_keys(register.conn)}
    usable = [slot for slot in slots.escrow_slots() if slot.escrow_to in own]
    if not usable:
        raise EscrowNotForThisOffice(path=str(slot_file))
    private = own[usable[0].escrow_to].enc.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    data_key = usable[0].open(slots.register_id, private)
    admin = slots.user_slot(login)  # WrongPassphrase (unknown user) when the login is not in the file
    slots.put_user_slot(seal_slot(slots.register_id, data_key, passphrase.encode(), kind=KIND_USER,
                                  kdf=calibrate(), user_id=admin.user_id, hashed_login=admin.login_hash,
                                  admin=admin.admin))
    point = next((p for p in identity.trusted_list(register.conn, "point", active_only=False)
                  if p.register_id == slots.register_id), None)
    target = Path(out) if out else slot_file
    with register.transaction():
        register.audit("escrow.rescue", "register", slots.register_id,
                       {"unit_code": point.unit_code if point else None, "user_id": admin.user_id})
        write_atomic(target, slots.to_bytes())
    return Rescue(slots.register_id, point.unit_code if point else "", target)
