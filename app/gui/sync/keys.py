"""Keys: this register's fingerprint (text and QR code), its key file, the trusted keys, new keys.

Trust is only given after the person types the fingerprint the other office
read aloud; the dialog never shows the key file's own fingerprint, so it
cannot simply be copied from the file it is meant to check.
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass
from pathlib import Path

import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from app.core.roles import Permission
from app.gui.common.errors import message_for, show_error
from app.gui.common.session import Session
from app.gui.sync.common import ALARM_COLOUR, day, grouped_lines, imported_changes, read_bytes, role_label, run, \
    start_folder
from app.gui.common.tables import RowsModel, table_view
from app.gui.common.widgets import error_label, monospace, set_error
from app.store.files import write_atomic
from app.store.records import SYNCED_TABLES
from app.gui.sync.relay import RelayChoice
from app.sync import identity, merge, overview, relay

QR_SCALE = 5


def qr_pixmap(text: str, scale: int = QR_SCALE) -> QPixmap:
    """The text as a QR code (segno writes PNG bytes; Qt reads them)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


@dataclass(frozen=True)
class KeyFile:
    """A key file as read on the worker: a public identity, or a signed key-change announcement."""

    path: str
    identity: identity.Identity
    announcement: dict | None = None


def read_key_file(path: str) -> KeyFile:
    data = read_bytes(path)
    try:
        document = json.loads(data)
    except ValueError:
        document = None
    if isinstance(document, dict) and "statement" in document:
        statement = document.get("statement")
        new = identity.identity_from_dict(statement.get("new") if isinstance(statement, dict) else None)
        return KeyFile(path, new, document)
    return KeyFile(path, identity.identity_from_bytes(data))


class TrustKeyDialog(QDialog):
    """Shows whose key a file holds and pins it only when the typed fingerprint matches."""

    def __init__(self, session: Session, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.key_file: KeyFile | None = None
        self.setWindowTitle(_("Trust a key file"))
        self.setMinimumWidth(620)
        self.file = QLabel(str(path))
        self.file.setWordWrap(True)
        self.file.setTextFormat(Qt.TextFormat.PlainText)
        self.unit = QLabel(_("Reading the key file…"))
        self.unit.setObjectName("key_unit")
        self.unit.setWordWrap(True)
        self.role = QLabel()
        self.role.setObjectName("key_role")
        self.explain = QLabel(_("Phone the other office (or meet them) and ask them to read the fingerprint "
                                "shown on their Sync screen, Keys tab. Type it here; spaces and small letters "
                                "do not matter."))
        self.explain.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {ALARM_COLOUR};")
        self.note.hide()
        self.fingerprint = QLineEdit()
        self.fingerprint.setObjectName("typed_fingerprint")
        self.fingerprint.setPlaceholderText("XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX")
        monospace(self.fingerprint, 1.2)
        self.fingerprint_error = error_label()
        self.fingerprint_error.setObjectName("fingerprint_error")
        self.error = error_label()
        holder = QVBoxLayout()
        holder.setSpacing(2)
        holder.addWidget(self.fingerprint)
        holder.addWidget(self.fingerprint_error)
        self.fingerprint_label = QLabel(_("&Fingerprint read aloud"))
        self.fingerprint_label.setBuddy(self.fingerprint)
        form = QFormLayout()
        form.addRow(_("File"), self.file)
        form.addRow(_("Unit"), self.unit)
        form.addRow(_("Role"), self.role)
        form.addRow(self.fingerprint_label, holder)
        self.relay_choice = RelayChoice()
        self.relay_choice.hide()
        self.relay_choice.below.toggled.connect(lambda _on: self._fit())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.trust_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.trust_button.setObjectName("trust_button")
        self.trust_button.setText(_("&Trust this key"))
        self.trust_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.explain)
        layout.addWidget(self.relay_choice)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.fingerprint.textEdited.connect(lambda _text: set_error(self.fingerprint_error, None))
        run(self, session, lambda register: (read_key_file(path), relay.claims(register.conn)),
            self._read, self._unreadable)

    def _read(self, found) -> None:
        key_file, claims = found
        self.key_file = key_file
        peer = key_file.identity
        # The file is not trusted yet: its names are shown as text, never as markup.
        self.unit.setText(f"<b>{html.escape(peer.unit_name or peer.unit_code)}</b> ({html.escape(peer.unit_code)})")
        self.role.setText(role_label(peer.role))
        if peer.register_id == self.session.info.register_id:
            self._message(self.error, _("This is this register's own key file. Choose the key file the other "
                                        "office sent you."))
            return
        if key_file.announcement is not None:
            # A key change is checked against the key already trusted for that unit: nothing to compare.
            self.explain.setText(_("This file announces new keys for this unit, signed with its old key. If you "
                                   "trust the old key, the new one is accepted without comparing fingerprints."))
            for widget in (self.fingerprint, self.fingerprint_label):
                widget.hide()
            self.trust_button.setText(_("&Accept the new key"))
        elif peer.role == self.session.info.unit.role.value == "point":
            self.note.setText(_("This is another consultation point's key. A point only needs the key of the "
                                "office that receives its data."))
            self.note.show()
        elif peer.role == self.session.info.unit.role.value == "district":
            self.relay_choice.show_for(peer, claims, self.session.info.unit.code)
            self.relay_choice.show()
            self._fit()
        self.trust_button.setEnabled(True)
        self.fingerprint.setFocus()

    def _unreadable(self, error: BaseException) -> None:
        self.unit.setText("")
        self._message(self.error, message_for(error))

    def _message(self, label: QLabel, text: str | None) -> None:
        """Show a message and grow the dialog so wrapped lines are not cut off."""
        set_error(label, text)
        self._fit()

    def _fit(self) -> None:
        layout = self.layout()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)

    def submit(self) -> None:
        key_file = self.key_file
        if key_file is None:
            return
        typed = self.fingerprint.text()
        if key_file.announcement is None and not typed.strip():
            self._message(self.fingerprint_error, _("Type the fingerprint the other office read to you."))
            self.fingerprint.setFocus()
            return
        set_error(self.fingerprint_error, None)
        set_error(self.error, None)
        self.trust_button.setEnabled(False)
        if key_file.announcement is not None:
            work = lambda register: identity.follow_key_change(register, key_file.announcement)  # noqa: E731
        else:
            sends_here, units = self.relay_choice.sends_here(), self.relay_choice.chosen()

            def work(register):
                peer = identity.pin(register, key_file.identity, typed, sends_here=sends_here)
                if units:
                    relay.assign(register, peer.unit_code, units)
                return peer

        def trust_and_retry(register):
            peer = work(register)
            # A refreshed key file (a district's new point list) may let records held back pass now.
            return merge.retry_held(register, peer.unit_code)

        run(self, self.session, trust_and_retry, self._trusted, self._failed, progress_parent=self)

    def _trusted(self, retried) -> None:
        change = {"sync": {"keys": True, "held": True}}
        if retried.applied:
            change["records"] = imported_changes(set(SYNCED_TABLES))
        self.session.publish(change)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.trust_button.setEnabled(True)
        if isinstance(error, identity.FingerprintMismatch):
            # Not the engine's message: it names the file's fingerprint, which would invite copying it in.
            self._message(self.fingerprint_error, _("The fingerprint you typed does not match this key file. Do "
                                                    "not trust it: compare the fingerprint with the other office "
                                                    "again, by phone or in person."))
            self.fingerprint.setFocus()
            self.fingerprint.selectAll()
        else:
            self._message(self.error, message_for(error))


