"""The Activities screen: one month of group and community sessions and of outreach.

Group sessions name their participants (each one is a lượt); community
sessions count attendees; outreach (broadcasts, leaflets, boards,
loudspeakers, schools, meetings, trainings) has no named participants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core import validate
from app.core.clock import local, utc_now
from app.core.i18n import N_, Translatable, _
from app.core.roles import Permission
from app.core.vocab import CONTACT_KINDS, OUTREACH_KINDS
from app.gui.common.record_dialog import RecordDialog
from app.gui.common.client_picker import CLIENTS, ClientPicker, ClientsDialog, check_chosen
from app.gui.common.errors import show_error
from app.gui.common.forms import Form, date_text
from app.gui.common.session import Session
from app.gui.common.tables import RowsModel, selected_row, table_view
from app.gui.common.widgets import heading
from app.store import catalogs, contacts, outreach, search
from app.store.search import ClientHit

# The number fields each outreach kind uses, with the caption that says what is counted.
# Fields a kind does not use are hidden and stored empty.
OUTREACH_FIELDS: dict[str, dict[str, Translatable]] = {
    "broadcast": {"quantity": N_("Number of &broadcasts"), "minutes": N_("&Minutes each")},
    "leaflets": {"quantity": N_("&Leaflets handed out")},
    "board": {"quantity": N_("Information &boards")},
    "loudspeaker": {"quantity": N_("&Campaigns"), "attendees": N_("&People reached")},
    "school": {"quantity": N_("School &sessions"), "attendees": N_("S&tudents reached")},
    "community_meeting": {"quantity": N_("&Meetings"), "attendees": N_("&People attending")},
    "team_meeting": {"quantity": N_("&Meetings"), "attendees": N_("&People attending")},
    "training": {"quantity": N_("&Trainings"), "attendees": N_("&Participants")},
}
NUMBER_CAPTIONS: dict[str, Translatable] = {
    "quantity": N_("&Quantity"), "minutes": N_("&Minutes each"), "attendees": N_("&People attending")}
NUMBER_FIELDS = tuple(NUMBER_CAPTIONS)
SESSION_KINDS = ("group", "community")


def number(value: int | None) -> str:
    """Vietnamese grouping: 7000 -> '7.000'."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def this_month() -> date:
    return local(utc_now()).date().replace(day=1)


def shift_month(first: date, months: int) -> date:
    return validate.add_months(first, months)


def month_end(first: date) -> date:
    return shift_month(first, 1) - timedelta(days=1)


def session_people(row: dict) -> int:
    """Participants named in a group session, or attendees counted at a community session."""
    return (row.get("participant_count") or 0) if row["kind"] == "group" else (row.get("attendee_count") or 0)


def month_totals(sessions: list[dict], activities: list[dict]) -> str:
    """The one-line summary under the month: what the monthly form will count."""
    sums: dict[str, dict[str, int]] = {}
    for row in activities:
        kind = sums.setdefault(row["kind"], {"quantity": 0, "minutes": 0, "attendees": 0})
        kind["quantity"] += row["quantity"] or 0
        kind["minutes"] += (row["quantity"] or 0) * (row["minutes"] or 0)  # minutes are per broadcast
        kind["attendees"] += row["attendees"] or 0
    parts = []
    for code in SESSION_KINDS:
        rows = [r for r in sessions if r["kind"] == code]
        if rows:
            template = (_("Group sessions: {n} ({people} participants)") if code == "group"
                        else _("Community sessions: {n} ({people} attendees)"))
            parts.append(template.format(n=number(len(rows)), people=number(sum(map(session_people, rows)))))
    templates = {
        "broadcast": _("Broadcasts: {n} ({minutes} minutes)"),
        "leaflets": _("Leaflets: {n}"),
        "board": _("Information boards: {n}"),
        "loudspeaker": _("Loudspeaker campaigns: {n} ({people} people)"),
        "school": _("School sessions: {n} ({people} students)"),
        "community_meeting": _("Community meetings: {n} ({people} people)"),
        "team_meeting": _("Team meetings: {n}"),
        "training": _("Trainings: {n} ({people} participants)"),
    }
    for code in OUTREACH_KINDS:
        if code in sums:
            total = sums[code]
            parts.append(templates[code].format(n=number(total["quantity"]), minutes=number(total["minutes"]),
                                                people=number(total["attendees"])))
    return "; ".join(parts) if parts else _("Nothing recorded for this month yet.")


# --- dialogs ----------------------------------------------------------------------
def _default_date(first: date) -> str:
    """Today when the month shown is this month; otherwise its first day, ready to correct."""
    today = local(utc_now()).date()
    return today.isoformat() if (today.year, today.month) == (first.year, first.month) else first.isoformat()


