"""In-app help: one Markdown page per screen, shown in a small window beside the program.

The pages are resources, not code: resources/help/<key>.<language>.md, where <key>
is a screen key of the main window (SCREENS), "unlock" or "setup". A page starts
with a level-1 heading, the screen's name in that language. A line
`<!-- part: NAME -->` marks where a part begins (e.g. the receiving office's part
of the Sync page); the window can open a page at a part. A link `help:<key>`
opens another page in the same window.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from app.core.i18n import N_, _, current_language
from app.core.paths import resources

# Pages that are not screens of the main window; their first heading is this title.
PAGE_TITLES = {"unlock": N_("Unlocking the register"), "setup": N_("Creating a register")}
HELP_KEY = QKeySequence(Qt.Key.Key_F1)
_PART = re.compile(r"^<!--\s*part:\s*([\w-]+)\s*-->\s*$")


def help_folder() -> Path:
    return resources() / "help"


def help_file(key: str, language: str | None = None) -> Path:
    return help_folder() / f"{key}.{language or current_language()}.md"


def read_help(key: str, language: str | None = None) -> str | None:
    """The page's Markdown text, or None when the file is missing or unreadable."""
    try:
        return help_file(key, language).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def part_heading(markdown: str, part: str) -> str | None:
    """The text of the first heading after the line `<!-- part: <part> -->`."""
    lines = markdown.splitlines()
    for number, line in enumerate(lines):
        match = _PART.match(line.strip())
        if match and match.group(1) == part:
            for following in lines[number + 1:]:
                if following.startswith("#"):
                    return following.lstrip("#").strip()
    return None


def missing_page(key: str) -> str:
    return "# {title}\n\n{text}\n".format(title=_("Help"), text=_(
        "The help page for this screen was not found ({file}). The program itself works as usual; "
        "the installation may be incomplete.").format(file=help_file(key).name))


class HelpWindow(QWidget):
    """A small non-modal window that shows one help page at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("help_window")
        self.key: str | None = None
        self.browser = QTextBrowser()
        self.browser.setObjectName("help_text")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(row)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.resize(620, 680)

    def show_page(self, key: str, part: str | None = None) -> None:
        markdown = read_help(key)
        self.key = key
        self.browser.setMarkdown(markdown if markdown is not None else missing_page(key))
        self._space_headings()
        title = self.browser.document().firstBlock().text()
        self.setWindowTitle(_("Help: {page}").format(page=title))
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        self.show()
        self.raise_()
        self.activateWindow()
        heading = part_heading(markdown, part) if markdown and part else None
        if heading:  # once the page is laid out at the window's width
            QTimer.singleShot(0, lambda: self._scroll_to(heading))

    def _space_headings(self) -> None:
        """Qt's Markdown import puts no space above headings; give them some, as a page would."""
        cursor = QTextCursor(self.browser.document())
        block = self.browser.document().firstBlock()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level and block.position() > 0:
                cursor.setPosition(block.position())
                fmt = block.blockFormat()
                fmt.setTopMargin(14 if level <= 2 else 10)
                fmt.setBottomMargin(4)
                cursor.setBlockFormat(fmt)
            block = block.next()

    def _scroll_to(self, heading: str) -> None:
        """Bring the heading to the top: go to the end, then back to it, so it is shown first."""
        block = self.browser.document().firstBlock()
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text().strip() == heading:
                self.browser.moveCursor(QTextCursor.MoveOperation.End)
                cursor = self.browser.textCursor()
                cursor.setPosition(block.position())
                self.browser.setTextCursor(cursor)
                self.browser.ensureCursorVisible()
                return
            block = block.next()

    def _follow(self, url: QUrl) -> None:
        if url.scheme() == "help":
            self.show_page(url.path())
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


def show_help(parent: QWidget, key: str, part: str | None = None) -> HelpWindow:
    """Open (or bring forward) the help window of `parent` at the page `key`."""
    window = parent.findChild(HelpWindow, "help_window", Qt.FindChildOption.FindDirectChildrenOnly)
    if window is None:
        window = HelpWindow(parent)
    window.show_page(key, part)
    return window


def help_button(on_click: Callable[[], None]) -> QPushButton:
    """The "? Help" button; F1 does the same (the caller adds the shortcut)."""
    button = QPushButton("?  " + _("Help"))
    button.setObjectName("help_button")
    button.setToolTip(_("Help for this screen (F1)"))
    button.clicked.connect(on_click)
    return button


def add_help_key(widget: QWidget, on_press: Callable[[], None]) -> QShortcut:
    """F1 anywhere in `widget`'s window opens its help."""
    shortcut = QShortcut(HELP_KEY, widget)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(on_press)
    return shortcut
