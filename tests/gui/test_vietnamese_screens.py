"""Every screen in Vietnamese shows no English: labels, buttons, tabs, lists, table headings and
cells, placeholders and tooltips, at a point and at a receiving office (issue 16, point 4)."""

from __future__ import annotations

import html
import re

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from app.core.i18n import _, set_language
from app.core.unit import make_unit
from app.demo import writer as demo
from app.store.register import create_register
from tests.conftest import PASSPHRASE, PERSON
from tests.english import english_words
from tests.gui.conftest import unlock_as

# Logins people chose (admin, the demo's lan and hung): names, not words of the program.
DATA = {"admin", "lan", "hung"}
ROWS = 40  # cells read per table: enough to meet every kind of value the demo writes


def _plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text or "")
    return html.unescape(text).replace("&&", "&").replace("&", "")


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model keeps columnCount private: it has one column
        columns = 1
    rows = model.rowCount(QModelIndex())
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]
    # A catalog's English names and the codes are shown on purpose (an administrator edits them).
    kept = [c for c in range(columns) if headers[c] not in (_("English name"), _("Code"))]
    texts = list(headers)
    for row in range(min(rows, ROWS)):
        for column in kept:
            index = model.index(row, column)
            texts += [str(model.data(index) or ""), str(model.data(index, 3) or "")]  # display, tooltip
    return texts


def texts_of(window: QWidget) -> list[str]:
    """What a person can read in `window` and its children, hidden tabs included."""
    found = [window.windowTitle()]
    for widget in [window, *window.findChildren(QWidget)]:
        found.append(widget.toolTip())
        if isinstance(widget, QLabel):
            found.append(widget.text())
        elif isinstance(widget, QAbstractButton):
            found.append(widget.text())
        elif isinstance(widget, QGroupBox):
            found.append(widget.title())
        elif isinstance(widget, QTabWidget):
            found += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            found += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QLineEdit):
            found += [widget.placeholderText()]
        elif isinstance(widget, QTextEdit):
            found += [widget.toPlainText(), widget.placeholderText()]
        if isinstance(widget, QAbstractItemView):
            found += _model_texts(widget)
    if isinstance(window, QMainWindow):
        for action in window.findChildren(type(window.menuBar().actions()[0])) if window.menuBar().actions() else []:
            found.append(action.text())
    return [_plain(t) for t in found if t]


def english_on(window: QWidget) -> dict[str, list[str]]:
    """English words on `window`, each with a text it was in."""
    where: dict[str, list[str]] = {}
    for text in texts_of(window):
        for word in english_words(text, DATA):
            where.setdefault(word, []).append(text[:120])
    return where


def _visit_every_screen(qtbot, main) -> dict[str, dict]:
    found = {}
    for key in main.screen_keys():
        main.show_screen(key)
        screen = main.screens[key]
        qtbot.wait(50)
        if key == "reports":
            qtbot.waitUntil(lambda: screen.shown is not None, timeout=20000)
        qtbot.waitUntil(lambda: main.session.busy is False if hasattr(main.session, "busy") else True,
                        timeout=20000)
        qtbot.wait(300)
        if english := english_on(screen):
            found[key] = english
    return found


@pytest.fixture(autouse=True)
def _vietnamese():
    set_language("vi")
    yield
    set_language("vi")


def test_every_point_screen_is_vietnamese(qtbot, make_controller, tmp_path):
    register, _ = create_register(tmp_path / "point", unit=make_unit("point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa",
                                                                      "UBND xã Mỹ Hòa"),
                                  admin_login="admin", admin_full_name=PERSON, passphrase=PASSPHRASE)
    demo.fill(register, clients=30, months=3, seed=11)
    register.close()
    controller = make_controller(tmp_path / "point", "admin")
    assert english_on(controller.window) == {}  # the unlock window
    main = unlock_as(qtbot, controller)
    assert english_on(main) == {}
    assert _visit_every_screen(qtbot, main) == {}
    read = texts_of(main)
    assert len(read) > 1000, len(read)  # the demo's records were on the screens, not empty tables
    assert any("Khách hàng đang quản lý đến cuối tháng" in text for text in read)  # a rule in words


def test_every_office_screen_is_vietnamese(qtbot, make_controller, tmp_path):
    register, _ = create_register(tmp_path / "office", unit=make_unit("district", "AG-CA", "Công an tỉnh An Giang"),
                                  admin_login="admin", admin_full_name=PERSON, passphrase=PASSPHRASE)
    register.close()
    controller = make_controller(tmp_path / "office", "admin")
    main = unlock_as(qtbot, controller)
    assert _visit_every_screen(qtbot, main) == {}


def test_the_check_sees_english_on_a_screen(qtbot, make_controller, tmp_path):
    register, _ = create_register(tmp_path / "point", unit=make_unit("point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa"),
                                  admin_login="admin", admin_full_name=PERSON, passphrase=PASSPHRASE)
    register.close()
    set_language("en")
    controller = make_controller(tmp_path / "point", "admin")
    main = unlock_as(qtbot, controller)
    assert {"settings", "reports"} <= set(english_on(main))