def _staff(session: Session, current: str | None = None) -> list[tuple[str, str]]:
    """Active staff and volunteers; someone who has since left stays when a record names them."""
    lookups = session.info.lookups
    return lookups.with_current(lookups.counsellors + lookups.volunteers, current)


SESSION_FIELDS = ("contact_date", "attendee_count", "duration_minutes", "topics", "counsellor_id", "location", "notes")


def _session_form(session: Session, kind: str, when: str, contact: dict | None = None) -> Form:
    lookups = session.info.lookups
    form = Form()
    form.date("contact_date", _("&Date"))
    if kind == "community":
        form.number("attendee_count", _("&Attendees"), _("how many people came"))
    form.number("duration_minutes", _("D&uration (minutes)"))
    form.codes("topics", _("&Topics"), lookups.topics)
    form.choice("counsellor_id", _("Counsellor"),
                lookups.with_current(lookups.counsellors, (contact or {}).get("counsellor_id")))
    form.text("location", _("Pl&ace"))
    form.long_text("notes", _("&Notes"))
    if contact is None:
        form.set_values({"contact_date": when, "counsellor_id": lookups.my_staff_id or ""})
    else:
        form.set_values({name: "" if contact.get(name) is None else contact[name] for name in SESSION_FIELDS
                         if name != "topics"} | {"topics": contact.get("topics") or []})
    return form


def group_session_dialog(session: Session, when: str, parent: QWidget | None = None, *,
                         contact: dict | None = None, participants: list[ClientHit] = ()) -> ClientsDialog:
    """A new group session, or (with `contact` and its `participants`) a correction of one."""
    form = _session_form(session, "group", when, contact)
    needed = _("choose the clients who took part")
    contact_id = (contact or {}).get("id")

    def work(register, values):
        chosen = values.pop(CLIENTS)
        values = {**values, "kind": "group"}
        topics = catalogs.codes(register.conn, "topic")
        check_chosen(chosen, needed, lambda: validate.contact(values, topics=topics))
        if contact_id is None:
            return contacts.add(register, values, participants=chosen)
        return contacts.edit_session(register, contact_id, values, participants=chosen)

    picker = ClientPicker(session, chosen_label=_("Partic&ipants: {n}"))
    picker.chosen.setToolTip(_("Each participant counts as one counselling contact."))
    for hit in participants:
        picker.choose(hit)
    title = _("New group counselling session") if contact is None else _("Group counselling session")
    return ClientsDialog(session, title, form, work, parent, picker=picker, beside=True)


def community_session_dialog(session: Session, when: str, parent: QWidget | None = None, *,
                             contact: dict | None = None) -> RecordDialog:
    form = _session_form(session, "community", when, contact)
    contact_id = (contact or {}).get("id")

    def work(register, values):
        if contact_id is None:
            return contacts.add(register, {**values, "kind": "community"})
        return contacts.edit_session(register, contact_id, values)

    title = _("New community counselling session") if contact is None else _("Community counselling session")
    return RecordDialog(session, title, form, work, parent)


def session_participants(register, contact_id: str) -> list[ClientHit]:
    return search.hits_by_id(register.conn, contacts.participants(register.conn, contact_id))


def _field_row(form: Form, name: str) -> tuple[QFormLayout, QWidget]:
    """The section layout and the row widget (field and its message) that Form made for `name`."""
    holder = form.fields[name].parentWidget()
    return holder.parentWidget().layout(), holder


def adapt_outreach_form(form: Form) -> None:
    """Show only the numbers the chosen kind uses, each captioned with what it counts."""
    form.clear_errors()
    used = OUTREACH_FIELDS.get(form.fields["kind"].currentData(), {})
    for name in NUMBER_FIELDS:
        layout, holder = _field_row(form, name)
        layout.setRowVisible(holder, name in used)
        if name in used:
            layout.labelForField(holder).setText(_(used[name]))


def outreach_values(form: Form) -> dict[str, Any]:
    """The form's values, with the numbers the kind does not use emptied (they may hold old typing)."""
    values = form.values()
    used = OUTREACH_FIELDS.get(values["kind"], {})
    for name in NUMBER_FIELDS:
        if name not in used:
            values[name] = ""
    return values


class OutreachDialog(RecordDialog):
    def values(self) -> dict:
        return outreach_values(self.form)


