"""Users of the register (administrators only): add, reset passphrase, change role, and on an office
register kept on a server the units each officer serves."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.core.i18n import _
from app.core.passphrase import check_new
from app.core.roles import Role
from app.gui.common.errors import message_for
from app.gui.common.session import Session
from app.gui.common.widgets import PassphraseFields, error_label, set_error
from app.store import users
from app.store.users import User


class UsersModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[User] = []

    def set_rows(self, rows: list[User]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (_("User name"), _("Full name"), _("Role"), _("State"))[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        user = self.rows[index.row()]
        return (user.login, user.full_name, user.role.label,
                _("active") if user.active else _("deactivated"))[index.column()]


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    box.rejected.connect(dialog.reject)
    return box


def _role_combo() -> QComboBox:
    combo = QComboBox()
    for role in Role:
        combo.addItem(role.label, role.value)
    combo.setCurrentIndex(list(Role).index(Role.COUNSELLOR))
    return combo


class AddUserDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Add a user"))
        self.full_name = QLineEdit()
        self.full_name.setObjectName("new_full_name")
        self.login = QLineEdit()
        self.login.setObjectName("new_login")
        self.role = _role_combo()
        self.fields = PassphraseFields()
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_("&Full name"), self.full_name)
        form.addRow(_("&User name"), self.login)
        form.addRow(_("&Role"), self.role)
        self.box = _buttons(self, _("Add user"))
        self.box.accepted.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.fields)
        layout.addWidget(self.error)
        layout.addWidget(self.box)

    def submit(self) -> None:
        try:
            secret = check_new(self.fields.passphrase(), self.fields.repeated())
        except UserError as error:
            self.fields.show_error(error.message)
            return
        login, name, role = self.login.text(), self.full_name.text(), self.role.currentData()
        self.box.setEnabled(False)
        self.session.run(lambda reg: users.add_user(reg, login, name, role, secret),
                         lambda _user: self.accept(), self._failed, progress_parent=self)

    def _failed(self, error: BaseException) -> None:
        self.box.setEnabled(True)
        set_error(self.error, message_for(error))


class ResetPassphraseDialog(QDialog):
    def __init__(self, session: Session, login: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.login = login
        self.setWindowTitle(_("New passphrase for {login}").format(login=login))
        self.fields = PassphraseFields()
        self.error = error_label()
        self.box = _buttons(self, _("Set passphrase"))
        self.box.accepted.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(self.error)
        layout.addWidget(self.box)

    def submit(self) -> None:
        try:
            secret = check_new(self.fields.passphrase(), self.fields.repeated())
        except UserError as error:
            self.fields.show_error(error.message)
            return
        login = self.login
        self.box.setEnabled(False)
        self.session.run(lambda reg: users.set_passphrase(reg, login, secret),
                         lambda _user: self.accept(), self._failed, progress_parent=self)

    def _failed(self, error: BaseException) -> None:
        self.box.setEnabled(True)
        set_error(self.error, message_for(error))


class RoleDialog(QDialog):
    def __init__(self, session: Session, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.user = user
        self.setWindowTitle(_("Role of {login}").format(login=user.login))
        self.role = _role_combo()
        self.role.setCurrentIndex(list(Role).index(user.role))
        self.active = QCheckBox(_("May unlock the register"))
        self.active.setChecked(user.active)
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_("&Role"), self.role)
        form.addRow("", self.active)
        self.box = _buttons(self, _("Save"))
        self.box.accepted.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.box)

    def submit(self) -> None:
        login, role, active = self.user.login, self.role.currentData(), self.active.isChecked()
        self.session.run(lambda reg: users.set_role(reg, login, role, active),
                         lambda _user: self.accept(), lambda e: set_error(self.error, message_for(e)))


EVERY_UNIT = "*"


def _units_choice(register, login: str) -> tuple[list[tuple[str, str]], set[str]]:
    """(code, name) of the points that send bundles here, and the units `login` serves now."""
    from app.sync import identity

    known = {k.unit_code: k.unit_name for k in identity.trusted_list(register.conn) if k.role == "point"}
    served = set(register.units_of(login))
    for code in served - known.keys() - {EVERY_UNIT, register.origin}:
        known[code] = ""
    return sorted(known.items()), served


class UnitsDialog(QDialog):
    """The points an officer serves: what they see and may import (row-level security on the server)."""

    def __init__(self, session: Session, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.user = user
        self.setWindowTitle(_("Units served by {login}").format(login=user.login))
        self.every = QCheckBox(_("&Every unit (now and later)"))
        self.every.setObjectName("every_unit")
        self.units = QListWidget()
        self.units.setObjectName("served_units")
        self.units.setMinimumWidth(420)
        self.every.toggled.connect(lambda on: self.units.setEnabled(not on))
        self.error = error_label()
        self.box = _buttons(self, _("Save"))
        self.box.accepted.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{name} sees and imports the records of the units ticked here only.").format(
            name=user.full_name)))
        layout.addWidget(self.every)
        layout.addWidget(self.units, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.box)
        login = user.login
        session.run(lambda reg: _units_choice(reg, login), self._show, lambda e: set_error(self.error, message_for(e)))

    def _show(self, choice) -> None:
        known, served = choice
        for code, name in known:
            item = QListWidgetItem(f"{code}  {name}".strip())
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in served else Qt.CheckState.Unchecked)
            self.units.addItem(item)
        self.every.setChecked(EVERY_UNIT in served)

    def chosen(self) -> list[str]:
        if self.every.isChecked():
            return [EVERY_UNIT]
        return [self.units.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.units.count())
                if self.units.item(i).checkState() == Qt.CheckState.Checked]

    def submit(self) -> None:
        login, units = self.user.login, self.chosen()
        self.box.setEnabled(False)
        self.session.run(lambda reg: reg.assign_units(login, units), lambda _none: self.accept(), self._failed)

    def _failed(self, error: BaseException) -> None:
        self.box.setEnabled(True)
        set_error(self.error, message_for(error))


class UsersPanel(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.model = UsersModel()
        self.table = QTableView()
        self.table.setObjectName("users_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.add = QPushButton(_("&Add user…"))
        self.add.setObjectName("add_user")
        self.reset = QPushButton(_("&New passphrase…"))
        self.role = QPushButton(_("&Role…"))
        self.units = QPushButton(_("&Units served…"))
        self.units.setObjectName("units_served")
        self.units.setToolTip(_("The points this officer sees and imports (an office register on a server)"))
        self.units.setVisible(session.info.on_server)
        buttons = QHBoxLayout()
        for button in (self.add, self.reset, self.role, self.units):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add.clicked.connect(lambda: self._open(AddUserDialog(self.session, self)))
        self.reset.clicked.connect(self._reset)
        self.role.clicked.connect(self._role)
        self.units.clicked.connect(self._units)
        session.changed.connect(lambda change: self.refresh() if "users" in change else None)
        self.refresh()

    def refresh(self) -> None:
        self.session.run(lambda reg: users.list_users(reg.conn), self.model.set_rows)

    def _selected(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _open(self, dialog: QDialog) -> None:
        dialog.accepted.connect(lambda: self.session.publish({"users": True}))
        dialog.open()

    def _reset(self) -> None:
        user = self._selected()
        if user:
            self._open(ResetPassphraseDialog(self.session, user.login, self))

    def _role(self) -> None:
        user = self._selected()
        if user:
            self._open(RoleDialog(self.session, user, self))

    def _units(self) -> None:
        user = self._selected()
        if user:
            self._open(UnitsDialog(self.session, user, self))
