"""Records held back: at an office the quarantine list (save it, check it again); at a point the
records its office refused, each with what to do and a button to open its client file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.clock import today
from app.core.i18n import _
from app.gui.common.errors import show_error
from app.gui.common.session import Session
from app.gui.sync.common import GAP_COLOUR, OK_COLOUR, NumbersModel, day, field_label, imported_changes, rule_text, \
    run, start_folder, table_label
from app.gui.common.tables import selected_row, table_view
from app.reports.subject_fields import field_labels
from app.store.records import SYNCED_TABLES
from app.sync import merge, quarantine


def _plain(label: QLabel, lines: int = 0) -> QLabel:
    label.setWordWrap(True)
    if lines:   # room for a wrapped explanation below a stretching table
        label.setMinimumHeight(label.fontMetrics().lineSpacing() * lines + 4)
    label.setTextFormat(Qt.TextFormat.PlainText)   # names and values come from other registers' files
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class HeldPanel(QWidget):
    """Office: every record held back from the points' bundles, with the rule it broke."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.entries: list[quarantine.Held] = []
        self.summary = _plain(QLabel())
        self.summary.setObjectName("held_summary")
        self.model = NumbersModel([
            (_("Sent by"), lambda e: e.sender),
            (_("Bundle"), lambda e: e.seq),
            (_("Record"), lambda e: table_label(e.refusal.table)),
            (_("Field"), lambda e: field_label(e.refusal)),
            (_("Rule broken"), lambda e: rule_text(e.refusal)),
            (_("What the sender can do"), lambda e: e.refusal.advice()),
            (_("Received"), lambda e: day(e.received_at)),
        ])
        self.table = table_view(self.model, "held_table", stretch_column=4)
        self.detail = _plain(QLabel(), lines=3)
        self.detail.setObjectName("held_detail")
        self.save_button = QPushButton(_("&Save the list…"))
        self.save_button.setObjectName("save_held")
        self.retry_button = QPushButton(_("&Check again"))
        self.retry_button.setObjectName("retry_held")
        self.retry_button.setToolTip(_("After trusting a unit's refreshed key file or updating the program: "
                                       "records that now pass are imported."))
        self.status = _plain(QLabel())
        self.status.setObjectName("held_status")

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(QLabel(_(
            "A record that breaks a rule is not imported: it is held here, the rest of its bundle is imported, "
            "and the next receipt tells the sender which records and why. The corrected record arrives with a "
            "later bundle and leaves this list."))))
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.status)
        QWidget.setTabOrder(self.save_button, self.retry_button)
        QWidget.setTabOrder(self.retry_button, self.table)

        self.save_button.clicked.connect(self.save)
        self.retry_button.clicked.connect(self.retry)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._selected())
        session.changed.connect(lambda change: self.refresh() if "sync" in change else None)
        self.refresh()

    def refresh(self) -> None:
        run(self, self.session, lambda register: quarantine.held(register.conn), self._show)

    def _show(self, entries: list[quarantine.Held]) -> None:
        self.entries = entries
        self.model.set_rows(entries)
        senders = sorted({e.sender for e in entries})
        self.summary.setText(_("{n} records held back, from {senders}.").format(
            n=len(entries), senders=", ".join(senders)) if entries else _("No record is held back."))
        self.summary.setStyleSheet(f"color: {GAP_COLOUR};" if entries else f"color: {OK_COLOUR};")
        self.save_button.setEnabled(bool(entries))
        self.retry_button.setEnabled(bool(entries))
        if entries:
            self.table.selectRow(0)
        self._selected()

    def _selected(self) -> None:
        entry = selected_row(self.table)
        if entry is None:
            self.detail.setText("")
            return
        r = entry.refusal
        self.detail.setText(_("{record} {id} of {origin}, from bundle {seq} of {sender}: {rule}. {advice}").format(
            record=table_label(r.table), id=r.record_id or "?", origin=r.origin or "?", seq=entry.seq,
            sender=entry.sender, rule=rule_text(r), advice=r.advice()))

    def save(self) -> None:
        name = _("Records held back {date}.csv").format(date=today().isoformat())
        path, _chosen = QFileDialog.getSaveFileName(self, _("Save the list of records held back"),
                                                    str(Path(start_folder()) / name), _("CSV for Excel (*.csv)"))
        if not path:
            return
        entries = list(self.entries)
        run(self, self.session, lambda _register: quarantine.write_csv(entries, Path(path), field_labels),
            lambda _none: self.status.setText(_("List written to {path}.").format(path=path)),
            lambda error: show_error(self, error))

    def retry(self) -> None:
        senders = sorted({e.sender for e in self.entries})

        def work(register):
            results = [merge.retry_held(register, sender) for sender in senders]
            return sum(r.applied for r in results), sum(r.still_held for r in results)

        def done(counts) -> None:
            applied, held = counts
            self.status.setText(_("{applied} held records now pass and were imported; {held} are still held.")
                                .format(applied=applied, held=held))
            change = {"sync": {"held": True}}
            if applied:
                change["records"] = imported_changes(set(SYNCED_TABLES))
            self.session.publish(change)

        run(self, self.session, work, done, lambda error: show_error(self, error))


