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
from app.cli import (
    audit_commands, case_commands, escrow_commands, export_commands, import_commands, law_commands,
    register_commands, relay_commands, report_commands, sync_commands, user_commands,
)
from app.cli.argparse_text import speak_our_language
from app.cli.console import use_utf8_when_redirected
from app.core.program_mark import mark_running
from app.cli.context import CommandBuilder
from app.store.machine_config import default_register
from app.core.errors import UserError
from app.core.i18n import LANGUAGES, _, set_language
from app.core.logs import log_dir, setup_logging

log = logging.getLogger("tuvan")

# Each module adds its own subcommands (add_parsers) so commands stay beside their handlers.
COMMAND_MODULES = (register_commands, user_commands, audit_commands, case_commands, import_commands,
                   export_commands, report_commands, law_commands, sync_commands, relay_commands, escrow_commands)


def _language_from(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("TUVAN_LANG")


def build_parser() -> argparse.ArgumentParser:
    speak_our_language()
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
    parser.add_argument("--version", action="version", version=f"tuvan {__version__}",
                        help=_("show the program's version and exit"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages: vi or en"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), required=True)

    builder = CommandBuilder(commands, common)
    for module in COMMAND_MODULES:
        module.add_parsers(builder)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    use_utf8_when_redirected()
    mark_running()
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
