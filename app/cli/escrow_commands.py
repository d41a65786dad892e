"""tuvan escrow allow | withdraw | show (a point) and tuvan escrow rescue (its receiving office)"""

from __future__ import annotations

from pathlib import Path

from app.cli.context import emit, new_passphrase, open_register
from app.core.i18n import _
from app.sync import escrow


def _names(offices) -> str:
    return ", ".join(f"{o.unit_name or o.unit_code} ({o.unit_code})" for o in offices)


def cmd_escrow_allow(args) -> int:
    with open_register(args) as register:
        offices = escrow.allow(register)
    emit(args, {"offices": [o.unit_code for o in offices]},
         [_("Allowed: {offices} can give this register's administrator a new passphrase if every passphrase "
            "and the recovery sheet are lost.").format(offices=_names(offices))])
    return 0


def cmd_escrow_withdraw(args) -> int:
    with open_register(args) as register:
        escrow.withdraw(register)
    emit(args, {"offices": []}, [_("Withdrawn: no office can open this register's key any more.")])
    return 0


def cmd_escrow_show(args) -> int:
    with open_register(args) as register:
        offices = escrow.offices(register)
    emit(args, {"offices": [o.unit_code for o in offices]},
         [_("Offices that can help: {offices}").format(offices=_names(offices)) if offices
          else _("No office can help: escrow is not allowed (tuvan escrow allow).")])
    return 0


def cmd_escrow_rescue(args) -> int:
    secret = new_passphrase()
    with open_register(args) as register:
        result = escrow.rescue(register, Path(args.slots), secret, Path(args.out) if args.out else None,
                               args.for_user)
    emit(args, {"register_id": result.register_id, "unit_code": result.unit_code, "slots": str(result.out)},
         [_("Done for {unit}: {path} now opens with the temporary passphrase for the point's administrator.").format(
             unit=result.unit_code or result.register_id, path=result.out),
          _("Copy it back into the point's register folder (replacing keyslots.json) while the program is closed; "
            "the administrator must then choose a new passphrase (Settings → My passphrase).")])
    return 0


def add_parsers(cli) -> None:
    actions = cli.group("escrow", _("let the receiving office help when every passphrase is lost"))
    cli.command("allow", cmd_escrow_allow, _("seal this point's key to its trusted receiving office (administrators)"),
                actions)
    cli.command("withdraw", cmd_escrow_withdraw, _("remove the escrow slot"), actions)
    cli.command("show", cmd_escrow_show, _("which offices can help"), actions)
    rescue = cli.command("rescue", cmd_escrow_rescue, _(
        "at the office: give a point's administrator a temporary passphrase (from TUVAN_NEW_PASSPHRASE)"), actions)
    rescue.add_argument("--slots", required=True, metavar="FILE", help=_("the point's keyslots.json"))
    rescue.add_argument("--out", metavar="FILE", help=_("where to write the changed file (default: over FILE)"))
    rescue.add_argument("--for-user", metavar="LOGIN", help=_("the point's user to rescue (default: its first administrator)"))
