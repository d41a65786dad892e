"""The dialogs of the Groups screen: a group, adding and ending memberships, a meeting with who came."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from app.core import validate
from app.core.clock import local, utc_now
from app.core.fields import Checker
from app.core.i18n import _
from app.gui.common.client_picker import CLIENTS, ClientPicker, ClientsDialog, check_chosen
from app.gui.common.forms import Form
from app.gui.common.record_dialog import RecordDialog
from app.gui.common.session import Session
from app.store import groups
from app.store.search import ClientHit


def _today() -> str:
    return local(utc_now()).date().isoformat()


def person_name(row: dict) -> str:
    if row.get("full_name") and row.get("alias"):
        return f"{row['full_name']} ({row['alias']})"
    return row.get("full_name") or row.get("alias") or ""


def group_dialog(session: Session, group: dict | None = None, parent: QWidget | None = None) -> RecordDialog:
    form = Form()
    form.text("name", _("&Name"), _("e.g. Nhóm tự lực ấp Mỹ Thạnh"))
    form.date("founded_date", _("&Founded on"))
    form.text("meets", _("&Meets"), _("e.g. 2nd and 4th Sunday of the month, at the point's office"))
    form.long_text("rules", _("&Rules"))
    form.long_text("notes", _("N&otes"))
    if group is None:
        form.set_values({"founded_date": _today()})

        def work(register, values):
            return groups.create(register, values)

        return RecordDialog(session, _("New self-help group"), form, work, parent)
    form.flag("active", _("&Still meeting"))
    form.set_values(group)
    group_id = group["id"]

    def edit(register, values):
        return groups.edit(register, group_id, values)

    return RecordDialog(session, _("Self-help group"), form, edit, parent)


def members_dialog(session: Session, group: dict, current: list[str], parent: QWidget | None = None) -> ClientsDialog:
    """Pick new members (current members are not offered again) and the date they joined."""
    form = Form()
    form.date("joined_date", _("&Joined on"))
    form.set_values({"joined_date": _today()})
    group_id = group["id"]
    needed = _("choose the clients who join the group")

    def work(register, values):
        chosen, joined = values[CLIENTS], values["joined_date"]

        def check_date():
            checker = Checker({"joined_date": joined}, {})
            checker.date("joined_date", required=True, not_after=local(utc_now()).date())
            checker.done()

        check_chosen(chosen, needed, check_date)
        with register.transaction():  # all of them or none
            return [groups.add_member(register, group_id, client_id, joined) for client_id in chosen]

    picker = ClientPicker(session, exclude=current, chosen_label=_("New &members: {n}"))
    dialog = ClientsDialog(session, _("New members of {group}").format(group=group["name"]), form, work, parent,
                           picker=picker, save_text=_("Add the members"))
    picker.search_box.setFocus()  # the date is filled in; finding people is the work
    return dialog


def end_membership_dialog(session: Session, member: dict, parent: QWidget | None = None) -> RecordDialog:
    form = Form()
    form.date("left_date", _("&Left on"))
    form.set_values({"left_date": _today()})
    member_id = member["id"]

    def work(register, values):
        return groups.end_membership(register, member_id, values["left_date"])

    return RecordDialog(session, _("{name} leaves the group").format(name=person_name(member)), form, work, parent,
                        _("End the membership"))


class MembersChecklist(QListWidget):
    """The current members, ticked with Space when present (nobody is ticked beforehand)."""

    def __init__(self, members: list[dict]) -> None:
        super().__init__()
        self.setObjectName("attendance_members")
        for member in members:
            item = QListWidgetItem(f"{person_name(member)}   {member['code']}")
            item.setData(Qt.ItemDataRole.UserRole, member["client_id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMinimumHeight(120)

    def present(self) -> list[str]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def tick_all(self) -> None:
        self.tick(None)

    def tick(self, client_ids: set[str] | None) -> None:
        """Tick the members named (None: everyone)."""
        for i in range(self.count()):
            item = self.item(i)
            if client_ids is None or item.data(Qt.ItemDataRole.UserRole) in client_ids:
                item.setCheckState(Qt.CheckState.Checked)


class MeetingDialog(ClientsDialog):
    """A meeting: date, topic, facilitator, members present and others who came."""

    def __init__(self, session: Session, group: dict, members: list[dict], parent: QWidget | None = None, *,
                 meeting: dict | None = None, present: list[ClientHit] = ()) -> None:
        """A new meeting, or (with `meeting` and the people `present`) a correction of one."""
        lookups = session.info.lookups
        form = Form()
        form.date("meeting_date", _("&Date"))
        form.text("topic", _("&Topic"))
        form.choice("facilitator_id", _("&Facilitator"), lookups.with_current(
            lookups.counsellors + lookups.volunteers, (meeting or {}).get("facilitator_id")))
        form.long_text("notes", _("&Notes"))
        if meeting is None:
            form.set_values({"meeting_date": _today(), "facilitator_id": lookups.my_staff_id or ""})
        else:
            form.set_values({name: meeting.get(name) or "" for name in ("meeting_date", "topic", "facilitator_id",
                                                                       "notes")})
        checklist = MembersChecklist(members)
        checklist.tick({hit.id for hit in present})
        all_present = QPushButton(_("All &present"))
        above = QWidget()
        column = QVBoxLayout(above)
        column.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(_("&Members present (Space ticks)"))
        caption.setBuddy(checklist)
        column.addWidget(caption)
        column.addWidget(checklist, 1)
        column.addWidget(all_present, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(QLabel(_("Others who came (not members):")))
        group_id = group["id"]
        needed = _("tick the members present or choose who came")

        meeting_id = (meeting or {}).get("id")

        def work(register, values):
            attendees = values.pop(CLIENTS)
            check_chosen(attendees, needed, lambda: validate.meeting(values))
            if meeting_id is None:
                return groups.record_meeting(register, group_id, values, attendees)
            return groups.edit_meeting(register, meeting_id, values, attendees)

        member_ids = {m["client_id"] for m in members}
        picker = ClientPicker(session, exclude=member_ids, chosen_label=_("Ot&hers present: {n}"))
        for hit in present:
            if hit.id not in member_ids:  # guests, and members who have since left the group
                picker.choose(hit)
        super().__init__(session, _("Meeting of {group}").format(group=group["name"]), form, work, parent,
                         picker=picker, above=above, beside=True)
        self.members, self.all_present = checklist, all_present
        all_present.clicked.connect(checklist.tick_all)

    def values(self) -> dict:
        return {**self.form.values(), CLIENTS: self.members.present() + self.picker.ids()}


# --- the screen -----------------------------------------------------------------------
