"""Today: twelve months at a glance, follow-ups due and overdue, referrals waiting for an outcome,
rehab and management terms ending."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QHBoxLayout, QVBoxLayout, QWidget

from app.core.clock import local, utc_now
from app.core.i18n import _
from app.core.vocab import CONTACT_KINDS, LEGAL_STATUSES
from app.gui.common.errors import show_error
from app.gui.common.forms import date_text
from app.gui.common.session import Session
from app.gui.common.tables import RowsModel, table_view
from app.gui.common.widgets import heading
from app.gui.today.trend_tiles import TrendTile
from app.reports.period import Month
from app.reports.trends import TILES, monthly_trends
from app.store import backup, today

OVERDUE = "#b00020"


def _name(row: dict) -> str:
    if row.get("full_name") and row.get("alias"):
        return f"{row['full_name']} ({row['alias']})"
    return row.get("full_name") or row.get("alias") or ""


def _days(iso: str, reference: date) -> int:
    return (reference - date.fromisoformat(iso)).days


class TodayView(QWidget):
    open_client = Signal(str)
    open_trends = Signal(object)  # the Month whose twelve months the Reports screen should draw

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.today = local(utc_now()).date()
        self.follow_ups = RowsModel([
            (_("Due"), lambda r: date_text(r["next_follow_up"])),
            (_("Client"), _name),
            (_("Code"), lambda r: r["code"]),
            (_("Hamlet"), lambda r: r["hamlet"]),
            (_("Last contact"), lambda r: f"{date_text(r['contact_date'])}, {CONTACT_KINDS.label(r['kind'])}"),
        ], highlight=lambda r: OVERDUE if r["next_follow_up"] < self.today.isoformat() else None)
        self.referrals = RowsModel([
            (_("Referred"), lambda r: date_text(r["referred_date"])),
            (_("Waiting"), lambda r: _("{n} days").format(n=_days(r["referred_date"], self.today))),
            (_("Client"), _name),
            (_("Service"), lambda r: self.session.info.lookups.label("service", r["service"])),
            (_("Referred to"), lambda r: r["referred_to"]),
        ], highlight=lambda r: OVERDUE if _days(r["referred_date"], self.today) > 30 else None)
        self.rehab = RowsModel([
            (_("Term ends"), lambda r: date_text(r["end_date"])),
            (_("Client"), _name),
            (_("Code"), lambda r: r["code"]),
            (_("Provider"), lambda r: r["provider"]),
        ], highlight=lambda r: OVERDUE if r["end_date"] < self.today.isoformat() else None)
        self.management = RowsModel([
            (_("Term ends"), lambda r: date_text(r["legal_end"])),
            (_("Client"), _name),
            (_("Code"), lambda r: r["code"]),
            (_("Management"), lambda r: LEGAL_STATUSES.label(r["legal_status"])),
        ], highlight=lambda r: OVERDUE if r["legal_end"] < self.today.isoformat() else None)
        self.summary = QLabel()
        self.summary.setObjectName("today_summary")
        self.backup_warning = QLabel()
        self.backup_warning.setObjectName("backup_warning")
        self.backup_warning.setWordWrap(True)
        self.backup_warning.setStyleSheet("background: #fff3cd; color: #6b4b00; padding: 6px; border-radius: 3px;")
        self.backup_button = QPushButton(_("&Back up now"))
        self.backup_button.setObjectName("today_backup_now")
        self.backup_row = QWidget()
        row = QHBoxLayout(self.backup_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.backup_warning, 1)
        row.addWidget(self.backup_button)
        self.backup_row.hide()
        self.refresh_button = QPushButton(_("&Refresh"))
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Today, {date}").format(date=self.today.strftime("%d/%m/%Y"))))
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        layout.addWidget(self.backup_row)
        layout.addWidget(self.summary)
        self.tiles = [TrendTile(title, series) for title, series in TILES]
        tiles = QHBoxLayout()
        for number, tile in enumerate(self.tiles):
            tile.setObjectName(f"today_trend_{number}")
            tiles.addWidget(tile, 1)
            tile.clicked.connect(lambda: self.open_trends.emit(Month.of(self.today)))
        layout.addLayout(tiles)
        self.views = {}
        terms = QHBoxLayout()  # the two kinds of term side by side: four lists fit a 768-pixel screen
        for key, title, model, stretch, into in (
                ("follow_ups", _("Follow-ups due this week and overdue (red)"), self.follow_ups, 1, layout),
                ("referrals", _("Referrals waiting for an outcome (red: more than 30 days)"), self.referrals, 4,
                 layout),
                ("rehab", _("Voluntary rehabilitation terms ending this month"), self.rehab, 3, terms),
                ("management", _("Management terms ending this month (set by law)"), self.management, 3, terms)):
            box = QVBoxLayout()
            box.addWidget(QLabel(f"<b>{title}</b>"))
            view = table_view(model, f"today_{key}", stretch_column=stretch)
            view.activated.connect(lambda index, m=model: self.open_client.emit(m.row(index)["client_id"]))
            box.addWidget(view, 1)
            into.addLayout(box, 1)
            self.views[key] = view
        layout.addLayout(terms, 1)
        self.refresh_button.clicked.connect(self.refresh)
        session.changed.connect(lambda change: self.refresh() if change.get("records") or change.get("backups")
                                else None)
        self.backup_button.clicked.connect(self._back_up)
        self.refresh()

    def refresh(self) -> None:
        self.today = local(utc_now()).date()
        reference = self.today

        def work(register):
            trends = monthly_trends(register.conn, Month.of(reference), until=reference)
            return today.agenda(register.conn, reference), backup.backup_stale(register.conn), \
                backup.last_backup_at(register.conn), trends

        self.session.run(work, self._show_all)

    def _show_all(self, result) -> None:
        agenda, stale, last, trends = result
        self._show(agenda)
        for tile in self.tiles:
            tile.set_data(trends)
        if stale:
            self.backup_warning.setText(
                _("The last backup was made on {date}, more than 7 days ago. Back up now, and keep a copy on a USB stick.")
                .format(date=local(last).strftime("%d/%m/%Y")) if last else
                _("This register has never been backed up. Back up now, and keep a copy on a USB stick."))
        self.backup_row.setVisible(stale)

    def _back_up(self) -> None:
        self.backup_button.setEnabled(False)

        def done(_made) -> None:
            self.backup_button.setEnabled(True)
            self.session.publish({"backups": True})

        def failed(error: BaseException) -> None:
            self.backup_button.setEnabled(True)
            show_error(self, error)

        self.session.run(lambda register: backup.scheduled_backup(register, "manual"), done, failed,
                         progress_parent=self, label=_("Backing up…"))

    def _show(self, agenda: today.Agenda) -> None:
        self.follow_ups.set_rows(agenda.follow_ups)
        self.referrals.set_rows(agenda.referrals)
        self.rehab.set_rows(agenda.rehab_ending)
        self.management.set_rows(agenda.management_ending)
        overdue = sum(1 for r in agenda.follow_ups if r["next_follow_up"] < agenda.today)
        self.summary.setText(_("{due} follow-ups ({overdue} overdue), {referrals} referrals waiting, "
                               "{rehab} rehabilitation terms and {management} management terms ending").format(
            due=len(agenda.follow_ups), overdue=overdue, referrals=len(agenda.referrals),
            rehab=len(agenda.rehab_ending), management=len(agenda.management_ending)))
