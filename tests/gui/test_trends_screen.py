"""The Reports screen's twelve-month trends: lines a person reads at a glance, per point at an office."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.core.clock import today
from app.demo import writer as demo
from app.reports.period import Month
from app.reports.trends import monthly_trends
from app.store.register import unlock
from tests.conftest import PASSPHRASE
from tests.gui.conftest import unlock_as


def _coloured_pixels(widget) -> int:
    image = widget.grab().toImage()
    blue = QColor("#1f5fa8")
    return sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if abs(QColor(image.pixel(x, y)).blue() - blue.blue()) < 30
               and abs(QColor(image.pixel(x, y)).red() - blue.red()) < 30)


def test_the_trends_page_draws_twelve_months_of_the_register(qtbot, make_controller, closed_register):
    root, _ = closed_register
    with unlock(root, "admin", PASSPHRASE) as register:
        demo.fill(register, clients=30, months=6, seed=3)
        expected = monthly_trends(register.conn, Month.of(today()).previous())
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    main.resize(1366, 720)
    main.show_screen("reports")
    view = main.screens["reports"]
    qtbot.waitUntil(lambda: view.shown is not None, timeout=20000)
    assert view.trends.trends is None  # counted only when its page is opened
    view.pages.setCurrentWidget(view.trends)
    qtbot.waitUntil(lambda: view.trends.trends is not None, timeout=20000)
    chart = view.trends.charts[0]
    assert chart.months[-1] == f"{view.month.month:02d}/{view.month.year % 100:02d}" and len(chart.months) == 12
    assert dict(chart.lines)["Lượt tư vấn"] == expected.total["contacts"]
    assert "Mười hai tháng đến tháng" in view.trends.caption.text()
    assert not view.trends.point_choice.isVisible()  # a point has no point picker
    assert _coloured_pixels(chart) > 50  # the line is drawn

    view.show_month(view.month.previous())
    qtbot.waitUntil(lambda: view.trends.month == view.month and view.trends.trends.months[-1] == view.month,
                    timeout=20000)


def test_an_office_picks_a_point_or_all(qtbot, make_controller, tmp_path):
    from app.core.unit import make_unit
    from app.store.register import create_register
    from tests.conftest import PERSON

    register, _ = create_register(tmp_path / "office", unit=make_unit("district", "AG-CA", "Công an tỉnh An Giang"),
                                  admin_login="admin", admin_full_name=PERSON, passphrase=PASSPHRASE)
    demo.fill(register, clients=30, months=4, seed=9)
    register.conn.execute("UPDATE contacts SET origin = 'MYHOA-01' WHERE seq % 2 = 0")
    register.conn.execute("UPDATE contacts SET origin = 'LONGXUYEN-02' WHERE seq % 2 = 1")
    expected = monthly_trends(register.conn, Month.of(today()).previous())
    register.close()
    controller = make_controller(tmp_path / "office", "admin")
    main = unlock_as(qtbot, controller)
    main.show_screen("reports")
    view = main.screens["reports"]
    view.pages.setCurrentWidget(view.trends)
    qtbot.waitUntil(lambda: view.trends.trends is not None, timeout=20000)
    picker = view.trends.point_choice
    assert picker.isVisibleTo(view) and picker.itemText(0) == "Tất cả các điểm"
    assert {picker.itemData(i) for i in range(1, picker.count())} >= {"MYHOA-01", "LONGXUYEN-02"}
    chart = view.trends.charts[0]
    assert dict(chart.lines)["Lượt tư vấn"] == expected.total["contacts"]
    picker.setCurrentIndex(picker.findData("MYHOA-01"))
    assert dict(chart.lines)["Lượt tư vấn"] == expected.by_point["MYHOA-01"]["contacts"]
    assert expected.by_point["MYHOA-01"]["contacts"] != expected.total["contacts"]


def test_today_shows_twelve_months_to_today_and_opens_the_full_charts(qtbot, make_controller, closed_register):
    from app.store import contacts

    root, _ = closed_register
    with unlock(root, "admin", PASSPHRASE) as register:
        demo.fill(register, clients=30, months=6, seed=4)
        client_id = register.conn.execute("SELECT id FROM clients WHERE deleted = 0 AND status = 'active'"
                                          " ORDER BY code LIMIT 1").fetchone()[0]
        expected = monthly_trends(register.conn, Month.of(today()), until=today())
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    main.resize(1366, 768)
    view = main.screens["today"]
    counselling = view.tiles[1]
    qtbot.waitUntil(lambda: counselling.months != [], timeout=20000)
    assert [t.title for t in view.tiles] == ["Khách hàng mới", "Tư vấn", "Giới thiệu, chuyển gửi", "Lịch hẹn bị lỡ"]
    assert counselling.values == [expected.total["contacts"], expected.total["people"]]
    assert counselling.figures() == f"{expected.total['contacts'][-1]} lượt · {expected.total['people'][-1]} người"
    assert len(counselling.months) == 12 and "Lượt tư vấn: " in counselling.toolTip()
    assert _coloured_pixels(counselling) > 20  # the line is drawn

    controller.session.run(lambda register: contacts.add(register, {"kind": "phone", "client_id": client_id,
                                                                    "contact_date": today().isoformat()}),
                           lambda changes: controller.session.publish({"records": changes}))  # a phone call
    before = expected.total["contacts"][-1]
    qtbot.waitUntil(lambda: counselling.values[0][-1] == before + 1, timeout=20000)

    qtbot.mouseClick(counselling, Qt.MouseButton.LeftButton)
    reports = main.screens["reports"]
    assert main.current_screen() == "reports" and reports.pages.currentWidget() is reports.trends
    qtbot.waitUntil(lambda: reports.trends.trends is not None, timeout=20000)
    assert reports.month == Month.of(today()) and reports.trends.trends.months[-1] == Month.of(today())
