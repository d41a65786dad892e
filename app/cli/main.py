"""Entry point of `tuvan`: parse, run one command, map errors to exit codes.

Exit codes: 0 success; 1 a user error, with one line on stderr; 2 a failed
check or a rejected bundle.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from app import __version__
from app.cli import audit_commands, register_commands, user_commands
from app.cli.context import default_register
from app.core.errors import UserError
from app.core.i18n import LANGUAGES, _, set_language
from app.core.logs import log_dir, setup_logging

log = logging.getLogger("tuvan")


def _language_from(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("TUVAN_LANG")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--register", default=str(default_register()),
                        help=_("register folder (default: %(default)s)"))
    common.add_argument("--user", help=_("user name whose passphrase is given (default: the first administrator)"))
    common.add_argument("--json", action="store_true", help=_("print the summary as JSON"))
    common.add_argument("--lang", choices=LANGUAGES, help=_("language of messages: vi or en"))

    parser = argparse.ArgumentParser(
        prog="tuvan",
        description=_("Tư Vấn: the encrypted case register of a consultation point. "
                      "The passphrase is read from TUVAN_PASSPHRASE or asked for."),
    )
    parser.add_argument("--version", action="version", version=f"tuvan {__version__}")
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages: vi or en"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), required=True)

    def command(name, handler, help_text, parent=commands):
        sub = parent.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    init = command("init", register_commands.cmd_init, _("create a new register"))
    init.add_argument("--role", required=True, choices=("point", "district"), help=_("point or district"))
    init.add_argument("--code", required=True, help=_("unit code, e.g. MYHOA-01"))
    init.add_argument("--name", required=True, help=_("unit name"))
    init.add_argument("--office", help=_("name of the office that receives the reports"))
    init.add_argument("--full-name", help=_("full name of the first administrator"))
    init.add_argument("--recovery-sheet", metavar="PDF", help=_("also write the printable recovery sheet"))

    command("check", register_commands.cmd_check, _("check integrity, schema version and counts"))

    recover = command("recover", register_commands.cmd_recover,
                      _("set a new passphrase with the recovery key (new one from TUVAN_NEW_PASSPHRASE)"))
    recover.add_argument("--recovery-key", required=True, help=_("the key printed on the recovery sheet"))

    backup = command("backup", register_commands.cmd_backup, _("write an encrypted backup"))
    backup.add_argument("--out", metavar="FILE", help=_("backup file (default: the register's backups folder, rotated)"))

    restore = command("restore", register_commands.cmd_restore,
                      _("restore a backup after checking it; the replaced register is kept"))
    restore.add_argument("--backup", required=True, metavar="FILE", help=_("backup file (.tvbak)"))
    restore.add_argument("--replace-other", action="store_true",
                         help=_("set aside a different register that is in the folder"))

    command("demo", register_commands.cmd_demo, _("create the demo register if it does not exist"))

    users = commands.add_parser("users", help=_("manage users"), description=_("manage users"))
    user_commands_parser = users.add_subparsers(dest="users_command", metavar=_("ACTION"), required=True)
    add = command("add", user_commands.cmd_users_add,
                  _("add a user (passphrase from TUVAN_NEW_PASSPHRASE)"), user_commands_parser)
    add.add_argument("login", help=_("user name"))
    add.add_argument("--full-name", help=_("full name"))
    add.add_argument("--role", default="counsellor", choices=("admin", "counsellor", "reporter"), help=_("role"))
    command("list", user_commands.cmd_users_list, _("list users"), user_commands_parser)
    passwd = command("passwd", user_commands.cmd_users_passwd,
                     _("set a new passphrase (from TUVAN_NEW_PASSPHRASE)"), user_commands_parser)
    passwd.add_argument("login", nargs="?", help=_("user name (default: yourself)"))
    set_role = command("set-role", user_commands.cmd_users_set_role, _("change a user's role"), user_commands_parser)
    set_role.add_argument("login", help=_("user name"))
    set_role.add_argument("role", choices=("admin", "counsellor", "reporter"), help=_("role"))
    set_role.add_argument("--deactivate", action="store_true", help=_("the user can no longer unlock"))

    audit = commands.add_parser("audit", help=_("audit log"), description=_("audit log"))
    audit_parser = audit.add_subparsers(dest="audit_command", metavar=_("ACTION"), required=True)
    command("verify", audit_commands.cmd_audit_verify, _("check the audit log's hash chain"), audit_parser)
    listing = command("list", audit_commands.cmd_audit_list, _("show the latest audit entries"), audit_parser)
    listing.add_argument("--limit", type=int, default=50, help=_("how many entries"))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_language_from(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    try:
        return args.handler(args) or 0
    except UserError as error:
        print(f"tuvan: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception:  # anything else is a bug: log it, say so briefly
        log.exception("unexpected error")
        print("tuvan: " + _("Unexpected error; details were written to the log file in {path}.").format(
            path=log_dir()), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
