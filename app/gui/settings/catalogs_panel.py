"""Settings tab (administrators): the lists forms choose from — substances, services, topics, hamlets.

Items are never deleted, only deactivated: old records keep their code and
still show its name. After every change the session reloads its lookups,
so forms opened afterwards offer the new list.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.fields import FieldErrors
from app.core.i18n import _
from app.core.vocab import CATALOG_KINDS
from app.gui.common.record_dialog import RecordDialog
from app.gui.common.errors import show_error
from app.gui.common.forms import Form
from app.gui.common.session import Session
from app.gui.common.tables import RowsModel, selected_row, table_view
from app.store import catalogs
from app.store.catalogs import CatalogItem

INACTIVE = "#777777"


def item_dialog(session: Session, kind: str, item: CatalogItem | None = None,
                parent: QWidget | None = None) -> RecordDialog:
    """Add an item, or rename one (its code, which records store, stays the same)."""
    form = Form()
    form.text("label_vi", _("&Vietnamese name"))
    form.text("label_en", _("&English name"), _("optional; shown when the program is in English"))
    if item is not None:
        form.set_values({"label_vi": item.label_vi, "label_en": item.label_en})

    def work(register, values):
        if item is None:
            code = catalogs.code_for(values["label_vi"])
            if values["label_vi"].strip() and code in catalogs.codes(register.conn, kind):
                raise FieldErrors({"label_vi": _("already in the list (perhaps deactivated): "
                                                 "select it and activate it")})
            catalogs.save_item(register, kind, values["label_vi"], values["label_en"])
        else:
            catalogs.save_item(register, kind, values["label_vi"], values["label_en"], code=item.code,
                               active=item.active, sort_order=item.sort_order)
        return None  # catalog items are not synced records; the panel refreshes the lookups itself

    title = (_("New item: {catalog}") if item is None else _("Rename: {catalog}")).format(
        catalog=CATALOG_KINDS.label(kind))
    return RecordDialog(session, title, form, work, parent)


class CatalogsPanel(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.catalog = QComboBox()
        self.catalog.setObjectName("catalog_kind")
        for code, label in CATALOG_KINDS.choices():
            self.catalog.addItem(label, code)
        self.model = RowsModel([
            (_("Vietnamese name"), lambda item: item.label_vi),
            (_("English name"), lambda item: item.label_en),
            (_("Code"), lambda item: item.code),
            (_("State"), lambda item: _("in use") if item.active else _("no longer used")),
        ], highlight=lambda item: None if item.active else INACTIVE)
        self.table = table_view(self.model, "catalog_table", stretch_column=0)
        self.add = QPushButton(_("&Add an item…"))
        self.add.setObjectName("add_catalog_item")
        self.rename = QPushButton(_("Re&name…"))
        self.toggle = QPushButton(_("&Deactivate"))
        self.toggle.setObjectName("toggle_catalog_item")
        help_text = QLabel(_("Deactivated items are no longer offered on forms; records that already use "
                             "them keep showing their name."))
        help_text.setWordWrap(True)
        caption = QLabel(_("&Catalog"))
        caption.setBuddy(self.catalog)
        chooser = QHBoxLayout()
        chooser.addWidget(caption)
        chooser.addWidget(self.catalog)
        chooser.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.add, self.rename, self.toggle):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addWidget(help_text)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.catalog.currentIndexChanged.connect(lambda _index: self.refresh())
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._show_toggle())
        self.add.clicked.connect(lambda: self._open(item_dialog(session, self.kind(), parent=self)))
        self.rename.clicked.connect(self._rename)
        self.table.doubleClicked.connect(lambda _index: self._rename())
        self.toggle.clicked.connect(self._toggle)
        self.refresh()

    def kind(self) -> str:
        return self.catalog.currentData()

    def refresh(self) -> None:
        kind = self.kind()
        self.session.run(lambda register: catalogs.items(register.conn, kind, include_inactive=True),
                         lambda items: self._show(kind, items))

    def _show(self, kind: str, items: list[CatalogItem]) -> None:
        if kind != self.kind():
            return  # another list was chosen meanwhile
        selected = selected_row(self.table)
        self.model.set_rows(items)
        codes = [item.code for item in items]
        if selected is not None and selected.code in codes:
            self.table.selectRow(codes.index(selected.code))
        self._show_toggle()

    def _show_toggle(self) -> None:
        item = selected_row(self.table)
        self.rename.setEnabled(item is not None)
        self.toggle.setEnabled(item is not None)
        self.toggle.setText(_("A&ctivate") if item is not None and not item.active else _("&Deactivate"))

    def _open(self, dialog: RecordDialog) -> None:
        dialog.accepted.connect(self._changed)
        dialog.open()

    def _rename(self) -> None:
        item = selected_row(self.table)
        if item is not None:
            self._open(item_dialog(self.session, self.kind(), item, self))

    def _toggle(self) -> None:
        item = selected_row(self.table)
        if item is None:
            return
        self.session.run(lambda register: catalogs.save_item(
            register, item.kind, item.label_vi, item.label_en, code=item.code, active=not item.active,
            sort_order=item.sort_order), lambda _saved: self._changed(), lambda error: show_error(self, error))

    def _changed(self) -> None:
        self.refresh()
        self.session.refresh_lookups()
