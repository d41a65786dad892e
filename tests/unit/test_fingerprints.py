"""Fingerprints cover what the officer trusts (issue 13): version 2 binds unit code, role and point list."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, x25519

from app.sync import identity

RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


def _office(points=("MYHOA-01", "PHUTHANH-01"), **changes) -> identity.Identity:
    sign = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32))).public_key().public_bytes(*RAW)
    enc = x25519.X25519PrivateKey.from_private_bytes(bytes(range(32, 64))).public_key().public_bytes(*RAW)
    values = {"role": "district", "unit_code": "LX-CA", "unit_name": "Công an thành phố Long Xuyên",
              "register_id": "01a216b1-cf57-7205-83ef-1a0636a1db58", "sign_public": sign, "enc_public": enc,
              "points": tuple(points), **changes}
    return identity.Identity(**values)


def test_the_fingerprint_changes_with_unit_code_role_and_point_list_but_not_with_their_order():
    office = _office()
    assert office.confirmation != office.fingerprint
    assert _office(points=("PHUTHANH-01", "MYHOA-01")).confirmation == office.confirmation
    for other in (_office(unit_code="LX-CA2"), _office(role="point"), _office(points=("MYHOA-01",)),
                  _office(points=("MYHOA-01", "PHUTHANH-01", "MYTHOI-01"))):
        assert other.confirmation != office.confirmation
        assert other.fingerprint == office.fingerprint        # the same keys: bundle headers name them alike
    assert _office(unit_name="Tên khác").confirmation == office.confirmation   # names are shown, not trusted
    # The spelling is the version 1 one: 8 groups of 4 Crockford base-32 characters.
    groups = office.confirmation.split(" ")
    assert len(groups) == 8 and all(len(g) == 4 and set(g) <= set(identity.ALPHABET) for g in groups)


def test_an_edited_key_file_does_not_match_the_fingerprint_read_aloud(register):
    office = _office()
    spoken = office.confirmation.lower().replace(" ", "-")
    document = json.loads(office.to_bytes())
    assert document["version"] == 2 and document["key_fingerprint"] == office.fingerprint
    for field, value in (("unit_code", "KHAC-CA"), ("role", "point"), ("points", ["MYHOA-01", "KHAC-01"])):
        edited = identity.identity_from_bytes(json.dumps({**document, field: value}).encode())
        with pytest.raises(identity.FingerprintMismatch):
            identity.pin(register, edited, spoken)
    # Nor is the key fingerprint alone enough for a version 2 file.
    with pytest.raises(identity.FingerprintMismatch):
        identity.pin(register, identity.identity_from_bytes(office.to_bytes()), office.fingerprint)
    pinned = identity.pin(register, identity.identity_from_bytes(office.to_bytes()), spoken)
    assert identity.trusted(register.conn, office.fingerprint).confirmation == pinned.confirmation


def test_version_1_key_files_are_still_read_and_confirmed_with_the_key_fingerprint(register):
    office = _office()
    old = json.loads(office.to_bytes())
    old = {k: v for k, v in old.items() if k not in ("key_fingerprint", "point_names")}
    old.update(version=1, fingerprint=office.fingerprint)
    read = identity.identity_from_bytes(json.dumps(old).encode())
    assert read.version == 1 and read.confirmation == office.fingerprint
    identity.pin(register, read, office.fingerprint.lower())
    kept = identity.trusted(register.conn, office.fingerprint)
    assert kept.version == 1 and kept.points == office.points
    # Removing it works with either spelling people may have noted.
    assert identity.untrust(register, office.fingerprint).unit_code == "LX-CA"


def test_the_worked_example_of_the_bundle_format_page():
    """docs/bundle-format.md §14: both fingerprints of the example point's keys."""
    sign = identity.unb64("UImk0N2x4VSnLCl24A2ygIr77YFo/oPC/E4s7lfDR7U=")
    enc = identity.unb64("R3Sd+8Lt491Fep8NtoK4ziq4y8OqebIMNOtRJoknmSI=")
    assert identity.fingerprint(sign, enc) == "7A9B N18J SDQZ CG68 80AG 0JHZ 6X7N CA8K"
    assert identity.identity_fingerprint(sign, enc, "point", "MYHOA-01", []) == "6K4W EEEG XNM2 0XTP 6B9K P1RG 9TCP QDV6"
