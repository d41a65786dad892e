"""The records behind a number of the form: listed when a number is clicked, a client opened from them."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from app.core.i18n import N_, _, ngettext
from app.core.vocab import METHADONE_STATUSES, OUTREACH_KINDS, REFERRAL_OUTCOMES, REHAB_OUTCOMES
from app.gui.common.errors import show_error
from app.gui.common.forms import date_text
from app.gui.common.session import Session
from app.gui.common.tables import table_view
from app.gui.reports.form_models import RecordsModel, ValueColumn
from app.gui.reports.work import Shown, number, records_of_cell
from app.reports.drill_down import RecordLine
from app.reports.period import Month

# Contact kinds as a line of the drill-down says them (the catalog labels are written for pickers).
CONTACT_LINES = {
    "office": N_("Counselling at the office"),
    "home": N_("Counselling at home"),
    "group": N_("Group counselling"),
    "community": N_("Community session"),
    "phone": N_("Counselling by phone"),
    "online": N_("Counselling online"),
}


class RecordsPanel(QWidget):
    """Beside the form: the records one number counts, with a note when the two can differ."""

    open_client = Signal(str)

    def __init__(self, session: Session, district: bool, case_worker: bool) -> None:
        super().__init__()
        self.session = session
        self.case_worker = case_worker
        self._generation = 0
        self.title = QLabel(_("Records behind a number"))
        self.title.setObjectName("records_title")
        self.title.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("records_note")
        self.note.setWordWrap(True)
        columns = [
            (_("Date"), lambda r: date_text(r.day)),
            (_("Kind"), self._kind),
            (_("Code"), lambda r: r.client_code),
        ]
        if case_worker:
            columns.append((_("Client"), lambda r: r.client_name))
        if district:
            columns.insert(0, (_("Point"), lambda r: r.origin))
        self.model = RecordsModel(columns)
        self.view = table_view(self.model, "records_table", stretch_column=len(columns) - 1)
        self.view.setWordWrap(False)
        # The kind can be long ("Group counselling (12 participants)"): a fixed width leaves room for names.
        kind_column = 2 if district else 1
        self.view.horizontalHeader().setSectionResizeMode(kind_column, QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().resizeSection(kind_column, 170)
        side = QVBoxLayout(self)
        side.setContentsMargins(6, 0, 0, 0)
        side.addWidget(self.title)
        side.addWidget(self.note)
        side.addWidget(self.view, 1)
        self.view.activated.connect(self._open_record)  # Enter and double-click

    def load(self, shown: Shown, month: Month, row: str, column: ValueColumn, value: int | None) -> None:
        """List the records behind (row, column) of the month; `value` is the number shown for it."""
        form = shown.report.form
        self._generation += 1
        generation = self._generation
        self.title.setText(self._caption(shown, row, column, None))
        self.session.run(lambda register: records_of_cell(register, form, month, row, column.column, column.origin),
                         lambda lines: self._show(generation, shown, row, column, value, lines),
                         lambda error: show_error(self, error),
                         progress_parent=self, label=_("Finding the records…"))

    def _show(self, generation: int, shown: Shown, row: str, column: ValueColumn, value: int | None,
              lines: list[RecordLine]) -> None:
        if generation != self._generation:
            return
        self.model.set_rows(lines)
        self.title.setText(self._caption(shown, row, column, len(lines)))
        notes = []
        if shown.frozen:
            notes.append(_("The month is closed: these are the records as they are now, "
                           "which may differ from the frozen number."))
        elif value is not None and value != len(lines):
            notes.append(_("The number is {value}: it adds up what each record counts (participants of a group "
                           "session, attendees, quantities), so it can differ from the number of records.").format(
                value=number(value)))
        if self.case_worker and any(line.client_id for line in lines):
            notes.append(_("Double-click a record (or press Enter) to open the client's file."))
        self.note.setText(" ".join(notes))

    @staticmethod
    def _caption(shown: Shown, row: str, column: ValueColumn, count: int | None) -> str:
        form = shown.report.form
        label = next((c.label for c in form.columns if c.code == column.column), column.column)
        where = _("Row {row}, {column}").format(row=row, column=label)
        if column.origin:
            where += f", {column.origin}"
        if count is None:
            return f"<b>{where}</b>"
        return "<b>{}</b><br>{}".format(where, ngettext("{n} record", "{n} records", count).format(n=number(count)))

    def clear(self) -> None:
        self._generation += 1
        self.model.set_rows([])
        self.title.setText("<b>{}</b>".format(_("Records behind a number")))
        self.note.setText(_("Click a number of the form (or press Enter on it) to list the records it counts."))

    def _open_record(self, index: QModelIndex) -> None:
        line = self.model.row(index)
        if line is not None and line.client_id and self.case_worker:
            self.open_client.emit(line.client_id)

    def _kind(self, line: RecordLine) -> str:
        lookups = self.session.info.lookups
        if line.table == "clients":
            return _("Client file (date of intake)")
        if line.table == "contacts":
            kind = _(CONTACT_LINES.get(line.kind, line.kind))
            if line.kind == "group" and line.detail:
                kind += " " + _("({n} participants)").format(n=number(int(line.detail)))
            elif line.kind == "community" and line.detail:
                kind += " " + _("({n} attendees)").format(n=number(int(line.detail)))
            return kind
        if line.table == "referrals":
            return _("Referral: {service} ({outcome})").format(
                service=lookups.label("service", line.kind), outcome=REFERRAL_OUTCOMES.label(line.detail))
        if line.table == "rehab_registrations":
            return _("Voluntary rehabilitation ({outcome})").format(outcome=REHAB_OUTCOMES.label(line.kind))
        if line.table == "methadone_episodes":
            return _("Methadone treatment ({status})").format(status=METHADONE_STATUSES.label(line.kind))
        if line.table == "groups":
            return _("Self-help group: {name}").format(name=line.detail)
        if line.table == "group_meetings":
            return _("Meeting of {name}").format(name=line.detail)
        if line.table == "meeting_attendance":
            return _("Attended a meeting of {name}").format(name=line.detail)
        if line.table == "group_members":
            return _("Member of {name}").format(name=line.detail)
        if line.table == "outreach":
            return f"{OUTREACH_KINDS.label(line.kind)} ({number(int(line.detail or 0))})"
        return line.table
