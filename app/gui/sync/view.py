"""The Sync screen: tabs that depend on the register's role.

A point sends its data and shows what the receiving office has; a district
(receiving office) sees its points, imports their bundles and reviews
possible same persons. Both manage keys. Each tab is its own module.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.core.i18n import _
from app.core.unit import RegisterRole
from app.gui.common.session import Session
from app.gui.sync.district import DistrictPanel
from app.gui.sync.keys import KeysPanel
from app.gui.sync.persons import PersonsPanel
from app.gui.sync.point import PointPanel
from app.gui.sync.refusals import HeldPanel, RefusedPanel
from app.gui.sync.relay import RelayPanel
from app.gui.common.widgets import heading


class SyncView(QWidget):
    open_client = Signal(str)  # a refused record's client file (point)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sync_tabs")
        self.point = self.district = self.persons = self.held = self.refused = self.relayed = None
        if session.info.unit.role == RegisterRole.DISTRICT:
            self.district = DistrictPanel(session)
            self.held = HeldPanel(session)
            self.persons = PersonsPanel(session)
            self.relayed = RelayPanel(session)
            self.tabs.addTab(self.district, _("Points"))
            self.tabs.addTab(self.held, _("Records held back"))
            self.tabs.addTab(self.persons, _("Possible same persons"))
            self.tabs.addTab(self.relayed, _("Relayed units"))
            title = _("Sync: data from the points")
        else:
            self.point = PointPanel(session)
            self.refused = RefusedPanel(session)
            self.refused.open_client.connect(self.open_client)
            self.tabs.addTab(self.point, _("Send data"))
            self.tabs.addTab(self.refused, _("Refused by the office"))
            title = _("Sync: send data to the receiving office")
        self.keys = KeysPanel(session)
        self.tabs.addTab(self.keys, _("Keys"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title))
        layout.addWidget(self.tabs, 1)
