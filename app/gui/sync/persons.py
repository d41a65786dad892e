"""Possible same persons (district): cross-point pairs the officer marks "same" or "different".

The decision is the district's own note (person_links); the points' records
are never edited from here.
"""

from __future__ import annotations

import html

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.i18n import _
from app.core.vocab import SEXES
from app.gui.common.errors import show_error
from app.gui.common.session import Session
from app.gui.sync.common import OK_COLOUR, run
from app.gui.common.tables import RowsModel, selected_row, table_view
from app.sync import overview, persons
from app.sync.persons import PersonPair


def person_text(client: dict) -> str:
    return f"{client['full_name']} · {client['birth_year']} · {SEXES.label(client['sex'])}"


def reason_text(pair: PersonPair) -> str:
    return _("same citizen ID") if pair.reason == "citizen_id" else _("same name, birth year and sex")


def decision_text(pair: PersonPair) -> str:
    return {"same": _("same person"), "different": _("different people")}.get(pair.decision, _("not decided"))


def details(client: dict, names: dict[str, str]) -> str:
    """One line of rich text; every value is escaped (it was typed at a point)."""
    place = ", ".join(p for p in (client.get("hamlet"), client.get("commune")) if p)
    parts = [f"<b>{html.escape(client['full_name'])}</b>"]
    if client.get("alias"):
        parts.append(_("alias {alias}").format(alias=client["alias"]))
    parts += [_("born {year}").format(year=client["birth_year"]), SEXES.label(client["sex"]),
              _("record {code} at {point}").format(code=client["code"], point=names.get(client["origin"])
                                                   or client["origin"])]
    if client.get("citizen_id"):
        parts.append(_("citizen ID {number}").format(number=client["citizen_id"]))
    if place:
        parts.append(place)
    return ", ".join([parts[0]] + [html.escape(str(p)) for p in parts[1:]])


class PersonsPanel(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        explain = QLabel(_("Clients registered by two different points who may be one person: the same citizen ID, "
                           "or the same name (diacritics ignored), birth year and sex. Your decision is kept at "
                           "this office only; the points' records are not changed."))
        explain.setWordWrap(True)
        self.show_decided = QCheckBox(_("Show pairs already &decided"))
        self.show_decided.setObjectName("show_decided_pairs")
        self.model = RowsModel([
            (_("Why"), reason_text),
            (_("First person"), lambda p: person_text(p.a)),
            (_("Record code"), lambda p: p.a["code"]),
            (_("Second person"), lambda p: person_text(p.b)),
            (_("Record code"), lambda p: p.b["code"]),
            (_("Decision"), decision_text),
        ], highlight=lambda p: OK_COLOUR if p.decision else None)
        self.table = table_view(self.model, "person_pairs", stretch_column=5)
        self.detail = QLabel()
        self.detail.setObjectName("pair_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.same_button = QPushButton(_("&Same person"))
        self.same_button.setObjectName("mark_same")
        self.different_button = QPushButton(_("Di&fferent people"))
        self.different_button.setObjectName("mark_different")
        self.clear_button = QPushButton(_("C&lear the decision"))
        self.clear_button.setObjectName("clear_decision")
        self.count = QLabel()
        self.count.setObjectName("pairs_count")

        top = QHBoxLayout()
        top.addWidget(self.count, 1)
        top.addWidget(self.show_decided)
        buttons = QHBoxLayout()
        for button in (self.same_button, self.different_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.show_decided, self.table)
        QWidget.setTabOrder(self.table, self.same_button)
        QWidget.setTabOrder(self.same_button, self.different_button)
        QWidget.setTabOrder(self.different_button, self.clear_button)

        self.show_decided.toggled.connect(lambda _on: self.refresh())
        self.same_button.clicked.connect(lambda: self.decide("same"))
        self.different_button.clicked.connect(lambda: self.decide("different"))
        self.clear_button.clicked.connect(lambda: self.decide(None))
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._selected())
        # A lambda outlives the panel (the session lives on): answer only while the panel exists.
        session.changed.connect(lambda change: self.refresh()
                                if "sync" in change and shiboken6.isValid(self.show_decided) else None)
        self._row = 0
        self.names: dict[str, str] = {}   # point code -> unit name, for the details line
        self._selected()
        self.refresh()

    def refresh(self) -> None:
        decided = self.show_decided.isChecked()
        run(self, self.session, lambda register: (
            persons.possible_same_persons(register.conn, include_decided=decided),
            {key.unit_code: key.unit_name for key in overview.trusted_keys(register.conn) if key.unit_name}),
            self._show)

    def _show(self, result: tuple[list[PersonPair], dict[str, str]]) -> None:
        pairs, self.names = result
        self.model.set_rows(pairs)
        undecided = sum(1 for p in pairs if p.decision is None)
        self.count.setText(_("{n} pairs to review.").format(n=undecided))
        if pairs:
            # After a decision the next pair sits where the last one was: keyboard work goes on.
            self.table.selectRow(min(self._row, len(pairs) - 1))
        self._selected()

    def _selected(self) -> None:
        pair = selected_row(self.table)
        self.detail.setText(f"1. {details(pair.a, self.names)}<br>2. {details(pair.b, self.names)}" if pair else "")
        for button in (self.same_button, self.different_button):
            button.setEnabled(pair is not None)
        self.clear_button.setEnabled(bool(pair and pair.decision))

    def decide(self, decision: str | None) -> None:
        pair = selected_row(self.table)
        if pair is None:
            return
        self._row = self.table.currentIndex().row()
        first, second = pair.key
        run(self, self.session, lambda register: persons.decide(register, first, second, decision),
            lambda _none: self.refresh(), lambda error: show_error(self, error))