def outreach_dialog(session: Session, when: str, activity: dict | None = None,
                    parent: QWidget | None = None) -> OutreachDialog:
    form = Form()
    kind = form.choice("kind", _("&Kind"), OUTREACH_KINDS.choices(), empty=None)
    form.date("activity_date", _("&Date"))
    for name, caption in NUMBER_CAPTIONS.items():
        form.number(name, _(caption))  # adapt_outreach_form says what each counts for the kind chosen
    form.text("location", _("Pl&ace"))
    form.choice("staff_id", _("Carried &out by"), _staff(session, (activity or {}).get("staff_id")))
    form.long_text("notes", _("&Notes"))
    if activity is None:
        form.set_values({"kind": "broadcast", "activity_date": when, "quantity": "1",
                         "staff_id": session.info.lookups.my_staff_id or ""})
    else:
        form.set_values({**activity, **{n: "" if activity[n] is None else str(activity[n]) for n in NUMBER_FIELDS}})
    adapt_outreach_form(form)
    kind.currentIndexChanged.connect(lambda _index: adapt_outreach_form(form))

    if activity is None:
        title = _("New outreach activity")

        def work(register, values):
            return outreach.add(register, values)
    else:
        title, activity_id = _("Outreach activity"), activity["id"]

        def work(register, values):
            return outreach.edit(register, activity_id, values)

    return OutreachDialog(session, title, form, work, parent)


# --- the screen ---------------------------------------------------------------------
@dataclass(frozen=True)
class Month:
    first: date
    sessions: list[dict]
    activities: list[dict]


def load_month(register, first: date) -> Month:
    start, end = first.isoformat(), month_end(first).isoformat()
    return Month(first, contacts.sessions(register.conn, start, end), outreach.in_period(register.conn, start, end))


