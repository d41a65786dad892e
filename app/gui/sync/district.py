"""Points (district): what arrived from each point, gaps and fork alarms; import, receipts, alarms."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import today
from app.core.i18n import _, ngettext
from app.core.roles import Permission
from app.gui.common.errors import show_error
from app.gui.common.session import Session
from app.gui.sync.common import ALARM_COLOUR, GAP_COLOUR, NumbersModel, day, run, start_folder
from app.gui.sync.bundle_import import ImportWizard
from app.gui.common.tables import selected_row, table_view
from app.sync import chain, receipts
from app.sync.chain import PointChain


def _ranges(chain_: PointChain) -> str:
    return ", ".join(f"{a}–{b}" for a, b in chain_.missing_changes)


def _alarms(chain_: PointChain) -> str:
    return ", ".join(_("bundle {seq}").format(seq=a["seq"]) for a in chain_.open_alarms)


def _colour(chain_: PointChain) -> str | None:
    if chain_.open_alarms:
        return ALARM_COLOUR
    return GAP_COLOUR if chain_.missing_bundles or chain_.missing_changes else None


def state(chain_: PointChain) -> str:
    """In words as well as in colour: a selected row shows no colour, and not everyone sees red."""
    if chain_.open_alarms:
        return _("Fork alarm") if any(a["kind"] == "fork" for a in chain_.open_alarms) else _("Chain alarm")
    if chain_.missing_bundles or chain_.missing_changes:
        return _("Data missing")
    return _("Complete") if chain_.bundles else _("Nothing yet")


def point_name(chain_: PointChain) -> str:
    return chain_.unit_name or chain_.point


def explain(chain_: PointChain) -> str:
    """Sentences for the selected point: what is missing and what to do about it."""
    name = point_name(chain_)
    if not chain_.bundles:
        return _("Nothing has arrived from {point} yet.").format(point=name)
    lines = []
    for alarm in chain_.open_alarms:
        if alarm["kind"] == "chain":
            lines.append(_("ALARM: bundle {seq} from {point} does not follow bundle {before} that arrived here: the "
                           "point's history split").format(seq=alarm["seq"], before=alarm["seq"] - 1, point=name)
                         + ". " + _("Ask the point whether it was restored from an old backup or copied to another "
                                    "computer; the records were kept. An administrator then acknowledges the alarm."))
            continue
        lines.append(_("ALARM: bundle {seq} from {point} arrived twice with different contents").format(
            seq=alarm["seq"], point=name) + ". " + _(
            "Ask the point whether it restored an old backup or whether its key may have been copied; an "
            "administrator then acknowledges the alarm."))
    for seq in chain_.missing_bundles:
        lines.append(_("Bundle {seq} from {point} is missing.").format(seq=seq, point=name))
    if chain_.missing_changes:
        lines.append(_("Changes {ranges} from {point} have not arrived.").format(ranges=_ranges(chain_), point=name))
    if chain_.missing_bundles or chain_.missing_changes:
        lines.append(_("Ask the point to export again: a new bundle holds everything you have not acknowledged."))
    if not lines:
        lines.append(_("Complete: every change up to number {n} from {point} has arrived.").format(
            n=chain_.contiguous_upto, point=name))
    return "\n".join(lines)


class DistrictPanel(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        admin = session.can(Permission.MANAGE_SETTINGS)
        self.import_button = QPushButton(_("&Import bundles…"))
        self.import_button.setObjectName("import_bundles")
        self.receipt_button = QPushButton(_("&Write a receipt…"))
        self.receipt_button.setObjectName("write_receipt")
        self.acknowledge_button = QPushButton(_("Ac&knowledge alarm…"))
        self.acknowledge_button.setObjectName("acknowledge_alarm")
        self.acknowledge_button.setVisible(admin)
        self.refresh_button = QPushButton(_("Re&fresh"))
        self.model = NumbersModel([
            (_("Point"), lambda c: f"{c.unit_name} ({c.point})" if c.unit_name else c.point),
            (_("State"), state),
            (_("Bundles"), lambda c: len(c.bundles)),
            (_("Last bundle made"), lambda c: day(c.last_bundle_made)),   # dates only: the point's name needs the room
            (_("Last import"), lambda c: day(c.last_import)),
            (_("Complete up to"), lambda c: c.contiguous_upto),
            (_("Missing bundles"), lambda c: ", ".join(map(str, c.missing_bundles))),
            (_("Missing changes"), _ranges),
            (_("Open alarms"), _alarms),
        ], highlight=_colour)
        self.table = table_view(self.model, "points_table", stretch_column=0)
        self.detail = QLabel()
        self.detail.setObjectName("point_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("district_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setObjectName("points_summary")
        for label in (self.detail, self.status, self.summary):  # point names come from the points' files
            label.setTextFormat(Qt.TextFormat.PlainText)

        buttons = QHBoxLayout()
        for button in (self.import_button, self.receipt_button, self.acknowledge_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.status)
        QWidget.setTabOrder(self.import_button, self.receipt_button)
        QWidget.setTabOrder(self.receipt_button, self.acknowledge_button)
        QWidget.setTabOrder(self.acknowledge_button, self.refresh_button)
        QWidget.setTabOrder(self.refresh_button, self.table)

        self.import_button.clicked.connect(self.import_bundles)
        self.receipt_button.clicked.connect(self.write_receipt)
        self.acknowledge_button.clicked.connect(self.acknowledge)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._selected())
        session.changed.connect(lambda change: self.refresh() if "sync" in change else None)
        self._selected()
        self.refresh()

    def refresh(self) -> None:
        run(self, self.session, lambda register: chain.all_chains(register.conn), self._show)

    def _show(self, chains: list[PointChain]) -> None:
        chosen = self.current()  # keep the same point selected after a refresh
        self.model.set_rows(chains)
        keep = next((i for i, c in enumerate(chains) if chosen and c.point == chosen.point), 0 if chains else -1)
        if keep >= 0:
            self.table.selectRow(keep)
        self._selected()
        gaps = sum(1 for c in chains if c.missing_bundles or c.missing_changes)
        alarms = sum(len(c.open_alarms) for c in chains)
        self.summary.setText(_("{points} points. {gaps} with missing data, {alarms} open alarms.").format(
            points=len(chains), gaps=gaps, alarms=alarms) if chains else _(
            "No point yet. Trust each point's key on the Keys tab, then import the bundles it sends."))
        self.summary.setStyleSheet(f"color: {ALARM_COLOUR};" if alarms else "")

    def current(self) -> PointChain | None:
        return selected_row(self.table)

    def _selected(self) -> None:
        point = self.current()
        self.detail.setText(explain(point) if point else "")
        self.detail.setStyleSheet(f"color: {ALARM_COLOUR};" if point and point.open_alarms else "")
        self.receipt_button.setEnabled(bool(point and point.bundles))
        self.acknowledge_button.setEnabled(bool(point and point.open_alarms))

    # --- actions ---------------------------------------------------------------------------
    def import_bundles(self) -> None:
        wizard = ImportWizard(self.session, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()
        wizard.choose_files()

    def write_receipt(self) -> None:
        point = self.current()
        if point is None:
            return
        name = f"{point.point}-{today().strftime('%Y%m%d')}.tvr"
        path, _chosen = QFileDialog.getSaveFileName(self, _("Write a receipt for {point}").format(
            point=point_name(point)), str(Path(start_folder()) / name), _("Tư Vấn receipt (*.tvr)"))
        if not path:
            return
        code = point.point

        def written(made: receipts.Receipt) -> None:
            self.status.setText(_("Receipt for {point}: every change up to {n} (bundle {seq}). Written to {path}.")
                                .format(point=made.point, n=made.upto_change, seq=made.last_seq, path=path) + " "
                                + _("Give it to the point: it then stops sending these changes again."))

        run(self, self.session, lambda register: receipts.export_receipt(register, code, Path(path)), written,
            lambda error: show_error(self, error))

    def acknowledge(self) -> None:
        point = self.current()
        if point is None or not point.open_alarms:
            return
        seqs = [a["seq"] for a in point.open_alarms]
        answer = QMessageBox.question(
            self, _("Acknowledge the alarm"),
            ngettext("Acknowledge the alarm for bundle {seqs} from {point}?",
                     "Acknowledge the alarms for bundles {seqs} from {point}?", len(seqs)).format(
                seqs=", ".join(map(str, seqs)), point=point_name(point)) + "\n\n" + _(
                "Do this only after the point told you why the same bundle number came with other contents "
                "(for example, it restored an old backup). Then import its file again to take its records."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        code = point.point

        def work(register) -> None:
            for seq in seqs:
                chain.acknowledge_alarm(register, code, seq)

        run(self, self.session, work, lambda _none: self.session.publish({"sync": {"alarms": False}}),
            lambda error: show_error(self, error))
