"""Printing and saving the PDFs the program makes (rendered through QtPdf)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.i18n import _


MAX_DPI = 300
PREVIEW_DPI = 300


def render_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Paint every page of `pdf` on `printer`; returns the number of pages."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    pages = document.pageCount()
    painter = QPainter()
    if pages == 0 or not painter.begin(printer):
        return 0
    try:
        for index in range(pages):
            if index:
                printer.newPage()
            target = printer.pageRect(QPrinter.Unit.DevicePixel)
            size = document.pagePointSize(index)
            scale = min(target.width() / size.width(), target.height() / size.height())
            # Render at most 300 dpi: a 1200 dpi page image takes half a gigabyte and many seconds.
            render_scale = min(scale, MAX_DPI / 72)
            image = document.render(index, QSize(int(size.width() * render_scale), int(size.height() * render_scale)))
            painter.drawImage(QRectF(0, 0, size.width() * scale, size.height() * scale), image)
    finally:
        painter.end()
        document.close()
    return pages


def printers_set_up() -> bool:
    return bool(QPrinterInfo.availablePrinters())


def print_pdf(parent: QWidget, pdf: bytes, title: str) -> bool:
    if sys.platform == "win32" and not printers_set_up():
        # Windows' print dialog does not even open without a printer: the click would do nothing.
        QMessageBox.warning(parent, _("Tư Vấn"), _(
            "This computer has no printer set up, not even “Microsoft Print to PDF”. Add one in Windows' "
            "Settings (Printers & scanners), or save the document as a PDF and print it on another computer."))
        return False
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFullPage(True)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    return render_pdf(printer, pdf) > 0


def preview_dialog(parent: QWidget, pdf: bytes, title: str) -> tuple[QPrintPreviewDialog, QPrinter]:
    """A print preview of the pages of `pdf` (A4, full page: the PDF carries its own margins). The
    caller keeps the printer: QPrinter is no QObject, and the dialog does not keep it alive."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    # Pages are painted as images: 300 dpi prints sharp text, while the printer's own
    # resolution (up to 1200 dpi) would make an image of half a gigabyte per page.
    printer.setResolution(PREVIEW_DPI)
    printer.setDocName(title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowTitle(title)
    dialog.paintRequested.connect(lambda target: render_pdf(target, pdf))
    dialog.resize(1000, 720)
    return dialog, printer
