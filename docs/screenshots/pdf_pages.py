"""One page of a PDF the program makes, saved as a picture of the paper (used by the screenshot scripts)."""

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument


def pdf_page(pdf: bytes, path: Path, page: int = 0, width: int = 900) -> None:
    """Page `page` of `pdf`, `width` pixels wide, white on a thin grey border, written to `path`."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    size = document.pagePointSize(page)
    image = document.render(page, QSize(width, int(width * size.height() / size.width())))
    framed = QImage(image.width() + 2, image.height() + 2, QImage.Format.Format_RGB32)
    framed.fill(QColor("#9e9e9e"))
    painter = QPainter(framed)
    painter.fillRect(1, 1, image.width(), image.height(), QColor("white"))
    painter.drawImage(1, 1, image)
    painter.end()
    document.close()
    framed.save(str(path))
    print(path)
