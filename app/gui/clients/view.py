"""The Clients screen: search as you type over a lazily filled list, and the client file."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from app.core.roles import Permission
from app.core.vocab import CLIENT_GROUPS, CLIENT_STATUSES, SEXES
from app.gui.clients.client_file import ClientFile
from app.gui.clients.client_form import NewClientDialog
from app.gui.clients.import_dialog import ImportDialog
from app.gui.common.session import Session
from app.gui.common.tables import compact_rows
from app.gui.common.widgets import heading
from app.store import search
from app.store.search import ClientHit

PAGE = 100
SEARCH_DELAY_MS = 150


class ClientListModel(QAbstractTableModel):
    """Rows arrive a page at a time (fetchMore) from the worker; only ids and list columns are held."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.hits: list[ClientHit] = []
        self.total = 0
        self.text = ""
        self.include_closed = True
        self._generation = 0
        self._fetching = False
        self.headers = [_("Code"), _("Name"), _("Sex"), _("Born"), _("Hamlet"), _("Group"), _("Status")]

    def query(self, text: str, include_closed: bool, on_done=None) -> None:
        """Start a new search; stale answers to earlier keystrokes are dropped."""
        self._generation += 1
        generation = self._generation
        self.text, self.include_closed = text, include_closed

        def work(register):
            return (search.search(register.conn, text, limit=PAGE, include_closed=include_closed),
                    search.count(register.conn, text, include_closed=include_closed))

        def done(result) -> None:
            if generation != self._generation:
                return
            self.beginResetModel()
            self.hits, self.total = result
            self._fetching = False
            self.endResetModel()
            if on_done:
                on_done()

        self.session.run(work, done)

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and len(self.hits) < self.total and not self._fetching

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        self._fetching = True
        generation, offset = self._generation, len(self.hits)
        text, include_closed = self.text, self.include_closed

        def done(page: list[ClientHit]) -> None:
            self._fetching = False
            if generation != self._generation or not page:
                return
            self.beginInsertRows(QModelIndex(), len(self.hits), len(self.hits) + len(page) - 1)
            self.hits.extend(page)
            self.endInsertRows()

        self.session.run(lambda register: search.search(register.conn, text, limit=PAGE, offset=offset,
                                                        include_closed=include_closed), done)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        hit = self.hits[index.row()]
        return (hit.code, hit.display_name, SEXES.label(hit.sex), hit.birth_year, hit.hamlet,
                CLIENT_GROUPS.label(hit.main_group), CLIENT_STATUSES.label(hit.status))[index.column()]

    def hit(self, row: int) -> ClientHit | None:
        return self.hits[row] if 0 <= row < len(self.hits) else None


class ClientsView(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.model = ClientListModel(session)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("client_search")
        self.search_box.setPlaceholderText(_("Search by name, alias, code, phone or citizen ID; diacritics not needed"))
        self.search_box.setClearButtonEnabled(True)
        self.closed_box = QCheckBox(_("Include closed cases"))
        self.closed_box.setChecked(True)
        self.new_button = QPushButton(_("&New client…"))
        self.new_button.setObjectName("new_client")
        self.new_button.setEnabled(session.can(Permission.CASE_WORK))
        self.import_button = QPushButton(_("&Import from a spreadsheet…"))
        self.import_button.setObjectName("import_spreadsheet")
        self.import_button.setEnabled(session.can(Permission.CASE_WORK))
        self.count_label = QLabel()
        self.count_label.setObjectName("client_count")
        self.table = QTableView()
        self.table.setObjectName("client_list")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        compact_rows(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        list_page = QWidget()
        column = QVBoxLayout(list_page)
        column.addWidget(heading(_("Clients")))
        row = QHBoxLayout()
        row.addWidget(self.search_box, 1)
        row.addWidget(self.closed_box)
        row.addWidget(self.new_button)
        row.addWidget(self.import_button)
        column.addLayout(row)
        column.addWidget(self.table, 1)
        column.addWidget(self.count_label)
        self.file = ClientFile(session)
        self.stack = QStackedWidget()
        self.stack.addWidget(list_page)
        self.stack.addWidget(self.file)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(lambda _text: self._timer.start())
        self.search_box.returnPressed.connect(self._open_first)
        self.closed_box.toggled.connect(lambda _on: self.refresh())
        self.table.activated.connect(lambda index: self.open_client(self.model.hit(index.row()).id))
        self.new_button.clicked.connect(self.new_client)
        self.import_button.clicked.connect(lambda: ImportDialog(self.session, self).open())
        self.file.back.connect(self.show_list)
        self.file.open_client.connect(self.open_client)
        self.model.modelReset.connect(self._show_count)
        self.model.rowsInserted.connect(self._show_count)
        session.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        self.model.query(self.search_box.text(), self.closed_box.isChecked())

    def _show_count(self) -> None:
        self.count_label.setText(_("{shown} of {total} clients shown").format(
            shown=self.model.rowCount(), total=self.model.total))

    def _open_first(self) -> None:
        hit = self.model.hit(max(self.table.currentIndex().row(), 0))
        if hit is not None:
            self.open_client(hit.id)

    def open_client(self, client_id: str) -> None:
        self.file.load(client_id)
        self.stack.setCurrentWidget(self.file)
        self.file.tabs.setCurrentIndex(0)

    def show_list(self) -> None:
        self.stack.setCurrentIndex(0)
        self.search_box.setFocus()
        self.search_box.selectAll()

    def new_client(self) -> None:
        dialog = NewClientDialog(self.session, self)
        dialog.created.connect(self.open_client)
        dialog.open_existing.connect(self.open_client)
        dialog.open()

    def _on_changed(self, change: dict) -> None:
        if any(c.table == "clients" for c in change.get("records", [])):
            self.refresh()
