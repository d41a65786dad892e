"""In-app help: a page for every screen in both languages, opened with F1, the Help button and the menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWizard

from app.core.i18n import LANGUAGES, set_language, translate_to
from app.gui.shell import help_window
from app.gui.shell.help_window import PAGE_TITLES, HelpWindow, help_folder
from app.gui.shell.main_window import SCREENS
from tests.gui.conftest import unlock_as

PAGES = {**{screen.key: screen.label for screen in SCREENS}, **PAGE_TITLES}


def _first_heading(window: HelpWindow) -> tuple[int, str]:
    block = window.browser.document().firstBlock()
    return block.blockFormat().headingLevel(), block.text()


def _open_help(qtbot, parent) -> HelpWindow:
    qtbot.waitUntil(lambda: parent.findChild(HelpWindow) is not None and parent.findChild(HelpWindow).isVisible())
    return parent.findChild(HelpWindow)


def _press_f1(qtbot, widget) -> None:
    """F1 in a field of a window that has the focus again (as after closing the help window)."""
    window = widget.window()
    window.activateWindow()
    # A real window system (Qt's `windows` platform) tells Qt's window and the focus window apart,
    # each when the system says so: keys go to the focus window.
    qtbot.waitUntil(lambda: window.isActiveWindow() and QGuiApplication.focusWindow() is window.windowHandle())
    qtbot.keyClick(widget, Qt.Key.Key_F1)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", list(PAGES))
def test_every_page_has_content_under_its_heading_in_both_languages(qtbot, key, language):
    set_language(language)
    window = HelpWindow()
    qtbot.addWidget(window)
    window.show_page(key)
    level, heading = _first_heading(window)
    assert (level, heading) == (1, translate_to(language, PAGES[key]))  # the screen's own name
    text = window.browser.toPlainText()
    assert len(text) > 800 and text.count("\n") > 10
    assert heading in window.windowTitle()


def test_help_files_come_in_pairs_and_name_only_known_pages():
    found = {path.name for path in help_folder().glob("*.md")}
    assert found == {f"{key}.{language}.md" for key in PAGES for language in LANGUAGES}


def test_vietnamese_pages_are_written_with_diacritics():
    for key in PAGES:
        text = (help_folder() / f"{key}.vi.md").read_text(encoding="utf-8")
        words = [w for w in text.split() if w.isalpha() and w.islower() and len(w) > 1]
        ascii_only = sum(1 for w in words if w.isascii())
        assert ascii_only / len(words) < 0.6, key  # Vietnamese prose without diacritics would be ~100%


def test_a_missing_page_says_so(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(help_window, "help_folder", lambda: tmp_path)
    window = HelpWindow()
    qtbot.addWidget(window)
    window.show_page("today")
    assert _first_heading(window) == (1, "Trợ giúp")
    assert "today.vi.md" in window.browser.toPlainText()
    assert "không tìm thấy" in window.browser.toPlainText().lower()


def test_links_between_pages_open_in_the_same_window(qtbot):
    window = HelpWindow()
    qtbot.addWidget(window)
    window.show_page("today")
    from PySide6.QtCore import QUrl

    window.browser.anchorClicked.emit(QUrl("help:settings"))
    assert window.key == "settings" and _first_heading(window)[1] == "Cài đặt"


def test_f1_opens_the_current_screen_and_the_menu_does_too(qtbot, make_controller, closed_register):
    root, _recovery = closed_register
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    assert main.screen_keys() == [screen.key for screen in SCREENS]  # an administrator of a point sees all
    for key in main.screen_keys():
        main.show_screen(key)
        _press_f1(qtbot, main.screens[key])
        window = _open_help(qtbot, main)
        qtbot.waitUntil(lambda k=key: window.key == k)
        assert _first_heading(window)[1] == translate_to("vi", PAGES[key])
    assert len(main.findChildren(HelpWindow)) == 1  # one help window, reused
    window.close()
    main.show_screen("groups")
    main.help_action.trigger()
    assert window.isVisible() and window.key == "groups"
    main.show_screen("reports")
    qtbot.mouseClick(main.help_button, Qt.MouseButton.LeftButton)
    assert window.key == "reports"


def test_the_sync_page_opens_at_the_receiving_office_part_for_a_district(qtbot, tmp_path):
    window = HelpWindow()
    qtbot.addWidget(window)
    window.resize(500, 300)
    window.show_page("sync", "district")
    heading = help_window.part_heading(help_window.read_help("sync"), "district")
    qtbot.waitUntil(lambda: window.browser.textCursor().block().text() == heading)
    assert window.browser.verticalScrollBar().value() > 0
    window.show_page("sync", "point")  # a point reads from the top: exchanging keys comes first
    qtbot.wait(50)
    assert window.browser.verticalScrollBar().value() == 0


def test_unlock_window_and_wizard_have_help(qtbot, make_controller, closed_register, tmp_path):
    root, _recovery = closed_register
    controller = make_controller(root, "admin")
    unlock = controller.window
    qtbot.mouseClick(unlock.help_button, Qt.MouseButton.LeftButton)
    window = _open_help(qtbot, unlock)
    assert window.key == "unlock" and _first_heading(window)[1] == "Mở khóa sổ đăng ký"
    window.close()
    _press_f1(qtbot, unlock.passphrase)
    assert window.isVisible()

    set_language("en")
    wizard_controller = make_controller(tmp_path / "new-register")
    wizard = wizard_controller.window
    help_button = wizard.button(QWizard.WizardButton.HelpButton)
    assert help_button.isVisible() and "Help" in help_button.text()
    qtbot.mouseClick(help_button, Qt.MouseButton.LeftButton)
    window = _open_help(qtbot, wizard)
    assert window.key == "setup" and _first_heading(window)[1] == "Creating a register"
    window.close()
    _press_f1(qtbot, wizard.unit_page.code)
    assert window.isVisible()
