"""One gettext catalog for core, store, reports, CLI and GUI.

Message ids are English; Vietnamese is the default language and has a
complete catalog (a test checks that every message id is translated).
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

DOMAIN = "tuvan"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"  # replaced by Vietnamese at the end of this module


def set_language(language: str | None) -> str:
    """Switch the process language; unknown or empty falls back to Vietnamese."""
    global _translations, _language
    language = (language or "").strip().lower()[:2] or DEFAULT_LANGUAGE
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _translations = _catalog(language)
    _language = language
    return language


@functools.cache
def _catalog(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(locale_dir()), languages=[language], fallback=True)


def translate_to(language: str, message: str) -> str:
    """`message` in a given language, without switching the process language."""
    return _catalog(language).gettext(message)


def locale_dir() -> Path:
    from app.core.paths import resources

    return resources() / "locale"


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


class Translatable(str):
    """A message id marked with N_(): translated when it is shown, not when defined."""


def N_(message: str) -> Translatable:
    """Mark a string for extraction; translate later with _()."""
    return Translatable(message)


set_language(DEFAULT_LANGUAGE)


def number(value: int) -> str:
    """A count as people write it: 190.000 in Vietnamese, 190,000 in English."""
    text = f"{value:,}"
    return text if current_language() == "en" else text.replace(",", ".")
