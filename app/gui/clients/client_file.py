"""The client file: profile, contacts, referrals, treatment, consent and history tabs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.fields import FieldErrors
from app.core.i18n import _
from app.core.roles import Permission
from app.core.vocab import (
    AUDIT_ACTIONS,
    CLIENT_GROUPS,
    CLIENT_STATUSES,
    CLOSING_REASONS,
    CONTACT_KINDS,
    METHADONE_STATUSES,
    REFERRAL_OUTCOMES,
    REHAB_OUTCOMES,
)
from app.gui.clients import case_dialogs
from app.gui.clients.client_form import NewClientDialog, form_values, profile_form, scrolled, stored_values
from app.gui.common.errors import message_for, show_error
from app.gui.common.forms import Form, date_text
from app.gui.common.session import Session
from app.gui.common.tables import RowsModel, selected_row, table_view
from app.gui.common.widgets import error_label, heading, set_error
from app.store import audit, clients, contacts, groups, records, referrals, treatment

CONSENT_FIELDS = ("consent_date", "consent_scope", "consent_withdrawn")


@dataclass(frozen=True)
class ClientFileData:
    client: dict[str, Any]
    related: dict[str, Any] | None
    contacts: list[dict]
    referrals: list[dict]
    rehab: list[dict]
    methadone: list[dict]
    memberships: list[dict]
    group_history: list[dict]
    family: list
    access: list[dict]


def load_file(register, client_id: str, *, log_view: bool = True) -> ClientFileData:
    """Everything the file shows; opening it (not a refresh) is written to the access log."""
    conn = register.conn
    if log_view:
        records.viewed(register, "clients", client_id)
    client = clients.get(conn, client_id)
    related = None
    if client.get("related_client_id"):
        try:
            related = clients.get(conn, client["related_client_id"])
        except records.RecordNotFound:
            related = None
    access = audit.about(conn, client_id)
    return ClientFileData(
        client, related, contacts.for_client(conn, client_id), referrals.for_client(conn, client_id),
        treatment.rehab_for_client(conn, client_id), treatment.methadone_for_client(conn, client_id),
        groups.for_client(conn, client_id), clients.group_history(conn, client_id), clients.family(conn, client_id),
        access)


def _stamp_text(stamp: str) -> str:
    from app.core.clock import local_datetime_text, parse_stamp

    return local_datetime_text(parse_stamp(stamp))


class ClientFile(QWidget):
    back = Signal()
    open_client = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.client_id: str | None = None
        self.data: ClientFileData | None = None
        lookups = session.info.lookups
        editable = session.can(Permission.CASE_WORK)

        self.title = heading("")
        self.title.setObjectName("client_title")
        self.details = QLabel()
        self.details.setObjectName("client_details")
        self.back_button = QPushButton(_("← &List of clients"))
        self.close_button = QPushButton(_("Close the &case…"))
        self.close_button.setObjectName("close_case")
        self.reopen_button = QPushButton(_("&Reopen the case"))
        self.export_button = QPushButton(_("&Export this client's data…"))
        self.export_button.setObjectName("export_client")
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        for button in (self.export_button, self.reopen_button, self.close_button):
            top.addWidget(button)
            button.setEnabled(editable)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("client_tabs")
        # Profile
        self.profile = profile_form(lookups, intake=False)
        self.profile_save = QPushButton(_("&Save profile"))
        self.profile_save.setObjectName("save_profile")
        self.profile_error = error_label()
        self.profile_saved = QLabel()
        self.tabs.addTab(self._page(scrolled(self.profile), [self.profile_save, self.profile_saved],
                                    self.profile_error), _("Profile"))
        # Contacts
        self.contacts_model = RowsModel([
            (_("Date"), lambda r: date_text(r["contact_date"])),
            (_("Kind"), lambda r: CONTACT_KINDS.label(r["kind"])),
            (_("Minutes"), lambda r: r["duration_minutes"]),
            (_("Topics"), lambda r: self.session.info.lookups.labels_of("topic", r["topics"])),
            (_("Counsellor"), lambda r: self.session.info.lookups.staff_names.get(r["counsellor_id"], "")),
            (_("Next follow-up"), lambda r: date_text(r["next_follow_up"])),
            (_("Notes"), lambda r: (r["notes"] or "").replace("\n", " ")),
        ])
        self.contacts_view = table_view(self.contacts_model, "contacts_table", stretch_column=6)
        self.add_contact = QPushButton(_("&New contact…"))
        self.add_contact.setObjectName("add_contact")
        self.tabs.addTab(self._page(self.contacts_view, [self.add_contact]), _("Contacts"))
        # Referrals
        self.referrals_model = RowsModel([
            (_("Date"), lambda r: date_text(r["referred_date"])),
            (_("Service"), lambda r: self.session.info.lookups.label("service", r["service"])),
            (_("Referred to"), lambda r: r["referred_to"]),
            (_("Outcome"), lambda r: REFERRAL_OUTCOMES.label(r["outcome"])),
            (_("Outcome date"), lambda r: date_text(r["outcome_date"])),
            (_("Amount (đồng)"), lambda r: _money(r["amount"])),
        ], highlight=lambda r: "#8a4b00" if r["outcome"] == "pending" else None)
        self.referrals_view = table_view(self.referrals_model, "referrals_table", stretch_column=2)
        self.add_referral = QPushButton(_("New &referral…"))
        self.add_referral.setObjectName("add_referral")
        self.record_outcome = QPushButton(_("Record the &outcome…"))
        self.record_outcome.setObjectName("record_outcome")
        self.tabs.addTab(self._page(self.referrals_view, [self.add_referral, self.record_outcome]), _("Referrals"))
        # Treatment
        self.rehab_model = RowsModel([
            (_("Registered"), lambda r: date_text(r["registration_date"])),
            (_("Decision"), lambda r: " ".join(filter(None, [r["decision_no"], date_text(r["decision_date"])]))),
            (_("Term"), lambda r: _("{n} months").format(n=r["term_months"])),
            (_("Ends"), lambda r: date_text(r["end_date"])),
            (_("Provider"), lambda r: r["provider"]),
            (_("Outcome"), lambda r: REHAB_OUTCOMES.label(r["outcome"])),
            (_("Certificate"), lambda r: r["certificate_no"]),
        ])
        self.methadone_model = RowsModel([
            (_("Site"), lambda r: r["site"]),
            (_("Start"), lambda r: date_text(r["start_date"])),
            (_("Status"), lambda r: METHADONE_STATUSES.label(r["status"])),
            (_("End"), lambda r: date_text(r["end_date"])),
        ])
        self.membership_model = RowsModel([
            (_("Self-help group"), lambda r: r["name"]),
            (_("Joined"), lambda r: date_text(r["joined_date"])),
            (_("Left"), lambda r: date_text(r["left_date"])),
        ])
        self.add_rehab = QPushButton(_("New voluntary &rehabilitation…"))
        self.add_methadone = QPushButton(_("New &methadone treatment…"))
        treatment_page = QWidget()
        column = QVBoxLayout(treatment_page)
        for label, model, name in ((_("Voluntary rehabilitation at home or in the community"), self.rehab_model, "rehab"),
                                   (_("Methadone treatment"), self.methadone_model, "methadone"),
                                   (_("Self-help groups"), self.membership_model, "memberships")):
            column.addWidget(QLabel(f"<b>{label}</b>"))
            column.addWidget(table_view(model, f"{name}_table", stretch_column=model.columnCount() - 1), 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_rehab)
        buttons.addWidget(self.add_methadone)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.tabs.addTab(treatment_page, _("Treatment"))
        # Consent
        self.consent = Form()
        self.consent.date("consent_date", _("Consent &given on"))
        self.consent.text("consent_scope", _("&What the client agreed to"))
        self.consent.date("consent_withdrawn", _("Consent &withdrawn on"))
        consent_help = QLabel(_("Drug use and health data are sensitive personal data (Law 91/2025/QH15): record "
                                "the client's explicit consent before keeping them. A withdrawal is recorded here; "
                                "then close the case with the reason “Withdrew consent”."))
        consent_help.setWordWrap(True)
        self.consent_save = QPushButton(_("Save &consent"))
        self.consent_save.setObjectName("save_consent")
        self.consent_error = error_label()
        self.consent_saved = QLabel()
        consent_page = self._page(self.consent, [self.consent_save, self.consent_saved], self.consent_error)
        consent_page.layout().insertWidget(0, consent_help)
        self.tabs.addTab(consent_page, _("Consent"))
        # History
        self.groups_model = RowsModel([
            (_("From"), lambda r: date_text(r["start_date"])),
            (_("Group"), lambda r: CLIENT_GROUPS.label(r["group_code"])),
            (_("Note"), lambda r: r["note"]),
        ])
        self.family_model = RowsModel([
            (_("Code"), lambda r: r.code),
            (_("Name"), lambda r: r.display_name),
            (_("Birth year"), lambda r: r.birth_year),
        ])
        self.access_model = RowsModel([
            (_("When"), lambda r: _stamp_text(r["at"])),
            (_("User"), lambda r: r["login"] or ""),
            (_("What"), lambda r: _action_text(r["action"], r["entity"])),
        ])
        self.change_group = QPushButton(_("Change the &group…"))
        self.add_family = QPushButton(_("Add a &family member…"))
        history = QWidget()
        column = QVBoxLayout(history)
        self.related_label = QLabel()
        self.related_label.setObjectName("related_client")
        self.related_label.linkActivated.connect(self.open_client)
        column.addWidget(self.related_label)
        for label, model, name in ((_("Group history"), self.groups_model, "group_history"),
                                   (_("Family members"), self.family_model, "family"),
                                   (_("Access log: who opened or changed this file"), self.access_model, "access")):
            column.addWidget(QLabel(f"<b>{label}</b>"))
            view = table_view(model, f"{name}_table", stretch_column=model.columnCount() - 1)
            column.addWidget(view, 1)
            if name == "family":
                view.doubleClicked.connect(lambda index: self.open_client.emit(self.family_model.row(index).id))
        buttons = QHBoxLayout()
        buttons.addWidget(self.change_group)
        buttons.addWidget(self.add_family)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.tabs.addTab(history, _("History"))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.tabs, 1)

        for button in (self.profile_save, self.add_contact, self.add_referral, self.record_outcome, self.add_rehab,
                       self.add_methadone, self.consent_save, self.change_group, self.add_family):
            button.setEnabled(editable)
        self.back_button.clicked.connect(self.back)
        self.profile_save.clicked.connect(self.save_profile)
        self.consent_save.clicked.connect(self.save_consent)
        self.add_contact.clicked.connect(lambda: self._dialog(case_dialogs.contact_dialog(session, self.client_id, self)))
        self.add_referral.clicked.connect(lambda: self._dialog(case_dialogs.referral_dialog(session, self.client_id, self)))
        self.record_outcome.clicked.connect(self._record_outcome)
        self.referrals_view.doubleClicked.connect(lambda _index: self._record_outcome())
        self.add_rehab.clicked.connect(lambda: self._dialog(case_dialogs.rehab_dialog(session, self.client_id, self)))
        self.add_methadone.clicked.connect(
            lambda: self._dialog(case_dialogs.methadone_dialog(session, self.client_id, self)))
        self.close_button.clicked.connect(
            lambda: self._dialog(case_dialogs.close_case_dialog(session, self.client_id, self)))
        self.reopen_button.clicked.connect(self._reopen)
        self.change_group.clicked.connect(lambda: self._dialog(case_dialogs.group_dialog(
            session, self.client_id, self.data.client["main_group"], self)))
        self.add_family.clicked.connect(self._add_family)
        self.export_button.clicked.connect(self._export)
        session.changed.connect(self._on_changed)

    def _page(self, body: QWidget, buttons: list[QWidget], error: QLabel | None = None) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(body, 1)
        if error is not None:
            column.addWidget(error)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        return page

    # --- loading --------------------------------------------------------------
    def load(self, client_id: str) -> None:
        self.client_id = client_id
        self.session.run(lambda register: load_file(register, client_id), self._show)

    def reload(self) -> None:
        if self.client_id:
            client_id = self.client_id
            # A reload after our own change is not a new viewing: skip the access-log entry.
            self.session.run(lambda register: load_file(register, client_id, log_view=False), self._show)

    def _show(self, data: ClientFileData) -> None:
        if data.client["id"] != self.client_id:
            return
        self.data = data
        client = data.client
        self.title.setText(f"{client['full_name'] or client['alias']}"
                           + (f" ({client['alias']})" if client["full_name"] and client["alias"] else ""))
        status = CLIENT_STATUSES.label(client["status"])
        if client["status"] == "closed":
            status += f": {CLOSING_REASONS.label(client['closing_reason'])} ({date_text(client['closed_date'])})"
        self.details.setText(" · ".join(filter(None, [
            client["code"], CLIENT_GROUPS.label(client["main_group"]), status,
            _("born {year}").format(year=client["birth_year"]), client["hamlet"]])))
        self.close_button.setVisible(client["status"] == "active")
        self.reopen_button.setVisible(client["status"] == "closed")
        self.profile.set_values(stored_values(client))
        self.profile_saved.clear()
        self.consent.set_values({f: client[f] for f in CONSENT_FIELDS})
        self.consent_saved.clear()
        self.contacts_model.set_rows(data.contacts)
        self.referrals_model.set_rows(data.referrals)
        self.rehab_model.set_rows(data.rehab)
        self.methadone_model.set_rows(data.methadone)
        self.membership_model.set_rows(data.memberships)
        self.groups_model.set_rows(data.group_history)
        self.family_model.set_rows(data.family)
        self.access_model.set_rows(data.access)
        if data.related:
            self.related_label.setText(_("Family member of <a href=\"{id}\">{name}</a> ({relationship})").format(
                id=data.related["id"], name=data.related["full_name"] or data.related["alias"],
                relationship=client["relationship"] or "—"))
        self.related_label.setVisible(data.related is not None)
        self.add_family.setVisible(client["main_group"] != "family")

    def _on_changed(self, change: dict) -> None:
        if self.client_id and any(c.client_id == self.client_id for c in change.get("records", [])):
            self.reload()

    # --- actions --------------------------------------------------------------
    def _dialog(self, dialog) -> None:
        dialog.open()

    def save_profile(self) -> None:
        values = {k: v for k, v in form_values(self.profile).items()}
        client_id = self.client_id
        self.profile_save.setEnabled(False)
        set_error(self.profile_error, None)
        self.session.run(lambda register: clients.edit(register, client_id, values),
                         lambda change: self._saved(change, self.profile_save, self.profile_saved),
                         lambda error: self._save_failed(error, self.profile, self.profile_save, self.profile_error))

    def save_consent(self) -> None:
        values = self.consent.values()
        client_id = self.client_id
        self.consent_save.setEnabled(False)
        set_error(self.consent_error, None)
        self.session.run(lambda register: clients.edit(register, client_id, values),
                         lambda change: self._saved(change, self.consent_save, self.consent_saved),
                         lambda error: self._save_failed(error, self.consent, self.consent_save, self.consent_error))

    def _saved(self, change, button: QPushButton, label: QLabel) -> None:
        button.setEnabled(True)
        if change is not None:
            self.session.publish({"records": [change]})
        label.setText(_("Saved.") if change is not None else _("Nothing changed."))

    def _save_failed(self, error: BaseException, form: Form, button: QPushButton, label: QLabel) -> None:
        button.setEnabled(True)
        if isinstance(error, FieldErrors):
            rest = form.show_errors(error.errors)
            set_error(label, "; ".join(rest) or _("Some fields need attention; see the messages beside them."))
        else:
            set_error(label, message_for(error))

    def _record_outcome(self) -> None:
        row = selected_row(self.referrals_view)
        if row is None and self.referrals_model.rows:
            pending = [r for r in self.referrals_model.rows if r["outcome"] == "pending"]
            row = pending[0] if pending else None
        if row is not None:
            self._dialog(case_dialogs.outcome_dialog(self.session, row, self))

    def _reopen(self) -> None:
        client_id = self.client_id
        self.session.run(lambda register: clients.reopen_case(register, client_id),
                         lambda change: change and self.session.publish({"records": [change]}))

    def _add_family(self) -> None:
        dialog = NewClientDialog(self.session, self, related_client_id=self.client_id, main_group="family")
        dialog.open_existing.connect(self.open_client)
        dialog.open()

    def _export(self) -> None:
        from app.reports import subject_export

        client = self.data.client
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Export this client's data"), str(Path.home() / f"{client['code']}.pdf"),
            _("PDF document (*.pdf);;JSON data (*.json)"))
        if not path:
            return
        fmt = "json" if path.lower().endswith(".json") or "json" in chosen.lower() else "pdf"
        client_id = self.client_id

        def work(register):
            from app.store.files import write_atomic

            write_atomic(Path(path), subject_export.export_client(register, client_id, fmt))
            return path

        self.session.run(work, lambda written: self.details.setToolTip(_("Exported to {path}").format(path=written)),
                         lambda error: show_error(self, error), progress_parent=self, label=_("Exporting…"))


def _money(amount) -> str:
    return "" if amount is None else f"{amount:,}".replace(",", ".")


def _action_text(action: str, entity: str | None) -> str:
    names = {"record.view": _("opened the file"), "record.create": _("created the file"),
             "record.update": _("changed the file"), "record.delete": _("deleted the file"),
             "client.export": _("exported the client's data")}
    return names.get(action) or AUDIT_ACTIONS.label(action)