class KeysPanel(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.identity: identity.Identity | None = None
        admin = session.can(Permission.MANAGE_SETTINGS)
        self.fingerprint = QLabel("…")
        self.fingerprint.setObjectName("own_fingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        monospace(self.fingerprint, 1.9)
        self.qr = QLabel()
        self.qr.setObjectName("key_qr")
        self.qr.setMinimumSize(150, 150)
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.own_unit = QLabel()
        self.own_unit.setWordWrap(True)
        explain = QLabel(_("Send the key file to the other office (USB stick or e-mail), then read this fingerprint "
                           "to them by phone or let them scan the QR code. They trust your key only if it matches."))
        explain.setWordWrap(True)
        self.save_button = QPushButton(_("&Save my key file…"))
        self.save_button.setObjectName("save_key_file")
        self.rotate_button = QPushButton(_("&Make new keys…"))
        self.rotate_button.setObjectName("make_new_keys")
        self.rotate_button.setEnabled(admin)
        self.status = QLabel()
        self.status.setObjectName("keys_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.model = RowsModel([
            (_("Unit"), lambda k: f"{k.unit_name} ({k.unit_code})" if k.unit_name else k.unit_code),
            (_("Role"), lambda k: role_label(k.role)),
            (_("Fingerprint"), lambda k: k.fingerprint),
            (_("Trusted on"), lambda k: day(k.pinned_at)),
            (_("State"), lambda k: _("in use") if k.active else _("replaced by a newer key")),
            (_("Bundles"), lambda k: _("send here") if k.direction == "down" else _("receive ours")),
        ], highlight=lambda k: None if k.active else "#757575")
        self.table = table_view(self.model, "trusted_keys", stretch_column=0)
        self.trust_button = QPushButton(_("&Trust a key file…"))
        self.trust_button.setObjectName("trust_key_file")
        self.trust_button.setEnabled(admin)
        if not admin:
            for button in (self.trust_button, self.rotate_button):
                button.setToolTip(_("Only an administrator can change which keys are trusted."))

        own = QGroupBox(_("This register's key"))
        text = QVBoxLayout()
        text.addWidget(self.own_unit)
        text.addWidget(QLabel(_("Fingerprint")))
        text.addWidget(self.fingerprint)
        text.addWidget(explain)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.rotate_button)
        buttons.addStretch(1)
        text.addLayout(buttons)
        text.addWidget(self.status)
        text.addStretch(1)
        row = QHBoxLayout(own)
        row.addLayout(text, 1)
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        peers = QGroupBox(_("Trusted keys"))
        column = QVBoxLayout(peers)
        column.addWidget(self.table, 1)
        trust_row = QHBoxLayout()
        trust_row.addWidget(self.trust_button)
        trust_row.addWidget(QLabel(_("A key is trusted after its fingerprint was compared with the other office.")), 1)
        column.addLayout(trust_row)
        layout = QVBoxLayout(self)
        layout.addWidget(own)
        layout.addWidget(peers, 1)
        QWidget.setTabOrder(self.save_button, self.rotate_button)
        QWidget.setTabOrder(self.rotate_button, self.table)
        QWidget.setTabOrder(self.table, self.trust_button)

        self.save_button.clicked.connect(self.save_key_file)
        self.trust_button.clicked.connect(self.trust_key_file)
        self.rotate_button.clicked.connect(self.make_new_keys)
        session.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        # own_identity makes the keys the first time (inside the encrypted register).
        run(self, self.session,
            lambda register: (identity.own_identity(register), overview.trusted_keys(register.conn)), self._show)

    def _show(self, result) -> None:
        self.identity, keys = result
        me = self.identity
        self.own_unit.setText(f"<b>{html.escape(me.unit_name)}</b> ({html.escape(me.unit_code)}) · "
                              f"{role_label(me.role)}")
        self.fingerprint.setText(grouped_lines(me.confirmation))
        self.qr.setPixmap(qr_pixmap(me.confirmation))
        self.qr.setToolTip(_("The fingerprint as a QR code: {fingerprint}").format(fingerprint=me.confirmation))
        self.model.set_rows(keys)

    def _on_changed(self, change: dict) -> None:
        if change.get("sync", {}).get("keys") or "unit_name" in change.get("settings", {}):
            self.refresh()

    def save_key_file(self) -> None:
        code = self.session.info.unit.code
        path, _chosen = QFileDialog.getSaveFileName(self, _("Save my key file"),
                                                    str(Path(start_folder()) / f"{code}.tvkey"),
                                                    _("Tư Vấn key file (*.tvkey)"))
        if not path:
            return

        def work(register) -> str:
            me = identity.own_identity(register)
            write_atomic(Path(path), me.to_bytes(), mode=0o644)  # public keys only: others may read it
            return me.confirmation

        run(self, self.session, work, lambda fingerprint: self.status.setText(
            _("Key file written to {path}.").format(path=path) + " "
            + _("Read this fingerprint to the other office so they can check it: {fingerprint}").format(
                fingerprint=fingerprint)), lambda error: show_error(self, error))

    def trust_key_file(self) -> None:
        path, _chosen = QFileDialog.getOpenFileName(self, _("Choose the other office's key file"), start_folder(),
                                                    _("Tư Vấn key file (*.tvkey);;All files (*)"))
        if path:
            TrustKeyDialog(self.session, path, self).open()

    def make_new_keys(self) -> None:
        district = self.session.info.unit.role.value == "district"
        question = _("Make new keys for this register? Use this when the computer or a backup may have been "
                     "copied by someone else. Bundles already made stay readable.") + "\n\n" + (
            _("After this, save the key change file and send it to every point: they accept it with "
              "Trust a key file…, without comparing fingerprints.") if district else
            _("The change is announced in the next bundle, signed with the old key."))
        answer = QMessageBox.question(self, _("Make new keys"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        run(self, self.session,
            lambda register: (identity.rotate_keys(register), identity.own_identity(register).confirmation),
            lambda result: self._rotated(*result, district), lambda error: show_error(self, error),
            progress_parent=self)

    def _rotated(self, announcement: dict, fingerprint: str, district: bool) -> None:
        self.status.setText(_("New keys made. New fingerprint: {fingerprint}").format(fingerprint=fingerprint))
        self.session.publish({"sync": {"keys": True}})
        if not district:
            return
        code = self.session.info.unit.code
        path, _chosen = QFileDialog.getSaveFileName(self, _("Save the key change file"),
                                                    str(Path(start_folder()) / f"{code}-key-change.tvkey"),
                                                    _("Tư Vấn key file (*.tvkey)"))
        if path:
            data = json.dumps(announcement, ensure_ascii=False).encode()
            note = _("Key change file written to {path}: send it to every point.").format(path=path)
            run(self, self.session, lambda _register: write_atomic(Path(path), data, mode=0o644),
                lambda _none: self.status.setText(self.status.text() + "\n" + note),
                lambda error: show_error(self, error))
