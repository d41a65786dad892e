"""argparse's own words (usage, options, its error messages) in the language of the program.

argparse asks the standard `gettext` for them, which knows nothing of our catalog; it looks its `_`
and `ngettext` up when it speaks, so pointing them at ours is enough. The messages are listed here
so that `make i18n` extracts them (they are argparse's exact texts, Python 3.11–3.13)."""

from __future__ import annotations

import argparse

from app.core.i18n import N_, _, ngettext

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("%(prog)s: error: %(message)s\n"),
)


def _plural(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":  # argparse's one plural, written out for make i18n
        return ngettext("expected %s argument", "expected %s arguments", n)
    return ngettext(singular, plural, n)


def speak_our_language() -> None:
    argparse._ = _
    argparse.ngettext = _plural
