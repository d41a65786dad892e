"""tuvan keys | trust | bundle | receipt"""

from __future__ import annotations

import json
from pathlib import Path

from app.cli.context import FileMissing, emit, open_register
from app.core.i18n import _
from app.core.unit import RegisterRole
from app.store.files import write_atomic
from app.reports.subject_fields import field_labels
from app.cli import relay_commands
from app.sync import chain, export, identity, merge, quarantine, receipts, relay


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise FileMissing(path=path) from None


def _existing(path: str) -> Path:
    """A bundle is read from its file as it is decrypted (any size takes a few megabytes)."""
    if not Path(path).is_file():
        raise FileMissing(path=path)
    return Path(path)


def cmd_keys_show(args) -> int:
    with open_register(args) as register:
        me = identity.own_identity(register)
        peers = identity.trusted_list(register.conn)
    emit(args, {"identity": me.to_dict(), "trusted": [p.to_dict() for p in peers]}, [
        _("This register: {unit} ({code}), {role}").format(unit=me.unit_name, code=me.unit_code,
                                                            role=RegisterRole(me.role).label),
        _("Fingerprint: {fingerprint}").format(fingerprint=me.confirmation),
        _("Trusted keys:"),
        *[f"  {p.unit_code:<14} {p.confirmation}  {p.unit_name} ({RegisterRole(p.role).label})" for p in peers],
    ])
    return 0


def cmd_keys_export(args) -> int:
    with open_register(args) as register:
        me = identity.own_identity(register)
    out = Path(args.out)
    write_atomic(out, me.to_bytes(), mode=0o644)
    emit(args, {"file": str(out), "fingerprint": me.confirmation}, [
        _("Key file written to {path}.").format(path=out),
        _("Read this fingerprint to the other office so they can check it: {fingerprint}").format(
            fingerprint=me.confirmation)])
    return 0


def cmd_keys_rotate(args) -> int:
    with open_register(args) as register:
        announcement = identity.rotate_keys(register)
        me = identity.own_identity(register)
    if args.out:
        write_atomic(Path(args.out), json.dumps(announcement, ensure_ascii=False).encode(), mode=0o644)
    emit(args, {"fingerprint": me.confirmation, "announcement": args.out}, [
        _("New keys made. New fingerprint: {fingerprint}").format(fingerprint=me.confirmation),
        _("The change is announced in the next bundle, signed with the old key.")])
    return 0


def cmd_keys_untrust(args) -> int:
    with open_register(args) as register:
        gone = identity.untrust(register, args.fingerprint)
    emit(args, {"unit_code": gone.unit_code, "fingerprint": gone.fingerprint},
         [_("No longer trusted: {code}, fingerprint {fingerprint}").format(code=gone.unit_code,
                                                                          fingerprint=gone.fingerprint)])
    return 0


def cmd_trust(args) -> int:
    with open_register(args) as register:
        data = _read(args.key)
        try:
            document = json.loads(data)
        except ValueError:
            document = None
        if isinstance(document, dict) and "statement" in document:
            peer = identity.follow_key_change(register, document)
        else:
            peer = identity.pin(register, identity.identity_from_bytes(data), args.fingerprint or "")
        moved, listed = {}, []
        if peer.role == "district":
            codes = ([c.strip() for c in args.points.split(",") if c.strip()] if args.points
                     else relay.unassigned_claims(register.conn, peer.unit_code) if args.all_points else [])
            moved = relay.assign(register, peer.unit_code, codes) if codes else {}
            listed = [c for c in relay.claims(register.conn) if peer.unit_code in c.claimed_by]
        # A refreshed key file may let held records through now.
        retried = merge.retry_held(register, peer.unit_code)
    lines = [_("Trusted: {unit} ({code}), fingerprint {fingerprint}").format(
        unit=peer.unit_name, code=peer.unit_code, fingerprint=peer.confirmation)]
    if listed:
        lines.append(_("It says it serves {n} units:").format(n=len(listed)))
        lines += relay_commands.claim_lines(listed)
        lines += relay_commands.moved_lines(peer.unit_code, moved, 0)
        if any(c.assigned_to != peer.unit_code for c in listed):
            lines.append(_("Records of a unit not accepted are held back. To accept: tuvan relay assign --via {code} "
                           "UNIT…").format(code=peer.unit_code))
    if retried.applied:
        lines.append(_("{n} records held back from {code} were checked again and imported.").format(
            n=retried.applied, code=peer.unit_code))
    emit(args, {"unit_code": peer.unit_code, "role": peer.role, "fingerprint": peer.confirmation,
                "key_fingerprint": peer.fingerprint, "accepted_units": sorted(moved),
                "held_imported": retried.applied, "still_held": retried.still_held}, lines)
    return 0


def cmd_bundle_export(args) -> int:
    with open_register(args) as register:
        made = export.export_bundles(register, Path(args.out))
    emit(args, {"bundles": [{"file": str(b.path), "seq": b.seq, "first_change": b.first_change,
                             "last_change": b.last_change, "counts": b.counts, "bytes": b.bytes} for b in made]},
         [_("Bundle {seq} written to {path}: changes {first}–{last}, {records} records.").format(
             seq=b.seq, path=b.path, first=b.first_change, last=b.last_change, records=sum(b.counts.values()))
          for b in made])
    return 0


