"""Send data (point): what the next bundle holds, the last receipt, export to a USB stick, import a receipt."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from app.core.progress import Cancelled, Progress
from app.gui.common.errors import message_for
from app.gui.common.session import Session
from app.gui.sync.common import ALARM_COLOUR, OK_COLOUR, NumbersModel, day, fit_rows, number, read_bytes, \
    removable_volumes, run, start_folder, table_label, when
from app.gui.common.tables import table_view
from app.gui.common.widgets import error_label, set_error
from app.sync import export, overview, receipts


class DestinationCombo(QComboBox):
    """USB sticks and other drives, folders chosen before, and "Choose folder…" (data None).

    The list is read again each time it opens, so a stick plugged in after the
    screen was shown appears without leaving the screen.
    """

    def __init__(self) -> None:
        super().__init__()
        self.folders: list[str] = []
        self.reload()

    def reload(self) -> None:
        current = self.currentData()
        self.clear()
        for volume in removable_volumes():
            self.addItem(volume.label, volume.path)
        for folder in self.folders:
            if self.findData(folder) < 0:
                self.addItem(folder, folder)
        self.addItem(_("Choose folder…"), None)
        index = self.findData(current) if current else -1
        self.setCurrentIndex(index if index >= 0 else 0)

    def remember(self, folder: str) -> None:
        if folder not in self.folders:
            self.folders.append(folder)
        self.reload()
        self.setCurrentIndex(self.findData(folder))

    def showPopup(self) -> None:  # noqa: N802 (Qt name)
        self.reload()
        super().showPopup()


def _say(label: QLabel, text: str) -> None:
    """Show a message, or hide the label so an empty one takes no room."""
    label.setText(text)
    label.setVisible(bool(text))


class PointPanel(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.outbox: overview.Outbox | None = None
        self.last_folder: str | None = None

        self.office = QLabel()
        self.office.setObjectName("receiving_office")
        self.office.setWordWrap(True)
        self.pending = QLabel()
        self.pending.setObjectName("pending_summary")
        self.pending.setWordWrap(True)
        self.model = NumbersModel([(_("Kind of record"), lambda r: table_label(r["table"])),
                                   (_("Records"), lambda r: r["count"])])
        self.table = table_view(self.model, "pending_records", stretch_column=0)
        self.table.setMinimumWidth(340)
        fit_rows(self.table, 1)

        self.destination = DestinationCombo()
        self.destination.setObjectName("export_destination")
        self.export_button = QPushButton(_("&Export bundle"))
        self.export_button.setObjectName("export_button")
        self.export_button.setDefault(True)
        self.result = QLabel()
        self.result.setObjectName("export_result")
        self.result.setStyleSheet(f"color: {OK_COLOUR};")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = error_label()
        self.error.setObjectName("export_error")
        self.open_folder = QPushButton(_("Open the &folder"))
        self.open_folder.setObjectName("open_export_folder")
        self.open_folder.hide()

        self.receipt = QLabel()
        self.receipt.setObjectName("receipt_status")
        self.receipt.setWordWrap(True)
        self.last_sent = QLabel()
        self.last_sent.setObjectName("last_bundle")
        self.last_sent.setWordWrap(True)
        self.receipt_button = QPushButton(_("Import a &receipt…"))
        self.receipt_button.setObjectName("import_receipt")
        self.receipt_result = QLabel()
        self.receipt_result.setObjectName("receipt_result")
        self.receipt_result.setWordWrap(True)
        self.receipt_error = error_label()
        for label in (self.office, self.pending, self.result, self.receipt, self.last_sent, self.receipt_result):
            label.setTextFormat(Qt.TextFormat.PlainText)  # office names and paths are not markup
        for label in (self.result, self.receipt_result):
            label.hide()
        self._layout()

        self.export_button.clicked.connect(self.export)
        self.open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.last_folder or "")))
        self.receipt_button.clicked.connect(self.import_receipt)
        session.changed.connect(self._on_changed)
        self.refresh()

    def _layout(self) -> None:
        what = QGroupBox(_("What the next bundle holds"))
        left = QVBoxLayout(what)
        left.addWidget(self.pending)
        left.addWidget(self.table)

        send = QGroupBox(_("Send to the receiving office"))
        column = QVBoxLayout(send)
        column.addWidget(self.office)
        target = QHBoxLayout()
        caption = QLabel(_("&Save to"))
        caption.setBuddy(self.destination)
        target.addWidget(caption)
        target.addWidget(self.destination, 1)
        target.addWidget(self.export_button)
        column.addLayout(target)
        sealed = QLabel(_("The bundle is encrypted for the receiving office and signed by this register; "
                          "only that office can open it."))
        sealed.setWordWrap(True)
        column.addWidget(sealed)
        column.addWidget(self.result)
        column.addWidget(self.error)
        column.addWidget(self.open_folder, 0, Qt.AlignmentFlag.AlignLeft)

        received = QGroupBox(_("What the receiving office has"))
        lower = QVBoxLayout(received)
        lower.addWidget(self.receipt)
        lower.addWidget(self.last_sent)
        lower.addWidget(self.receipt_button, 0, Qt.AlignmentFlag.AlignLeft)
        lower.addWidget(self.receipt_result)
        lower.addWidget(self.receipt_error)

        left_column = QVBoxLayout()
        left_column.addWidget(what)
        left_column.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(send)
        right.addWidget(received)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left_column, 2)
        layout.addLayout(right, 3)
        QWidget.setTabOrder(self.destination, self.export_button)
        QWidget.setTabOrder(self.export_button, self.open_folder)
        QWidget.setTabOrder(self.open_folder, self.receipt_button)
        QWidget.setTabOrder(self.receipt_button, self.table)

    # --- showing ------------------------------------------------------------------------
    def refresh(self) -> None:
        run(self, self.session, lambda register: overview.point_outbox(register.conn), self._show)

    def _show(self, outbox: overview.Outbox) -> None:
        self.outbox = outbox
        if outbox.offices:
            names = ", ".join(f"{name or code} ({code})" for code, name in outbox.offices)
            self.office.setText(_("Receiving office: {names}").format(names=names))
            self.office.setStyleSheet("")
        else:
            self.office.setText(_("No receiving office's key is trusted yet. Import its key file on the Keys tab "
                                  "and compare the fingerprint with the office first."))
            self.office.setStyleSheet(f"color: {ALARM_COLOUR};")
        # Without a receiving office's key there is nobody to encrypt for; the line above says what to do.
        self._can_export()
        self.model.set_rows([{"table": t, "count": n} for t, n in outbox.pending.items()])
        fit_rows(self.table, len(outbox.pending), least=1)
        if outbox.records:
            self.pending.setText(_("{records} records ({changes} changes) have not been acknowledged by the "
                                   "receiving office yet; the next bundle holds them all.").format(
                records=number(outbox.records), changes=number(outbox.changes)))
        else:
            self.pending.setText(_("The receiving office has acknowledged every change: there is nothing new "
                                   "to send."))
        self.receipt.setText(self._receipt_text(outbox))
        self.receipt.setStyleSheet(f"color: {OK_COLOUR};" if outbox.receipt and not outbox.records else "")
        sent = outbox.last_sent
        self.last_sent.setText(_("Last bundle made: number {seq} on {date}, file {file}.").format(
            seq=sent.seq, date=when(sent.created_at), file=sent.file_name) if sent else _("No bundle made yet."))

    @staticmethod
    def _receipt_text(outbox: overview.Outbox) -> str:
        receipt = outbox.receipt
        if receipt is None:
            return _("No receipt yet. Until the receiving office sends one, every bundle holds all your records "
                     "again (importing them twice does no harm).")
        bundle_date = day(outbox.receipt_bundle.created_at) if outbox.receipt_bundle else day(receipt.issued_at)
        return _("The receiving office has your changes up to number {n}: bundle {seq} of {date} "
                 "(receipt of {issued}).").format(n=receipt.upto_change, seq=receipt.last_seq, date=bundle_date,
                                                  issued=day(receipt.issued_at))

    def _on_changed(self, change: dict) -> None:
        if change.get("records") or "sync" in change:
            self.refresh()

    # --- exporting ----------------------------------------------------------------------
    def export(self) -> None:
        folder = self.destination.currentData()
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, _("Choose where to save the bundle"), start_folder())
            if not folder:
                return
            self.destination.remember(folder)
        set_error(self.error, None)
        _say(self.result, "")
        self.open_folder.hide()
        self.export_button.setEnabled(False)
        counts = Progress(noun=_("changes"))
        run(self, self.session, lambda register: export.export_bundles(register, Path(folder), counts),
            lambda made: self._exported(folder, made), self._export_failed,
            progress_parent=self, label=_("Writing the bundle…"), counts=counts)

    def _can_export(self) -> None:
        self.export_button.setEnabled(bool(self.outbox and self.outbox.offices))

    def _exported(self, folder: str, made: list[export.ExportedBundle]) -> None:
        self._can_export()
        self.last_folder = folder
        lines = [_("Bundle {seq} written to {path}: changes {first}–{last}, {records} records.").format(
            seq=b.seq, path=b.path, first=b.first_change, last=b.last_change, records=sum(b.counts.values()))
            for b in made]
        lines.append(_("Take the file to the receiving office or send it by e-mail. Only that office can open it."))
        _say(self.result, "\n".join(lines))
        self.open_folder.show()
        self.session.publish({"sync": {"exported": [b.seq for b in made]}})

    def _export_failed(self, error: BaseException) -> None:
        self._can_export()
        if isinstance(error, export.NothingToExport):
            _say(self.result, message_for(error))  # not a fault: everything was acknowledged
        elif isinstance(error, Cancelled):
            _say(self.result, _("Export stopped. Bundles already written are whole and recorded; the other "
                                "changes go in the next export."))
        else:
            set_error(self.error, message_for(error))

    # --- receipts -----------------------------------------------------------------------
    def import_receipt(self) -> None:
        path, _chosen = QFileDialog.getOpenFileName(self, _("Choose the receipt from the receiving office"),
                                                    start_folder(), _("Tư Vấn receipt (*.tvr);;All files (*)"))
        if not path:
            return
        set_error(self.receipt_error, None)
        _say(self.receipt_result, "")
        run(self, self.session, lambda register: receipts.import_receipt(register, read_bytes(path), Path(path).name),
            self._receipt_imported, lambda error: set_error(self.receipt_error, message_for(error)))

    def _receipt_imported(self, receipt: receipts.Receipt) -> None:
        _say(self.receipt_result, _("{district} has every change up to number {n}.").format(
            district=receipt.district, n=receipt.upto_change))
        self.session.publish({"sync": {"receipt": receipt.upto_change}})
