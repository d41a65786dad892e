"""What every command needs: passphrases, the register, printing results."""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

from app.core.errors import NeedPassphrase, PassphraseMismatch, UserError
from app.core.i18n import N_, _
from app.store.register import Register, unlock

class FileMissing(UserError):
    template = N_("The file {path} does not exist. Check the name and the drive.")


def chosen_text(file: str | None) -> str:
    """The text of a file an administrator names with --file (form, law, mapping); "" without one."""
    if not file:
        return ""
    path = Path(file)
    if not path.is_file():
        raise FileMissing(path=path)
    return path.read_text(encoding="utf-8")


PASSPHRASE_ENV = "TUVAN_PASSPHRASE"
NEW_PASSPHRASE_ENV = "TUVAN_NEW_PASSPHRASE"


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def passphrase(prompt: str | None = None) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        return value
    if not _interactive():
        raise NeedPassphrase()
    return getpass.getpass(prompt or _("Passphrase: "))


def new_passphrase(*, fallback_env: str | None = None) -> str:
    """A new passphrase from TUVAN_NEW_PASSPHRASE (or `fallback_env`), or asked twice."""
    for name in (NEW_PASSPHRASE_ENV, fallback_env):
        if name and os.environ.get(name) is not None:
            return os.environ[name]
    if not _interactive():
        raise NeedPassphrase()
    first = getpass.getpass(_("New passphrase: "))
    if getpass.getpass(_("New passphrase again: ")) != first:
        raise PassphraseMismatch()
    return first


def open_register(args) -> Register:
    return unlock(args.register, args.user, passphrase())


def emit(args, summary: dict, lines: list[str]) -> None:
    """Print `lines` for people, or `summary` as JSON with --json."""
    if getattr(args, "json", False):
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
    else:
        for line in lines:
            print(line)


class CommandBuilder:
    """Adds subcommands that share the common options (--register, --user, --json, --lang)."""

    def __init__(self, subparsers, common) -> None:
        self._subparsers = subparsers
        self._common = common

    def command(self, name: str, handler, help_text: str, parent=None):
        sub = (parent or self._subparsers).add_parser(
            name, parents=[self._common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    def group(self, name: str, help_text: str):
        """A command with actions of its own (`tuvan users add`); returns where to add them."""
        parser = self._subparsers.add_parser(name, help=help_text, description=help_text)
        return parser.add_subparsers(dest=f"{name}_action", metavar=_("ACTION"), required=True)