def cmd_bundle_show(args) -> int:
    header = merge.show(_existing(args.file), Path(args.file).name)
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in sorted(header.items())
             if key not in ("recipients", "key_change")]
    lines += [_("recipient: {code} {fingerprint}").format(code=r.get("unit_code", "?"), fingerprint=r.get("fingerprint"))
              for r in header.get("recipients", []) if isinstance(r, dict)]
    emit(args, {k: v for k, v in header.items() if k != "key_change"}, lines)
    return 0


def _plan_lines(plan) -> list[str]:
    lines = [_("{file}: bundle {seq} from {point} ({name})").format(
        file=plan.file, seq=plan.seq, point=plan.sender_code, name=plan.unit_name)]
    for table, c in sorted(plan.counts.items()):
        lines.append(_("  {table:<22} new {new:>6}  updated {updated:>6}  unchanged {unchanged:>6}  rejected {rejected:>4}")
                     .format(table=table, new=c.new, updated=c.updated, unchanged=c.unchanged, rejected=c.rejected))
    lines += [f"  ! {_refusal_text(r)}" for r in plan.refused[:merge.REJECTED_SHOWN]]
    for pair in plan.duplicates[:20]:
        lines.append(_("  possibly the same person: {a} ({pa}) and {b} ({pb})").format(
            a=pair.incoming["full_name"], pa=pair.incoming["origin"], b=pair.existing["full_name"],
            pb=pair.existing["origin"]))
    return lines


def cmd_bundle_import(args) -> int:
    summaries, lines = [], []
    with open_register(args) as register:
        for file in args.files:
            plan = merge.plan_import(register, _existing(file), Path(file).name)
            lines += _plan_lines(plan)
            summary = {"file": file, "sender": plan.sender_code, "seq": plan.seq, "status": plan.status,
                       "counts": {t: c.__dict__ for t, c in plan.counts.items()}, "problems": plan.problems,
                       "duplicates": len(plan.duplicates)}
            if not args.dry_run:
                result = merge.apply_import(register, plan, accept_fork=args.accept_fork)
                summary["applied"] = result.applied
                summary["held"] = plan.rejected if result.applied else 0
                if not result.applied:
                    lines.append(_("  already imported: nothing to do"))
                elif plan.rejected:
                    lines.append(_("  imported; {n} records held back (they break a rule): see `tuvan bundle held`, "
                                   "the receipt tells the sender").format(n=plan.rejected))
                else:
                    lines.append(_("  imported"))
            summaries.append(summary)
        gaps = [c for c in chain.all_chains(register.conn) if c.missing_bundles or c.open_alarms]
    for c in gaps:
        if c.missing_bundles:
            lines.append(_("Bundles missing from {point}: {seqs}").format(
                point=c.point, seqs=", ".join(map(str, c.missing_bundles))))
        for alarm in c.open_alarms:
            lines.append(_("ALARM: bundle {seq} from {point} arrived twice with different contents").format(
                seq=alarm["seq"], point=c.point))
    emit(args, {"bundles": summaries, "dry_run": args.dry_run}, lines)
    return 0


def _refusal_text(refusal) -> str:
    return _("{table} {id}: {rule}").format(table=refusal.table, id=refusal.record_id or "?",
                                             rule=refusal.rule(field_labels(refusal.table)))


def cmd_bundle_held(args) -> int:
    with open_register(args) as register:
        entries = quarantine.held(register.conn, args.point, include_resolved=args.all)
    if args.csv:
        quarantine.write_csv(entries, Path(args.csv), field_labels)
    lines = [_("{n} records held back.").format(n=sum(1 for e in entries if not e.resolved_at))]
    for entry in entries:
        state = _("corrected {when}").format(when=entry.resolved_at[:10]) if entry.resolved_at else _("held")
        lines.append(_("  {sender} bundle {seq}, {state}: {text}").format(
            sender=entry.sender, seq=entry.seq, state=state, text=_refusal_text(entry.refusal)))
    if args.csv:
        lines.append(_("List written to {path}.").format(path=args.csv))
    emit(args, {"held": [{"sender": e.sender, "seq": e.seq, "table": e.refusal.table, "id": e.refusal.record_id,
                          "origin": e.refusal.origin, "field": e.refusal.field, "reason": str(e.refusal.reason),
                          "rule": e.refusal.rule(field_labels(e.refusal.table)), "what_to_do": e.refusal.advice(),
                          "received_at": e.received_at, "resolved_at": e.resolved_at} for e in entries]}, lines)
    return 0


def cmd_bundle_retry(args) -> int:
    with open_register(args) as register:
        done = merge.retry_held(register, args.point)
    emit(args, done.__dict__, [_("{applied} held records now pass and were imported; {held} are still held.").format(
        applied=done.applied, held=done.still_held)])
    return 0


