"""tuvan audit verify | list"""

from __future__ import annotations

from app.cli.context import emit, open_register
from app.core.errors import CheckFailed
from app.core.i18n import _
from app.core.roles import Permission
from app.core.vocab import AUDIT_ACTIONS
from app.store import audit
from app.store.holdings import table_label


def cmd_audit_verify(args) -> int:
    with open_register(args) as register:
        report = audit.verify(register.conn)
    emit(
        args,
        {"ok": report.ok, "entries": report.entries, "first_broken": report.first_broken, "head": report.head},
        [
            _("Audit log: {n} entries, chain intact.").format(n=report.entries)
            if report.ok
            else _("Audit log: chain broken at entry {seq}.").format(seq=report.first_broken)
        ],
    )
    if not report.ok:
        raise CheckFailed(detail=_("audit log chain broken at entry {seq}").format(seq=report.first_broken))
    return 0


def cmd_audit_list(args) -> int:
    with open_register(args) as register:
        register.require(Permission.VERIFY_AUDIT)
        entries = audit.recent(register.conn, args.limit)
    emit(args, {"entries": entries},
         [f"{e['seq']:>6} {e['at'][:19]} {e['login'] or '-':<12} {AUDIT_ACTIONS.label(e['action'])}"
          + (f" · {table_label(e['entity'])} {e['entity_id'] or ''}" if e["entity"] else "")
          for e in entries])
    return 0


def add_parsers(cli) -> None:
    actions = cli.group("audit", _("audit log"))
    cli.command("verify", cmd_audit_verify, _("check the audit log's hash chain"), actions)
    listing = cli.command("list", cmd_audit_list, _("show the latest audit entries"), actions)
    listing.add_argument("--limit", type=int, default=50, help=_("how many entries"))
