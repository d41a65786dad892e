"""tuvan search"""

from __future__ import annotations

from app.cli.context import emit, open_register
from app.core.i18n import _
from app.core.vocab import CLIENT_GROUPS
from app.store import search


def cmd_search(args) -> int:
    with open_register(args) as register:
        hits = search.search(register.conn, args.text, limit=args.limit)
        total = search.count(register.conn, args.text)
    emit(
        args,
        {"total": total, "clients": [hit.__dict__ for hit in hits]},
        [f"{hit.code:<16} {hit.display_name:<36} {hit.birth_year}  {CLIENT_GROUPS.label(hit.main_group)}"
         for hit in hits]
        + ([_("… and {n} more; type more of the name.").format(n=total - len(hits))] if total > len(hits) else []),
    )
    return 0


def add_parsers(cli) -> None:
    found = cli.command("search", cmd_search, _("find clients by name, alias, code, phone or citizen ID"))
    found.add_argument("text", help=_("what to look for; diacritics do not matter"))
    found.add_argument("--limit", type=int, default=50, help=_("how many results"))