class RefusedPanel(QWidget):
    """Point: the records the receiving office refused (from its latest receipt), to correct."""

    open_client = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.summary = _plain(QLabel())
        self.summary.setObjectName("refused_summary")
        self.model = NumbersModel([
            (_("Record"), lambda e: table_label(e.refusal.table)),
            (_("Field"), lambda e: field_label(e.refusal)),
            (_("Rule broken"), lambda e: rule_text(e.refusal)),
            (_("State"), lambda e: _("Corrected: goes with the next bundle") if e.corrected else _("To correct")),
        ], highlight=lambda e: None if e.corrected else GAP_COLOUR)
        self.table = table_view(self.model, "refused_table", stretch_column=2)
        self.detail = _plain(QLabel(), lines=3)
        self.detail.setObjectName("refused_detail")
        self.open_button = QPushButton(_("&Open the client's file"))
        self.open_button.setObjectName("open_refused")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(QLabel(_(
            "The receiving office did not take these records: each breaks a rule. The rest of your data "
            "arrived. Correct each record and save it: it goes with the next bundle, and the office's next "
            "receipt takes it off this list."))))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.table, self.open_button)

        self.open_button.clicked.connect(self.open_record)
        self.table.activated.connect(lambda _index: self.open_record())
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._selected())
        session.changed.connect(lambda change: self.refresh() if "sync" in change else None)
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name): corrections made meanwhile show as such
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        run(self, self.session, lambda register: quarantine.refused_here(register.conn), self._show)

    def _show(self, entries: list[quarantine.RefusedHere]) -> None:
        self.model.set_rows(entries)
        to_do = sum(1 for e in entries if not e.corrected)
        self.summary.setText(_("{n} records refused by the receiving office, {todo} still to correct.").format(
            n=len(entries), todo=to_do) if entries else _("The receiving office took every record it received."))
        self.summary.setStyleSheet(f"color: {GAP_COLOUR};" if to_do else f"color: {OK_COLOUR};")
        if entries:
            self.table.selectRow(0)
        self._selected()

    def _selected(self) -> None:
        entry = selected_row(self.table)
        self.open_button.setEnabled(bool(entry and entry.client_id))
        if entry is None:
            self.detail.setText("")
            return
        state = _("You corrected it: it goes with the next bundle.") if entry.corrected else entry.refusal.advice()
        where = "" if entry.client_id else " " + _("It is not part of a client's file: find it under {record}.").format(
            record=table_label(entry.refusal.table))
        self.detail.setText(_("{office} did not take a record of {record}: {rule}. {state}").format(
            office=entry.district, record=table_label(entry.refusal.table), rule=rule_text(entry.refusal),
            state=state) + where)

    def open_record(self) -> None:
        entry = selected_row(self.table)
        if entry is not None and entry.client_id:
            self.open_client.emit(entry.client_id)