def cmd_bundle_refused(args) -> int:
    with open_register(args) as register:
        entries = quarantine.refused_here(register.conn)
    lines = [_("The receiving office holds back {n} records of this point.").format(n=len(entries))]
    for entry in entries:
        lines.append("  " + _refusal_text(entry.refusal))
        lines.append("    " + (_("corrected here: goes with the next bundle") if entry.corrected
                               else entry.refusal.advice()))
    emit(args, {"refused": [{"office": e.district, "table": e.refusal.table, "id": e.refusal.record_id,
                             "field": e.refusal.field, "reason": str(e.refusal.reason),
                             "rule": e.refusal.rule(field_labels(e.refusal.table)), "corrected": e.corrected}
                            for e in entries]}, lines)
    return 0


def cmd_receipt_export(args) -> int:
    with open_register(args) as register:
        made = receipts.export_receipt(register, args.point, Path(args.out))
    emit(args, made.__dict__, [_("Receipt for {point}: every change up to {n} (bundle {seq}). Written to {path}.")
                               .format(point=made.point, n=made.upto_change, seq=made.last_seq, path=args.out)])
    return 0


def cmd_receipt_import(args) -> int:
    with open_register(args) as register:
        got = receipts.import_receipt(register, _read(args.file), Path(args.file).name)
    lines = [_("{district} has every change up to number {n}.").format(district=got.district, n=got.upto_change)]
    if got.refused:
        lines.append(_("It holds back {n} records that break a rule: see `tuvan bundle refused`, correct them, "
                       "and they go with the next bundle.").format(n=got.refused))
    emit(args, got.__dict__, lines)
    return 0


def add_parsers(cli) -> None:
    keys = cli.group("keys", _("this register's keys"))
    cli.command("show", cmd_keys_show, _("show this register's key fingerprint and the trusted keys"), keys)
    out = cli.command("export", cmd_keys_export, _("write this register's public key file"), keys)
    out.add_argument("--out", required=True, metavar="FILE", help=_("key file to write (.tvkey)"))
    rotate = cli.command("rotate", cmd_keys_rotate, _("make new keys (announced with the old key)"), keys)
    rotate.add_argument("--out", metavar="FILE", help=_("also write the signed announcement"))

    untrust = cli.command("untrust", cmd_keys_untrust, _("stop trusting a key (it is never trusted again)"), keys)
    untrust.add_argument("--fingerprint", required=True, help=_("the fingerprint of the key to remove"))

    trust = cli.command("trust", cmd_trust, _("trust another office's key after checking its fingerprint"))
    trust.add_argument("--key", required=True, metavar="FILE", help=_("the other office's key file"))
    trust.add_argument("--fingerprint", help=_("the fingerprint the other office read to you"))
    trust.add_argument("--points", metavar="UNITS", help=_("an office's key: accept these of the units it lists "
                                                            "(comma-separated) as sending through it"))
    trust.add_argument("--all-points", action="store_true",
                       help=_("an office's key: accept every unit it lists that no other office claims"))

    bundle = cli.group("bundle", _("sync bundles"))
    made = cli.command("export", cmd_bundle_export, _("write the changes the district does not have yet"), bundle)
    made.add_argument("--out", required=True, metavar="PATH", help=_("a folder, or a .tvb file name"))
    shown = cli.command("show", cmd_bundle_show, _("show a bundle's header (no key needed)"), bundle)
    shown.add_argument("file", help=_("bundle file (.tvb)"))
    taken = cli.command("import", cmd_bundle_import, _("check and import bundles (district)"), bundle)
    taken.add_argument("files", nargs="+", metavar="FILE", help=_("bundle files (.tvb)"))
    taken.add_argument("--dry-run", action="store_true", help=_("only show what would change"))
    taken.add_argument("--accept-fork", action="store_true",
                       help=_("import a bundle whose number arrived before with other contents"))

    held = cli.command("held", cmd_bundle_held, _("list the records held back from bundles (office)"), bundle)
    held.add_argument("--point", help=_("only those from this unit"))
    held.add_argument("--all", action="store_true", help=_("also those corrected since"))
    held.add_argument("--csv", metavar="FILE", help=_("also write the list as CSV for a spreadsheet"))
    retry = cli.command("retry", cmd_bundle_retry, _("check the records held back from a unit again (office)"), bundle)
    retry.add_argument("--point", required=True, help=_("the unit's code"))
    cli.command("refused", cmd_bundle_refused, _("list this point's records the office holds back (point)"), bundle)

    receipt = cli.group("receipt", _("receipts"))
    given = cli.command("export", cmd_receipt_export, _("sign a receipt for a point (district)"), receipt)
    given.add_argument("--point", required=True, help=_("the point's unit code"))
    given.add_argument("--out", required=True, metavar="FILE", help=_("receipt file (.tvr)"))
    got = cli.command("import", cmd_receipt_import, _("import the district's receipt (point)"), receipt)
    got.add_argument("file", help=_("receipt file (.tvr)"))
