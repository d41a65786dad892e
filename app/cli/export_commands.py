"""tuvan export-client: everything held about one client, for a data-subject request."""

from __future__ import annotations

from pathlib import Path

from app.cli.context import emit, open_register
from app.core.errors import UserError
from app.core.i18n import N_, _
from app.reports import subject_export
from app.store import clients
from app.store.files import write_atomic


class ClientNotFound(UserError):
    template = N_("No client has the record code or id {client}. Find it with 'tuvan search'.")


def find_client(conn, code_or_id: str) -> str:
    """A client's id from its id or its record code (any letter case), deleted files included."""
    client_id = clients.find_id(conn, code_or_id)
    if client_id is None:
        raise ClientNotFound(client=code_or_id)
    return client_id


def cmd_export_client(args) -> int:
    out = Path(args.out)
    fmt = args.format or ("json" if out.suffix.lower() == ".json" else "pdf")
    with open_register(args) as register:
        client_id = find_client(register.conn, args.client)
        result = subject_export.export(register, client_id, fmt)
    write_atomic(out, result.content, mode=0o600)  # personal data: readable by this user only
    client = result.data["client"]
    emit(args, {"path": str(out), "format": fmt, "client_id": client["id"], "code": client["code"],
                "bytes": len(result.content), "counts": result.counts()},
         [str(out), _("The file holds sensitive personal data without encryption: "
                      "hand it to the person, then delete it.")])
    return 0


def add_parsers(cli) -> None:
    command = cli.command("export-client", cmd_export_client,
                          _("export everything held about one client (data-subject request), as PDF or JSON"))
    command.add_argument("--client", required=True, help=_("the client's record code or id"))
    command.add_argument("--format", choices=subject_export.FORMATS,
                         help=_("pdf or json (default: from the file name, else pdf)"))
    command.add_argument("--out", required=True, help=_("the file to write"))
