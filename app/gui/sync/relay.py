"""Office: which units other offices may bring records of, as this office decided (app/sync/relay.py).

A district's key file only claims the units it serves. The trust dialog offers them as a checked
list (RelayChoice); the Relayed units tab lists every claim, who is accepted for each, and marks in
red a unit two offices claim, so the officer settles it with a phone call rather than the program
merging both.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from app.core.roles import Permission
from app.gui.common.errors import show_error
from app.gui.common.session import Session
from app.gui.sync.common import ALARM_COLOUR, imported_changes, run
from app.gui.common.tables import RowsModel, selected_row, table_view
from app.store.records import SYNCED_TABLES
from app.sync import identity, merge, relay


def _unit(code: str, name: str) -> str:
    return f"{name} ({code})" if name else code


def _note(claim: relay.Claim) -> str:
    notes = []
    if claim.disputed:
        notes.append(_("claimed by more than one office: ask them which one serves it"))
    if claim.direct:
        notes.append(_("also sends its own bundles here"))
    return "; ".join(notes)


class RelayChoice(QGroupBox):
    """In the trust dialog, for an office's key at an office: which way bundles go, and which of the
    units it lists are accepted as sending through it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Bundles and units"), parent)
        self.below = QRadioButton(_("It sends its bundles &here (an office below this one)"))
        self.below.setObjectName("sends_here")
        self.above = QRadioButton(_("It &receives our bundles (the office above this one)"))
        self.above.setObjectName("receives_ours")
        group = QButtonGroup(self)
        group.addButton(self.below)
        group.addButton(self.above)
        self.units = QListWidget()
        self.units.setObjectName("claimed_units")
        self.units.setMaximumHeight(140)
        self.units_label = QLabel(_("It says it serves these units. Tick those you know belong to it; records of "
                                    "the others are held back until you accept them (Relayed units tab):"))
        self.units_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.below)
        layout.addWidget(self.above)
        layout.addWidget(self.units_label)
        layout.addWidget(self.units)
        self.below.toggled.connect(self._direction_changed)

    def show_for(self, peer: identity.Identity, claims: list[relay.Claim], own_code: str) -> None:
        """Offer the units `peer` claims. The office above lists this office among the units it serves
        (or lists none yet): that is the first guess; the officer can change it."""
        by_code = {c.point: c for c in claims}
        names = dict(peer.point_names)
        for code in peer.points:
            claim = by_code.get(code)
            text = _unit(code, names.get(code, ""))
            taken = claim is not None and claim.assigned_to not in (None, peer.unit_code)
            others = [o for o in (claim.claimed_by if claim else ()) if o != peer.unit_code]
            if taken:
                text += "  — " + _("now comes through {office}").format(office=claim.assigned_to)
            elif others:
                text += "  — " + _("also claimed by {offices}").format(offices=", ".join(others))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if taken or others else Qt.CheckState.Checked)
            if taken or others:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.units.addItem(item)
        above = not peer.points or own_code in peer.points
        (self.above if above else self.below).setChecked(True)
        self._direction_changed()

    def _direction_changed(self) -> None:
        for widget in (self.units, self.units_label):
            widget.setVisible(self.below.isChecked() and self.units.count() > 0)

    def sends_here(self) -> bool:
        return self.below.isChecked()

    def chosen(self) -> list[str]:
        if not self.sends_here():
            return []
        return [self.units.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.units.count())
                if self.units.item(i).checkState() == Qt.CheckState.Checked]


