"""Receipts: the district signs "I have every change of point P up to N"; the point stops resending them.

A receipt also lists the records the office holds back (quarantine) with the rule each broke, so
the point can correct them; the corrected state goes with its next bundle.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.clock import utc_stamp
from app.core.i18n import N_
from app.core.roles import Permission
from app.store import bundle_log
from app.store.files import write_atomic
from app.sync import container, identity, quarantine
from app.sync.chain import chain_of
from app.sync.container import BundleRejected

RECEIPT_FORMAT = "tuvan-receipt"


@dataclass(frozen=True)
class Receipt:
    district: str
    point: str
    upto_change: int
    last_seq: int
    issued_at: str
    refused: int = 0          # records the office holds back (all of them, even beyond those listed)


def export_receipt(register, point: str, out: Path) -> Receipt:
    """Sign and write a receipt for `point` (district)."""
    register.require(Permission.CASE_WORK)
    keys = identity.own_keys(register)
    chain = chain_of(register.conn, point)
    if not chain.bundles:
        from app.sync.identity import UnknownPeer

        raise UnknownPeer(what=point)
    unit = register.unit()
    refused, total = quarantine.for_receipt(register.conn, point)
    receipt = Receipt(unit.code, point, chain.contiguous_upto, max(chain.bundles), utc_stamp(), total)
    header = {"format": RECEIPT_FORMAT, "version": 1,
              "issuer": {"unit_code": unit.code, "fingerprint": keys.fingerprint, "register_id": register.register_id},
              "point": point, "upto_change": receipt.upto_change, "last_seq": receipt.last_seq,
              "bundles": chain.bundles, "issued_at": receipt.issued_at, "payload": {"length": 0},
              "refused": refused, "refused_total": total}
    write_atomic(Path(out), container.write(header, keys.sign.sign), mode=0o600)
    with register.transaction():
        register.audit("receipt.export", "bundles_received", point, {"upto_change": receipt.upto_change})
    return receipt


def import_receipt(register, data: bytes, file: str) -> Receipt:
    """Verify a district's receipt for this point and remember it (point)."""
    register.require(Permission.CASE_WORK)
    box = container.read(data, file)
    header = box.header
    try:
        if header["format"] != RECEIPT_FORMAT or header["version"] != 1:
            raise ValueError
        fingerprint, point = header["issuer"]["fingerprint"], header["point"]
        upto, last_seq, issued = header["upto_change"], header["last_seq"], header["issued_at"]
        if not (isinstance(fingerprint, str) and isinstance(point, str) and isinstance(issued, str)
                and all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 2 ** 63 for n in (upto, last_seq))):
            raise ValueError
        # Receipts of earlier programs list no refusals: then the point's list is left as it is.
        refused = quarantine.receipt_entries(header["refused"]) if "refused" in header else None
        total = header.get("refused_total", len(refused or ()))
        if ("refused" in header and refused is None) or not (
                isinstance(total, int) and not isinstance(total, bool) and 0 <= total < 2 ** 63):
            raise ValueError
    except (KeyError, TypeError, ValueError):
        raise BundleRejected(file=file, reason=N_("it is not a Tư Vấn receipt")) from None
    issuer = identity.trusted(register.conn, fingerprint, include_inactive=False)
    if issuer is None or issuer.role != "district" or issuer.direction != "up":
        raise BundleRejected(file=file, reason=N_("it is signed by a key that is not trusted here "
                                                  "(import and confirm the sender's key first)"))
    if not issuer.verify(box.signature, box.signed_part):
        raise BundleRejected(file=file, reason=N_("its signature does not match the sender's key (changed or forged)"))
    if point != register.unit().code:
        raise BundleRejected(file=file, reason=N_("it is a receipt for another point"))
    sent = bundle_log.highest_sent_change(register.conn)
    if upto > sent:
        raise BundleRejected(file=file, reason=N_("it acknowledges changes this register never sent"))
    with register.transaction():
        bundle_log.add_receipt(register.conn, issuer.unit_code, upto, last_seq, issued, utc_stamp())
        if refused is not None:
            quarantine.store_refused(register.conn, issuer.unit_code, refused, issued)
        register.audit("receipt.import", "receipts", issuer.unit_code, {"upto_change": upto, "refused": total})
    return Receipt(issuer.unit_code, point, upto, last_seq, issued, total)


def latest_receipt(conn) -> Receipt | None:
    row = bundle_log.latest_receipt(conn)
    return Receipt(row[0], "", row[1], row[2], row[3]) if row else None
