"""Every message a user can see has a Vietnamese translation, and the .mo is current."""

import gettext
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.core.i18n import _, set_language

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "resources/locale/vi/LC_MESSAGES/tuvan.po"
MO = ROOT / "resources/locale/vi/LC_MESSAGES/tuvan.mo"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "app"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_source_message_has_a_vietnamese_translation():
    catalog = read_po(PO.open("rb"), locale="vi")
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
    missing = sorted(_source_messages() - translated)
    assert not missing, "run `make i18n` and translate:\n" + "\n".join(missing)


def test_compiled_catalog_matches_the_po_file():
    catalog = read_po(PO.open("rb"), locale="vi")
    compiled = gettext.GNUTranslations(MO.open("rb"))
    stale = [m.id for m in catalog if m.id and isinstance(m.id, str) and compiled.gettext(m.id) != m.string]
    assert not stale, "run `make i18n` to recompile the .mo file"


def test_switching_language():
    assert set_language("en") == "en"
    assert _("Counsellor") == "Counsellor"
    assert set_language("vi") == "vi"
    assert _("Counsellor") == "Tư vấn viên"
    assert set_language("fr") == "vi"
