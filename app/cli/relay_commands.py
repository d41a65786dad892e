"""tuvan relay list | assign | remove: which units' records another office may bring here."""

from __future__ import annotations

from app.cli.context import emit, open_register
from app.core.i18n import _
from app.sync import merge, relay


def claim_lines(claims: list[relay.Claim]) -> list[str]:
    lines = []
    for c in claims:
        name = f"{c.point} {c.name}".strip()
        state = (_("accepted through {via}").format(via=c.assigned_to) if c.assigned_to
                 else _("not accepted"))
        line = _("  {unit}: listed by {offices}; {state}").format(
            unit=name, offices=", ".join(c.claimed_by) or "—", state=state)
        if c.disputed:
            line += "  " + _("(CLAIMED BY MORE THAN ONE OFFICE: check with them which one serves it)")
        if c.direct:
            line += "  " + _("(this office also receives its own bundles)")
        lines.append(line)
    return lines


def _json(claims: list[relay.Claim]) -> list[dict]:
    return [{"unit": c.point, "name": c.name, "claimed_by": list(c.claimed_by), "assigned_to": c.assigned_to,
             "direct": c.direct, "disputed": c.disputed} for c in claims]


def assign_and_retry(register, via: str, codes: list[str]) -> tuple[dict, int]:
    """Assign units to `via`, then apply the records of theirs it sent before (held until now)."""
    moved = relay.assign(register, via, codes) if codes else {}
    return moved, merge.retry_held(register, via).applied if codes else 0


def moved_lines(via: str, moved: dict, applied: int) -> list[str]:
    lines = []
    if moved:
        lines.append(_("Accepted as sending through {via}: {codes}").format(via=via, codes=", ".join(sorted(moved))))
    for code, before in sorted(moved.items()):
        if before:
            lines.append(_("  {code} no longer comes through {before}.").format(code=code, before=before))
    if applied:
        lines.append(_("{n} records held back from {code} were checked again and imported.").format(n=applied, code=via))
    return lines


def cmd_relay_list(args) -> int:
    with open_register(args) as register:
        found = relay.claims(register.conn)
    lines = [_("Units other offices say they serve:")] + claim_lines(found) if found else [
        _("No trusted office lists any unit.")]
    emit(args, {"units": _json(found)}, lines)
    return 0


def cmd_relay_assign(args) -> int:
    with open_register(args) as register:
        moved, applied = assign_and_retry(register, args.via, args.units)
    emit(args, {"via": args.via, "moved_from": moved, "held_imported": applied}, moved_lines(args.via, moved, applied))
    return 0


def cmd_relay_remove(args) -> int:
    with open_register(args) as register:
        removed = relay.unassign(register, args.units)
    emit(args, {"removed": removed}, [_("No longer accepted from another office: {codes}").format(
        codes=", ".join(removed) or "—")])
    return 0


def add_parsers(cli) -> None:
    group = cli.group("relay", _("units whose records another office may bring here (office)"))
    cli.command("list", cmd_relay_list, _("list the units trusted offices serve, and who is accepted for each"), group)
    assign = cli.command("assign", cmd_relay_assign, _("accept an office as the sender of these units' records"), group)
    assign.add_argument("--via", required=True, help=_("the sending office's unit code"))
    assign.add_argument("units", nargs="+", metavar="UNIT", help=_("unit codes"))
    remove = cli.command("remove", cmd_relay_remove, _("stop accepting these units' records from another office"), group)
    remove.add_argument("units", nargs="+", metavar="UNIT", help=_("unit codes"))
