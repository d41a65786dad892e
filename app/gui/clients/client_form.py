"""The client profile form (intake and the Profile tab), and the intake dialog with its duplicate check."""

from __future__ import annotations


from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.core.fields import FieldErrors
from app.core.i18n import _
from app.core.vocab import (
    CLIENT_GROUPS,
    DETERMINATION_RESULTS,
    HEALTH_ANSWERS,
    LEGAL_STATUSES,
    SEXES,
    TREATMENT_HISTORY,
)
from app.gui.common.errors import message_for
from app.gui.common.forms import Form
from app.gui.common.lookups import Lookups
from app.gui.common.session import Session
from app.gui.common.widgets import error_label, set_error
from app.store import clients


def yes_no() -> list[tuple[str, str]]:
    return [("1", _("Yes")), ("0", _("No"))]


def profile_form(lookups: Lookups, *, intake: bool) -> Form:
    """Every profile field, in sections laid out in two columns."""
    form = Form(columns=2)
    form.section(_("Identity"))
    form.text("full_name", _("&Full name"), _("e.g. Nguyễn Văn Đức"))
    form.text("alias", _("&Alias"))
    form.choice("sex", _("&Sex"), SEXES.choices(), empty=None if not intake else "")
    form.number("birth_year", _("&Birth year"), _("e.g. 1990"))
    form.date("birth_date", _("Date of birth"))
    form.text("citizen_id", _("&Citizen ID"), _("12 digits"))
    form.text("phone", _("&Phone"))
    form.text("code", _("Record code"), _("given automatically if empty"))
    form.section(_("Residence"))
    form.choice("hamlet", _("&Hamlet"), lookups.hamlets, editable=True)
    form.text("commune", _("Commune / ward"))
    form.text("province", _("Province / city"))
    form.text("old_district", _("District before 2025"))
    form.text("address", _("Address"))
    form.section(_("Intake and group"))
    form.date("intake_date", _("&Intake date"))
    if intake:
        form.choice("main_group", _("&Group"), CLIENT_GROUPS.choices())
    form.text("relationship", _("Relationship (family members)"))
    form.choice("counsellor_id", _("Counsellor in charge"), lookups.counsellors)
    form.choice("volunteer_id", _("Volunteer in charge"), lookups.volunteers)
    form.section(_("Drug use"))
    form.codes("substances", _("Substances"), lookups.substances)
    form.number("years_of_use", _("Years of use"))
    form.choice("injecting", _("Injects drugs"), yes_no(), empty=_("Unknown"))
    form.codes("previous_treatments", _("Previous treatment"), TREATMENT_HISTORY.choices())
    form.section(_("Addiction determination and legal status"))
    form.date("determination_date", _("Determination date"))
    form.text("determination_facility", _("Determined by"))
    form.choice("determination_result", _("Result"), DETERMINATION_RESULTS.choices())
    form.choice("legal_status", _("Legal status"), LEGAL_STATUSES.choices(), empty=None)
    form.text("legal_decision_no", _("Decision number"))
    form.date("legal_start", _("Management from"))
    form.date("legal_end", _("Management until"))
    form.section(_("Health (as the client says) and social situation"))
    form.choice("hiv", _("HIV"), HEALTH_ANSWERS.choices(), empty=None)
    form.choice("hepatitis", _("Hepatitis"), HEALTH_ANSWERS.choices(), empty=None)
    form.choice("mental_health", _("Mental health problem"), HEALTH_ANSWERS.choices(), empty=None)
    form.text("education", _("Education"))
    form.text("occupation", _("Work"))
    form.text("income", _("Income"))
    form.flag("poor_household", _("Poor household"))
    form.text("family_support", _("Family support"))
    form.section(_("Notes"))
    form.long_text("notes", _("Notes"))
    return form


def form_values(form: Form) -> dict:
    values = form.values()
    values["injecting"] = {"1": 1, "0": 0}.get(values.get("injecting") or "", None)
    return values


def stored_values(row: dict) -> dict:
    """A stored client row as the form shows it."""
    values = dict(row)
    values["injecting"] = {1: "1", 0: "0"}.get(row.get("injecting"), "")
    values["birth_year"] = str(row.get("birth_year") or "")
    values["years_of_use"] = "" if row.get("years_of_use") is None else str(row["years_of_use"])
    return values


def scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


class NewClientDialog(QDialog):
    """Intake. Before saving, likely existing files of the same person are shown."""

    created = Signal(str)        # the new client's id
    open_existing = Signal(str)  # the counsellor chose an existing file instead

    def __init__(self, session: Session, parent: QWidget | None = None, *, related_client_id: str | None = None,
                 main_group: str | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.related_client_id = related_client_id
        self.setWindowTitle(_("New client") if not related_client_id else _("New family member"))
        self.form = profile_form(session.info.lookups, intake=True)
        self.form.set_values({"intake_date": clock.today().isoformat(), "legal_status": "none",
                              "main_group": main_group or "", "counsellor_id": session.info.lookups.my_staff_id or ""})
        self.duplicates_box = QWidget()
        self.duplicates_box.setObjectName("duplicates_box")
        box = QVBoxLayout(self.duplicates_box)
        self.duplicates_label = QLabel(_("This person may already have a file. Open the existing file, "
                                         "or save a new file if it is a different person."))
        self.duplicates_label.setWordWrap(True)
        self.duplicates_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.duplicates = QListWidget()
        self.duplicates.setObjectName("duplicates")
        self.duplicates.setMaximumHeight(110)
        row = QHBoxLayout()
        self.open_button = QPushButton(_("&Open the existing file"))
        self.open_button.setObjectName("open_existing")
        self.save_anyway = QPushButton(_("It is a &different person: save"))
        self.save_anyway.setObjectName("save_anyway")
        row.addWidget(self.open_button)
        row.addWidget(self.save_anyway)
        row.addStretch(1)
        box.addWidget(self.duplicates_label)
        box.addWidget(self.duplicates)
        box.addLayout(row)
        self.duplicates_box.hide()
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(scrolled(self.form), 1)
        layout.addWidget(self.duplicates_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self._open_existing)
        self.duplicates.itemActivated.connect(lambda _item: self._open_existing())
        self.save_anyway.clicked.connect(lambda: self._save(checked=True))
        self.form.edited.connect(self.duplicates_box.hide)
        self.resize(1100, 680)

    def values(self) -> dict:
        values = form_values(self.form)
        if self.related_client_id:
            values.update(related_client_id=self.related_client_id, main_group="family")
        return values

    def submit(self) -> None:
        self._save(checked=False)

    def _save(self, *, checked: bool) -> None:
        values = self.values()
        self.buttons.setEnabled(False)
        set_error(self.error, None)

        def work(register):
            if not checked:
                from app.core import validate
                from app.store import catalogs

                validate.client(values, substances=catalogs.codes(register.conn, "substance"))
                found = clients.possible_duplicates(register.conn, values)
                if found:
                    return found
            return clients.create(register, values)

        self.session.run(work, self._saved, self._failed)

    def _saved(self, result) -> None:
        self.buttons.setEnabled(True)
        if isinstance(result, list):
            self._show_duplicates(result)
            return
        self.session.publish({"records": [result]})
        self.accept()
        self.created.emit(result.id)

    def _show_duplicates(self, found) -> None:
        reasons = {"citizen_id": _("same citizen ID"), "name_and_year": _("same name and birth year"),
                   "similar_name_same_hamlet": _("similar name in the same hamlet")}
        self.duplicates.clear()
        for hit in found:
            item = QListWidgetItem(f"{hit.client.code}  {hit.client.display_name}  ({hit.client.birth_year}, "
                                   f"{hit.client.hamlet or '—'}): {reasons[hit.reason]}")
            item.setData(Qt.ItemDataRole.UserRole, hit.client.id)
            self.duplicates.addItem(item)
        self.duplicates.setCurrentRow(0)
        self.duplicates_box.show()
        self.duplicates.setFocus()

    def _open_existing(self) -> None:
        item = self.duplicates.currentItem()
        if item is not None:
            client_id = item.data(Qt.ItemDataRole.UserRole)
            self.reject()
            self.open_existing.emit(client_id)

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, FieldErrors):
            rest = self.form.show_errors(error.errors)
            set_error(self.error, "; ".join(rest) if rest else _("Some fields need attention; see the messages beside them."))
        else:
            set_error(self.error, message_for(error))
