"""Every PDF the program makes embeds every font it uses (no base-14 fonts): a print shop or an
archive (PDF/A) accepts it, and it prints the same everywhere."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timezone

import pytest

from app.core.unit import make_unit
from app.reports import subject_export
from app.reports.form_pdf import form_pdf
from app.reports.monthly import monthly_report
from app.reports.recovery_sheet import recovery_sheet_pdf
from tests.conftest import poppler
from tests.integration.test_report_outputs import OCT, district, fill_october  # noqa: F401 (district: a fixture)
from tests.integration.test_subject_export import build_client

FONT = re.compile(rb"<<[^<>]*/Type\s*/Font\b[^<>]*>>")


def fonts_not_embedded(pdf: bytes) -> list[str]:
    """The fonts of `pdf` that are not embedded, read from its font dictionaries (reportlab writes
    them uncompressed): a TrueType font points at a descriptor with its FontFile2; a Type1 font
    without a descriptor is one of the 14 standard fonts, which a PDF/A may not use."""
    missing = []
    for match in FONT.finditer(pdf):
        font = match.group()
        name = re.search(rb"/BaseFont\s*/([^\s/>]+)", font)
        if b"/FontDescriptor" not in font and b"/Subtype /Type0" not in font:
            missing.append((name.group(1) if name else b"?").decode())
    descriptors = re.findall(rb"<<[^<>]*/Type\s*/FontDescriptor\b[^<>]*>>", pdf)
    missing += [f"descriptor without a font file: {d[:60]!r}" for d in descriptors if b"/FontFile" not in d]
    return missing


def _pdffonts(pdf: bytes) -> list[list[str]]:
    """(name, type, …, emb, …) rows of poppler's pdffonts."""
    out = subprocess.run([poppler("pdffonts"), "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture
def pdfs(register, district):
    fill_october(register)
    built = build_client(register)
    unit = make_unit("point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa")
    return {
        "monthly form": form_pdf(monthly_report(register, OCT)),
        "office form": form_pdf(monthly_report(district, OCT)),
        "recovery sheet": recovery_sheet_pdf(unit, "admin", "AAAA-BBBB-CCCC-DDDD", datetime.now(timezone.utc)),
        "client file": subject_export.export_client(register, built["client"], "pdf"),
    }


def test_every_pdf_embeds_every_font_it_uses(pdfs):
    for what, pdf in pdfs.items():
        assert FONT.search(pdf), f"{what}: no font dictionary found (the check would see nothing)"
        assert fonts_not_embedded(pdf) == [], what


def test_pdffonts_agrees_every_font_is_embedded(pdfs):
    for what, pdf in pdfs.items():
        rows = _pdffonts(pdf)
        assert rows, what
        # Columns end with: emb sub uni object ID; so "emb" is the fifth from the end.
        assert [row[0] for row in rows if row[-5] != "yes"] == [], what


def test_the_check_sees_a_standard_font():
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    buffer = BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 72, "Helvetica")
    canvas.save()
    assert "Helvetica" in fonts_not_embedded(buffer.getvalue())
