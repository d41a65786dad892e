"""The Groups screen: self-help groups (nhóm tự lực), their members and their meetings.

A group meets about twice a month; each meeting records who came, ticked
from the current members, plus anyone else picked by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.core.i18n import _
from app.core.roles import Permission
from app.core.text import fold, sort_key
from app.gui.common.errors import show_error
from app.gui.common.forms import date_text
from app.gui.common.session import Session
from app.gui.common.tables import RowsModel, selected_row, table_view
from app.gui.common.widgets import heading
from app.gui.groups.dialogs import MeetingDialog, end_membership_dialog, group_dialog, members_dialog, person_name
from app.store import groups, search

GROUP_TABLES = {"groups", "group_members", "group_meetings", "meeting_attendance", "clients"}


@dataclass(frozen=True)
class GroupDetails:
    group_id: str
    members: list[dict]
    meetings: list[dict]


def load_groups(register, include_inactive: bool) -> list[dict]:
    # In Vietnamese alphabetical order ("ấp" with "ap"), which SQLite's byte order is not.
    return sorted(groups.listing(register.conn, include_inactive=include_inactive),
                  key=lambda row: fold(row["name"]))


def load_details(register, group_id: str, include_former: bool) -> GroupDetails:
    conn = register.conn
    return GroupDetails(group_id, groups.members(conn, group_id, current_only=not include_former),
                        groups.meetings(conn, group_id))


def attendance_names(register, meeting_id: str) -> list[str]:
    hits = search.hits_by_id(register.conn, groups.attendance(register.conn, meeting_id))
    return [hit.display_name for hit in sorted(hits, key=lambda hit: sort_key(hit.full_name or hit.alias))]


class GroupsView(QWidget):
    open_client = Signal(str)  # a member's file, opened from the members list

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.details: GroupDetails | None = None
        editable = session.can(Permission.CASE_WORK)

        self.groups = RowsModel([
            (_("Self-help group"), lambda r: r["name"]),
            (_("Members"), lambda r: r["member_count"]),
            (_("Last meeting"), lambda r: date_text(r["last_meeting"])),
        ], highlight=lambda r: "#777777" if not r["active"] else None)
        self.groups_view = table_view(self.groups, "groups_table", stretch_column=0)
        self.inactive_box = QCheckBox(_("Show groups that no longer meet"))
        self.new_group = QPushButton(_("&New group…"))
        self.new_group.setObjectName("new_group")
        self.edit_group = QPushButton(_("&Edit the group…"))

        self.title = heading("")
        self.title.setObjectName("group_title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.summary = QLabel()
        self.summary.setObjectName("group_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # names and rules are typed by people
        self.members = RowsModel([
            (_("Name"), person_name),
            (_("Code"), lambda r: r["code"]),
            (_("Joined"), lambda r: date_text(r["joined_date"])),
            (_("Left"), lambda r: date_text(r["left_date"])),
        ], highlight=lambda r: "#777777" if r["left_date"] else None)
        self.members_view = table_view(self.members, "members_table", stretch_column=0)
        self.former_box = QCheckBox(_("Show former members"))
        self.add_members = QPushButton(_("&Add members…"))
        self.add_members.setObjectName("add_members")
        self.end_member = QPushButton(_("E&nd membership…"))
        self.meetings = RowsModel([
            (_("Date"), lambda r: date_text(r["meeting_date"])),
            (_("Topic"), lambda r: r["topic"]),
            (_("Facilitator"), lambda r: self.session.info.lookups.staff_names.get(r["facilitator_id"] or "", "")),
            (_("Present"), lambda r: r["attendee_count"]),
        ])
        self.meetings_view = table_view(self.meetings, "meetings_table", stretch_column=1)
        self.record_meeting = QPushButton(_("Record a &meeting…"))
        self.record_meeting.setObjectName("record_meeting")
        self.edit_meeting = QPushButton(_("Correct the mee&ting…"))
        self.edit_meeting.setObjectName("edit_meeting")
        self.remove_meeting = QPushButton(_("Remove the meeting…"))
        self.remove_meeting.setObjectName("remove_meeting")
        self.present_label = QLabel()
        self.present_label.setObjectName("meeting_present")
        self.present_label.setWordWrap(True)
        self.present_label.setTextFormat(Qt.TextFormat.PlainText)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading(_("Self-help groups")))
        column.addWidget(self.groups_view, 1)
        column.addWidget(self.inactive_box)
        column.addLayout(_row(self.new_group, self.edit_group))
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.summary)
        column.addWidget(_bold(_("Members")))
        column.addWidget(self.members_view, 1)
        column.addLayout(_row(self.add_members, self.end_member, self.former_box))
        column.addWidget(_bold(_("Meetings")))
        column.addWidget(self.meetings_view, 1)
        column.addWidget(self.present_label)
        column.addLayout(_row(self.record_meeting, self.edit_meeting, self.remove_meeting))
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setSizes([440, 720])  # room for a group's full name on the left
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        self.new_group.setEnabled(editable)
        # Members and meetings buttons wait for the group's members: the dialogs list them.
        self.detail_buttons = (self.add_members, self.record_meeting)
        self._editable = editable
        self.inactive_box.toggled.connect(lambda _on: self.refresh())
        self.former_box.toggled.connect(lambda _on: self._load_details())
        self.groups_view.selectionModel().selectionChanged.connect(lambda *_args: self._load_details())
        self.meetings_view.selectionModel().selectionChanged.connect(lambda *_args: self._show_present())
        self.meetings.modelReset.connect(self._enable_meeting_buttons)
        self.meetings_view.doubleClicked.connect(lambda _index: self._edit_meeting())
        self.members_view.selectionModel().selectionChanged.connect(lambda *_args: self._enable_end_member())
        self.members_view.activated.connect(lambda index: self.open_client.emit(self.members.row(index)["client_id"]))
        self.members.modelReset.connect(self._enable_end_member)
        self.new_group.clicked.connect(lambda: group_dialog(session, parent=self).open())
        self.edit_group.clicked.connect(self._edit_group)
        self.groups_view.doubleClicked.connect(lambda _index: self._edit_group())
        self.add_members.clicked.connect(self._add_members)
        self.end_member.clicked.connect(self._end_membership)
        self.record_meeting.clicked.connect(self._record_meeting)
        self.edit_meeting.clicked.connect(self._edit_meeting)
        self.remove_meeting.clicked.connect(self._remove_meeting)
        session.changed.connect(self._on_changed)
        self._show_group(None)
        self.refresh()

    # --- loading --------------------------------------------------------------------
    def group(self) -> dict | None:
        return selected_row(self.groups_view)

    def refresh(self) -> None:
        include_inactive = self.inactive_box.isChecked()
        self.session.run(lambda register: load_groups(register, include_inactive), self._show_groups)

    def _show_groups(self, rows: list[dict]) -> None:
        selected = (self.group() or {}).get("id")
        self.groups.set_rows(rows)
        ids = [r["id"] for r in rows]
        if ids:  # keep the group the person was looking at, otherwise the first; selecting loads it
            self.groups_view.selectRow(ids.index(selected) if selected in ids else 0)
        else:
            self._load_details()

    def _load_details(self) -> None:
        group = self.group()
        self._show_group(group)
        if group is None:
            return
        group_id, former = group["id"], self.former_box.isChecked()
        self.members_view.setColumnHidden(3, not former)  # "Left" is empty for current members
        self.session.run(lambda register: load_details(register, group_id, former), self._show_details)

    def _show_group(self, group: dict | None) -> None:
        self.details = None
        self.edit_group.setEnabled(self._editable and group is not None)
        for button in self.detail_buttons:
            button.setEnabled(False)
        if group is None:
            self.title.setText(_("No self-help group yet") if not self.groups.rows else "")
            self.summary.setText(_("Create a group with “New group…”, then add its members.")
                                 if not self.groups.rows else "")
            self.members.set_rows([])
            self.meetings.set_rows([])
            self.present_label.clear()
            return
        self.title.setText(group["name"])
        facts = [_("{n} members").format(n=group["member_count"])]
        if group["founded_date"]:
            facts.append(_("founded {date}").format(date=date_text(group["founded_date"])))
        if group["meets"]:
            facts.append(_("meets: {when}").format(when=group["meets"]))
        if not group["active"]:
            facts.append(_("no longer meets"))
        if group["rules"]:
            facts.append(_("rules: {rules}").format(rules=" ".join(group["rules"].split())))
        self.summary.setText(" · ".join(facts))

    def _show_details(self, details: GroupDetails) -> None:
        if (self.group() or {}).get("id") != details.group_id:
            return  # another group was chosen meanwhile
        self.details = details
        self.members.set_rows(details.members)
        self.meetings.set_rows(details.meetings)
        self.present_label.clear()
        for button in self.detail_buttons:
            button.setEnabled(self._editable)

    def _enable_end_member(self) -> None:
        member = selected_row(self.members_view)
        self.end_member.setEnabled(self._editable and member is not None and not member["left_date"])

    def _enable_meeting_buttons(self) -> None:
        chosen = self._editable and selected_row(self.meetings_view) is not None
        self.edit_meeting.setEnabled(chosen)
        self.remove_meeting.setEnabled(chosen)

    def _show_present(self) -> None:
        self._enable_meeting_buttons()
        meeting = selected_row(self.meetings_view)
        if meeting is None:
            self.present_label.clear()
            return
        meeting_id = meeting["id"]
        self.session.run(lambda register: attendance_names(register, meeting_id),
                         lambda names: self._present_loaded(meeting_id, names))

    def _present_loaded(self, meeting_id: str, names: list[str]) -> None:
        meeting = selected_row(self.meetings_view)
        if meeting is not None and meeting["id"] == meeting_id:
            self.present_label.setText(_("Present on {date}: {names}").format(
                date=date_text(meeting["meeting_date"]), names=", ".join(names) or "—"))

    def _on_changed(self, change: dict) -> None:
        tables = {c.table for c in change.get("records", [])}
        if tables & GROUP_TABLES or "staff" in tables:
            self.refresh()

    # --- actions ----------------------------------------------------------------------
    def _edit_group(self) -> None:
        group = self.group()
        if group is not None and self.edit_group.isEnabled():
            group_dialog(self.session, group, self).open()

    def _current_members(self) -> list[dict]:
        rows = self.details.members if self.details else []
        return [m for m in rows if not m["left_date"]]

    def _add_members(self) -> None:
        group = self.group()
        if group is not None and self.details is not None:
            current = [m["client_id"] for m in self._current_members()]
            members_dialog(self.session, group, current, self).open()

    def _end_membership(self) -> None:
        member = selected_row(self.members_view)
        if member is not None and not member["left_date"]:
            end_membership_dialog(self.session, member, self).open()

    def _record_meeting(self) -> None:
        group = self.group()
        if group is not None and self.details is not None:
            MeetingDialog(self.session, group, self._current_members(), self).open()

    def _edit_meeting(self) -> None:
        group, meeting = self.group(), selected_row(self.meetings_view)
        if group is None or meeting is None or self.details is None or not self._editable:
            return
        members, meeting_id = self._current_members(), meeting["id"]
        self.session.run(
            lambda register: search.hits_by_id(register.conn, groups.attendance(register.conn, meeting_id)),
            lambda present: MeetingDialog(self.session, group, members, self, meeting=meeting,
                                          present=present).open(),
            lambda error: show_error(self, error))

    def _remove_meeting(self) -> None:
        meeting = selected_row(self.meetings_view)
        if meeting is None or not self._editable:
            return
        question = _("Remove the meeting of {date} ({n} present)? It will no longer count in the monthly form.")
        answer = QMessageBox.question(self, _("Remove"), question.format(
            date=date_text(meeting["meeting_date"]), n=meeting["attendee_count"]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            meeting_id = meeting["id"]
            self.session.run(lambda register: groups.remove_meeting(register, meeting_id),
                             lambda change: self.session.publish({"records": [change]}),
                             lambda error: show_error(self, error))


def _bold(text: str) -> QLabel:
    return QLabel(f"<b>{text}</b>")


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
