"""Settings tab: the point's staff and volunteers, the hamlets each covers, their logins.

The people listed here are the ones forms offer as counsellor, volunteer,
facilitator or "carried out by"; a person who leaves is marked inactive
(never deleted: old records still name them).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.i18n import _
from app.core.roles import Permission
from app.core.text import sort_key
from app.core.vocab import STAFF_KINDS
from app.gui.common.record_dialog import RecordDialog
from app.gui.common.forms import Form
from app.gui.common.session import Session
from app.gui.common.tables import RowsModel, selected_row, table_view
from app.store import staff, users
from app.store.users import User

INACTIVE = "#777777"


@dataclass(frozen=True)
class StaffList:
    people: list[dict]
    users: list[User]


def load_staff(register) -> StaffList:
    people = sorted(staff.listing(register.conn, active_only=False),  # given name first, as Vietnamese lists are
                    key=lambda row: (not row["active"], sort_key(row["full_name"])))
    return StaffList(people, users.list_users(register.conn))


def staff_dialog(session: Session, logins: list[User], person: dict | None = None,
                 parent: QWidget | None = None) -> RecordDialog:
    hamlets = list(session.info.lookups.hamlets)
    # A hamlet since removed from the catalog stays ticked rather than being dropped silently.
    known = {code for code, _label in hamlets}
    hamlets += [(name, name) for name in (person or {}).get("hamlets", []) if name not in known]
    form = Form()
    form.text("full_name", _("&Full name"), _("e.g. Trần Thị Lan"))
    form.choice("kind", _("&Kind"), STAFF_KINDS.choices(), empty=None)
    form.text("position", _("&Position"), _("e.g. team leader, vice-chair"))
    form.text("phone", _("P&hone"))
    form.codes("hamlets", _("Hamlets &covered"), hamlets)
    form.choice("user_id", _("&Login"), [(u.id, f"{u.login} ({u.full_name})") for u in logins],
                empty=_("(none)"))
    form.flag("active", _("&Still working with the point"))
    if person is None:
        form.set_values({"kind": "volunteer", "active": True})

        def work(register, values):
            return staff.add(register, values)

        return RecordDialog(session, _("New staff member or volunteer"), form, work, parent)
    form.set_values(person)
    staff_id = person["id"]

    def edit(register, values):
        return staff.edit(register, staff_id, values)

    return RecordDialog(session, person["full_name"], form, edit, parent)


class StaffPanel(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.logins: list[User] = []
        self.model = RowsModel([
            (_("Full name"), lambda r: r["full_name"]),
            (_("Kind"), lambda r: STAFF_KINDS.label(r["kind"])),
            (_("Position"), lambda r: r["position"]),
            (_("Phone"), lambda r: r["phone"]),
            (_("Hamlets covered"), lambda r: ", ".join(r["hamlets"])),
            (_("Login"), lambda r: self._login(r["user_id"])),
            (_("State"), lambda r: _("active") if r["active"] else _("no longer working")),
        ], highlight=lambda r: None if r["active"] else INACTIVE)
        self.table = table_view(self.model, "staff_table", stretch_column=4)
        self.add = QPushButton(_("&Add a person…"))
        self.add.setObjectName("add_staff")
        self.edit = QPushButton(_("&Edit…"))
        self._editable = session.can(Permission.CASE_WORK)
        self.add.setEnabled(False)  # until the logins are loaded: the dialog offers them
        self.edit.setEnabled(False)
        help_text = QLabel(_("Counsellors and board members are offered as counsellors on contacts; volunteers as "
                             "the volunteer following a client. A person who leaves is marked as no longer "
                             "working; old records keep their name."))
        help_text.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.edit)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add.clicked.connect(lambda: staff_dialog(session, self.logins, parent=self).open())
        self.edit.clicked.connect(self._edit)
        self.table.doubleClicked.connect(lambda _index: self._edit())
        session.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        self.session.run(load_staff, self._show)

    def _show(self, listing: StaffList) -> None:
        self.logins = listing.users
        self.model.set_rows(listing.people)
        self.add.setEnabled(self._editable)
        self.edit.setEnabled(self._editable)

    def _login(self, user_id: str | None) -> str:
        return next((u.login for u in self.logins if u.id == user_id), "")

    def _edit(self) -> None:
        person = selected_row(self.table)
        if person is not None and self.edit.isEnabled():
            staff_dialog(self.session, self.logins, person, self).open()

    def _on_changed(self, change: dict) -> None:
        if any(c.table == "staff" for c in change.get("records", [])) or "users" in change or change.get("catalogs"):
            self.refresh()