class ActivitiesView(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.month = this_month()
        self._generation = 0
        self._editable = session.can(Permission.CASE_WORK)

        self.previous_button = QPushButton(_("◀ &Previous month"))
        self.month_label = heading("")
        self.month_label.setObjectName("activities_month")
        self.next_button = QPushButton(_("&Next month ▶"))
        self.this_month_button = QPushButton(_("&This month"))
        self.totals = QLabel()
        self.totals.setObjectName("activities_totals")
        self.totals.setWordWrap(True)

        self.sessions = RowsModel([
            (_("Date"), lambda r: date_text(r["contact_date"])),
            (_("Kind"), lambda r: CONTACT_KINDS.label(r["kind"])),
            (_("People"), lambda r: number(session_people(r))),
            (_("Topics"), lambda r: self.session.info.lookups.labels_of("topic", r["topics"])),
            (_("Counsellor"), lambda r: self._staff_name(r["counsellor_id"])),
            (_("Place"), lambda r: r["location"]),
        ])
        self.sessions_view = table_view(self.sessions, "sessions_table", stretch_column=3)
        self.new_group = QPushButton(_("New &group session…"))
        self.new_group.setObjectName("new_group_session")
        self.new_community = QPushButton(_("New &community session…"))
        self.new_community.setObjectName("new_community_session")
        self.edit_session = QPushButton(_("E&dit the session…"))
        self.edit_session.setObjectName("edit_session")
        self.remove_session = QPushButton(_("Remove the session…"))

        self.outreach = RowsModel([
            (_("Date"), lambda r: date_text(r["activity_date"])),
            (_("Kind"), lambda r: OUTREACH_KINDS.label(r["kind"])),
            (_("Quantity"), lambda r: number(r["quantity"])),
            (_("Minutes each"), lambda r: number(r["minutes"])),
            (_("People"), lambda r: number(r["attendees"])),
            (_("Place"), lambda r: r["location"]),
            (_("Carried out by"), lambda r: self._staff_name(r["staff_id"])),
            (_("Notes"), lambda r: (r["notes"] or "").replace("\n", " ")),
        ])
        self.outreach_view = table_view(self.outreach, "outreach_table", stretch_column=7)
        self.new_outreach = QPushButton(_("New &outreach activity…"))
        self.new_outreach.setObjectName("new_outreach")
        self.edit_outreach = QPushButton(_("&Edit…"))
        self.remove_outreach = QPushButton(_("&Remove…"))

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Activities")))
        top.addStretch(1)
        for widget in (self.previous_button, self.month_label, self.next_button, self.this_month_button):
            top.addWidget(widget)
        layout.addLayout(top)
        layout.addWidget(self.totals)
        for title, view, buttons in (
                (_("Group and community counselling sessions"), self.sessions_view,
                 (self.new_group, self.new_community, self.edit_session, self.remove_session)),
                (_("Outreach"), self.outreach_view, (self.new_outreach, self.edit_outreach, self.remove_outreach))):
            layout.addWidget(QLabel(f"<b>{title}</b>"))
            layout.addWidget(view, 1)
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
                button.setEnabled(self._editable)
            row.addStretch(1)
            layout.addLayout(row)
        self.row_buttons = {self.sessions_view: (self.edit_session, self.remove_session),
                            self.outreach_view: (self.edit_outreach, self.remove_outreach)}

        self.previous_button.clicked.connect(lambda: self.show_month(shift_month(self.month, -1)))
        self.next_button.clicked.connect(lambda: self.show_month(shift_month(self.month, 1)))
        self.this_month_button.clicked.connect(lambda: self.show_month(this_month()))
        self.new_group.clicked.connect(lambda: group_session_dialog(session, self._when(), self).open())
        self.new_community.clicked.connect(lambda: community_session_dialog(session, self._when(), self).open())
        self.edit_session.clicked.connect(self._edit_session)
        self.sessions_view.doubleClicked.connect(lambda _index: self._edit_session())
        self.remove_session.clicked.connect(self._remove_session)
        self.new_outreach.clicked.connect(lambda: outreach_dialog(session, self._when(), parent=self).open())
        self.edit_outreach.clicked.connect(self._edit_outreach)
        self.outreach_view.doubleClicked.connect(lambda _index: self._edit_outreach())
        self.remove_outreach.clicked.connect(self._remove_outreach)
        for view in self.row_buttons:
            view.selectionModel().selectionChanged.connect(lambda *_args, v=view: self._enable_row_buttons(v))
            view.model().modelReset.connect(lambda v=view: self._enable_row_buttons(v))
            self._enable_row_buttons(view)
        session.changed.connect(self._on_changed)
        self.show_month(self.month)

    # --- loading --------------------------------------------------------------------
    def show_month(self, first: date) -> None:
        self.month = first
        self.month_label.setText(_("Month {month:02d}/{year}").format(month=first.month, year=first.year))
        self.next_button.setEnabled(first < this_month())  # nothing can be recorded in the future
        self.refresh()

    def refresh(self) -> None:
        self._generation += 1
        generation, first = self._generation, self.month
        self.session.run(lambda register: load_month(register, first),
                         lambda month: self._show(generation, month))

    def _show(self, generation: int, month: Month) -> None:
        if generation != self._generation:
            return  # the person moved on to another month meanwhile
        self.sessions.set_rows(month.sessions)
        self.outreach.set_rows(month.activities)
        caption = _("Totals for the month:")
        totals = month_totals(month.sessions, month.activities)  # numbers and our own words only: safe as rich text
        self.totals.setText(f"<b>{caption}</b> {totals}")

    def _on_changed(self, change: dict) -> None:
        tables = {c.table for c in change.get("records", [])}
        # Staff and catalog edits change the names shown in the lists.
        if tables & {"contacts", "contact_participants", "outreach", "staff"} or change.get("catalogs"):
            self.refresh()

    def _staff_name(self, staff_id: str | None) -> str:
        return self.session.info.lookups.staff_names.get(staff_id or "", "")

    def _enable_row_buttons(self, view) -> None:
        """Edit and remove act on the selected row: without one they are greyed out."""
        for button in self.row_buttons[view]:
            button.setEnabled(self._editable and selected_row(view) is not None)

    # --- actions ----------------------------------------------------------------------
    def _when(self) -> str:
        return _default_date(self.month)

    def _edit_outreach(self) -> None:
        row = selected_row(self.outreach_view)
        if row is not None and self._editable:
            outreach_dialog(self.session, self._when(), row, self).open()

    def _edit_session(self) -> None:
        row = selected_row(self.sessions_view)
        if row is None or not self._editable:
            return
        if row["kind"] == "community":
            community_session_dialog(self.session, self._when(), self, contact=row).open()
            return
        contact_id = row["id"]
        self.session.run(lambda register: session_participants(register, contact_id),
                         lambda hits: group_session_dialog(self.session, self._when(), self, contact=row,
                                                           participants=hits).open(),
                         lambda error: show_error(self, error))

    def _remove_outreach(self) -> None:
        row = selected_row(self.outreach_view)
        if row is not None and self._confirm(_("Remove this outreach activity ({kind}, {date})?").format(
                kind=OUTREACH_KINDS.label(row["kind"]), date=date_text(row["activity_date"]))):
            activity_id = row["id"]
            self._remove(lambda register: outreach.remove(register, activity_id))

    def _remove_session(self) -> None:
        row = selected_row(self.sessions_view)
        if row is not None and self._confirm(_("Remove this session ({kind}, {date})?").format(
                kind=CONTACT_KINDS.label(row["kind"]), date=date_text(row["contact_date"]))):
            contact_id = row["id"]
            self._remove(lambda register: contacts.remove(register, contact_id))

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, _("Remove"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _remove(self, work) -> None:
        self.session.run(work, lambda change: self.session.publish({"records": [change]}),
                         lambda error: show_error(self, error))
