"""Render resources/icons/tuvan.svg to the PNG sizes and the Windows .ico the packages use.

    .venv/bin/python packaging/make_icons.py

The outputs are committed; run this again only after changing the SVG. Needs PySide6 (QtSvg) and
Pillow (a reportlab dependency, so both are in the project's environment).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
PNG_SIZES = (48, 128, 256)                       # desktop entry / hicolor theme sizes
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)  # Windows: taskbar, Start menu, Explorer


def render(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "tuvan.svg"))
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 (QImage needs it)
    for size in PNG_SIZES:
        (ICONS / f"tuvan-{size}.png").write_bytes(render(size))
    images = [Image.open(io.BytesIO(render(size))) for size in ICO_SIZES]
    images[-1].save(ICONS / "tuvan.ico", format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=images[:-1])
    for path in sorted(ICONS.glob("tuvan*")):
        print(f"{path.name:<16} {path.stat().st_size:>7} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
