"""What every command needs: passphrases, the register, printing results."""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

import platformdirs

from app.core.errors import NeedPassphrase, PassphraseMismatch
from app.core.i18n import _
from app.store.register import Register, unlock

PASSPHRASE_ENV = "TUVAN_PASSPHRASE"
NEW_PASSPHRASE_ENV = "TUVAN_NEW_PASSPHRASE"


def default_register() -> Path:
    return Path(platformdirs.user_data_dir("TuVan", appauthor=False)) / "register"


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
