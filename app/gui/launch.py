"""Start the GUI: `python -m app [--register R] [--login NAME] [--lang vi|en]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.core.i18n import LANGUAGES, _, set_language
from app.core.logs import setup_logging
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
    _fonts(app)
    return app


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    config = MachineConfig()
    args = _arguments(argv)
    set_language(args.lang or config["language"])
    setup_logging()
    app = make_app([])
    from app.cli.context import default_register
    from app.gui.controller import AppController

    root = Path(args.register) if args.register else Path(config["last_register"] or default_register())
    controller = AppController(config, root, args.login)
    app.aboutToQuit.connect(controller.shutdown)
    controller.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
