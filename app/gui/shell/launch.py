"""Start the GUI: `python -m app [--register R] [--login NAME] [--lang vi|en]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.core.i18n import LANGUAGES, _, set_language
from app.core.logs import setup_logging
from app.core.program_mark import mark_running
from app.store.machine_config import MachineConfig


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tuvan-gui")
    parser.add_argument("--register", help=_("register folder"))
    parser.add_argument("--login", default="", help=_("user name to fill in"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages: vi or en"))
    return parser.parse_args(argv)


def _fonts(app) -> None:
    """Vendored Liberation Sans: full Vietnamese even where the system fonts lack it."""
    from PySide6.QtGui import QFont, QFontDatabase

    from app.core.paths import font

    for name in ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationMono-Regular.ttf",
                 "LiberationMono-Bold.ttf"):
        QFontDatabase.addApplicationFont(str(font(name)))
    if sys.platform.startswith("linux"):
        app.setFont(QFont("Liberation Sans", 10))


def make_app(argv: list[str]):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Tư Vấn")
    app.setOrganizationName("TuVan")
    app.setDesktopFileName("tuvan")  # Wayland desktops match windows to the menu entry by this name
    _icon(app)
    _fonts(app)
    from app.gui.common import qt_texts

    qt_texts.install(app)  # Qt's own buttons and menus in the program's language
    return app


def _icon(app) -> None:
    from PySide6.QtGui import QIcon

    from app.core.paths import resources

    icon = QIcon()
    for size in (48, 128, 256):
        path = resources() / "icons" / f"tuvan-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    app.setWindowIcon(icon)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    mark_running()
    config = MachineConfig()
    args = _arguments(argv)
    set_language(args.lang or config["language"])
    setup_logging()
    app = make_app([])
    from app.store.machine_config import default_register
    from app.gui.shell.controller import AppController

    root = Path(args.register) if args.register else Path(config["last_register"] or default_register())
    controller = AppController(config, root, args.login)
    app.aboutToQuit.connect(controller.shutdown)
    if not controller.start():
        return 1
    if os.environ.get(EXIT_AFTER_START):
        _exit_after_start(app, controller)
    return app.exec()


# --- Test hook for the packaged-program smoke test (tests/packaging/test_dist_smoke.py) ------------
# TUVAN_EXIT_AFTER_START=unlock: start as usual; once the first window is shown print
# "ready: <window class>" (e.g. "ready: UnlockWindow"), then print a made-up recovery sheet through
# QtPdf to a PDF file ("qtpdf: <pages> page(s)"; the print path is not loaded by the first window,
# so a frozen build could otherwise hide a broken QtPdf or QtPrintSupport) and quit.
# Never set in normal use; prints nothing a user sees and touches no register.
EXIT_AFTER_START = "TUVAN_EXIT_AFTER_START"


def _exit_after_start(app, controller) -> None:
    from PySide6.QtCore import QTimer

    def report() -> None:
        code = 1
        try:
            window = controller.window
            shown = window is not None and window.isVisible()
            print(f"ready: {type(window).__name__ if shown else 'no window'}", flush=True)
            print(f"qtpdf: {_qtpdf_pages()} page(s)", flush=True)
            code = 0 if shown else 1
        finally:  # quit even when the check fails, so that a test never waits for a window
            app.exit(code)

    QTimer.singleShot(0, report)


def _qtpdf_pages() -> int:
    import tempfile
    from datetime import datetime, timezone

    from PySide6.QtPrintSupport import QPrinter

    from app.core.unit import make_unit
    from app.gui.common.printing import render_pdf
    from app.reports.recovery_sheet import recovery_sheet_pdf

    unit = make_unit("point", "SMOKE-01", "Điểm tư vấn thử")
    pdf = recovery_sheet_pdf(unit, "smoke", "AAAA-BBBB-CCCC-DDDD", datetime.now(timezone.utc))
    with tempfile.TemporaryDirectory(prefix="tuvan-smoke-") as folder:
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(Path(folder) / "smoke.pdf"))
        return render_pdf(printer, pdf)


if __name__ == "__main__":
    sys.exit(main())