class RelayPanel(QWidget):
    """Every unit trusted offices claim, who is accepted for it, and the disputes."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        admin = session.can(Permission.MANAGE_SETTINGS)
        intro = QLabel(_("An office below this one brings the records of the units it serves. This office accepts "
                         "them only for the units accepted here; a unit listed by two offices is shown in red until "
                         "you settle which one serves it."))
        intro.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("relay_summary")
        self.summary.setWordWrap(True)
        self.model = RowsModel([
            (_("Unit"), lambda c: _unit(c.point, c.name)),
            (_("Listed by"), lambda c: ", ".join(c.claimed_by) or "—"),
            (_("Accepted through"), lambda c: c.assigned_to or _("not accepted")),
            (_("Note"), _note),
        ], highlight=lambda c: ALARM_COLOUR if c.disputed else None)
        self.table = table_view(self.model, "relay_table", stretch_column=0)
        self.accept_button = QPushButton(_("&Accept through…"))
        self.accept_button.setObjectName("accept_unit")
        self.stop_button = QPushButton(_("&Stop accepting"))
        self.stop_button.setObjectName("stop_unit")
        for button in (self.accept_button, self.stop_button):
            button.setEnabled(False)
            if not admin:
                button.setToolTip(_("Only an administrator can change which keys are trusted."))
        self.status = QLabel()
        self.status.setObjectName("relay_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        QWidget.setTabOrder(self.table, self.accept_button)
        QWidget.setTabOrder(self.accept_button, self.stop_button)
        self._admin = admin
        self.accept_button.clicked.connect(self.accept_selected)
        self.stop_button.clicked.connect(self.stop_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._selected())
        session.changed.connect(lambda change: self.refresh() if change.get("sync", {}).get("keys") else None)
        self.refresh()

    def refresh(self) -> None:
        run(self, self.session, lambda register: relay.claims(register.conn), self._show)

    def _show(self, claims: list[relay.Claim]) -> None:
        self.model.set_rows(claims)
        disputed = sum(1 for c in claims if c.disputed)
        waiting = sum(1 for c in claims if c.assigned_to is None)
        text = _("{n} units listed by other offices; {waiting} not accepted.").format(n=len(claims), waiting=waiting)
        if disputed:
            text = f"<b style='color:{ALARM_COLOUR}'>" + html.escape(
                _("{n} units are claimed by more than one office.").format(n=disputed)) + "</b> " + html.escape(text)
        self.summary.setText(text if claims else _("No trusted office lists any unit."))
        if claims:   # the first dispute (or the first unit) is ready for the buttons
            self.table.selectRow(next((i for i, c in enumerate(claims) if c.disputed), 0))
        self._selected()

    def _claim(self) -> relay.Claim | None:
        return selected_row(self.table)

    def _selected(self) -> None:
        claim = self._claim()
        self.accept_button.setEnabled(self._admin and claim is not None and bool(claim.claimed_by))
        self.stop_button.setEnabled(self._admin and claim is not None and claim.assigned_to is not None)

    def accept_selected(self) -> None:
        claim = self._claim()
        if claim is None:
            return
        offices = list(claim.claimed_by)
        via = offices[0]
        if len(offices) > 1:
            via, ok = QInputDialog.getItem(self, _("Accept through…"), _("Which office serves {unit}?").format(
                unit=_unit(claim.point, claim.name)), offices, 0, False)
            if not ok:
                return
        if claim.assigned_to and claim.assigned_to != via:
            answer = QMessageBox.question(self, _("Accept through…"), _(
                "{unit} now comes through {before}. Accept it through {via} instead? Records {before} sends of it "
                "will be held back.").format(unit=_unit(claim.point, claim.name), before=claim.assigned_to, via=via))
            if answer != QMessageBox.StandardButton.Yes:
                return

        def work(register):
            relay.assign(register, via, [claim.point])
            return merge.retry_held(register, via)

        run(self, self.session, work, lambda retried: self._done(_("{unit} is accepted through {via}.").format(
            unit=_unit(claim.point, claim.name), via=via), retried), lambda error: show_error(self, error))

    def stop_selected(self) -> None:
        claim = self._claim()
        if claim is None or claim.assigned_to is None:
            return
        answer = QMessageBox.question(self, _("Stop accepting"), _(
            "Stop accepting records of {unit} from {via}? Records already imported stay; new ones are held back.").format(
            unit=_unit(claim.point, claim.name), via=claim.assigned_to))
        if answer != QMessageBox.StandardButton.Yes:
            return
        run(self, self.session, lambda register: relay.unassign(register, [claim.point]),
            lambda _removed: self._done(_("{unit} is no longer accepted from another office.").format(
                unit=_unit(claim.point, claim.name)), None), lambda error: show_error(self, error))

    def _done(self, text: str, retried) -> None:
        change = {"sync": {"keys": True, "held": True}}
        if retried is not None and retried.applied:
            change["records"] = imported_changes(set(SYNCED_TABLES))
            text += " " + _("{n} records held back were checked again and imported.").format(n=retried.applied)
        self.status.setText(text)
        self.session.publish(change)
