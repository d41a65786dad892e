"""Every screen in Vietnamese shows no English: labels, buttons, tabs, lists, table headings and
cells, placeholders and tooltips, at a point and at a receiving office (issue 16, point 4)."""

from __future__ import annotations

import pytest

from app.core.i18n import set_language
from app.core.unit import make_unit
from app.demo import writer as demo
from app.store.register import create_register
from tests.conftest import PASSPHRASE, PERSON
from tests.gui.conftest import unlock_as
from tests.gui.screen_text import english_on, texts_of


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
