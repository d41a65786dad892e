"""Small dialogs of the client file: a contact, a referral and its outcome, treatment, closing."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.core import clock
from app.core.i18n import _
from app.core.law import rehab_rule_text
from app.core.vocab import (
    CLIENT_GROUPS,
    CLOSING_REASONS,
    CONTACT_KINDS,
    INDIVIDUAL_CONTACT_KINDS,
    METHADONE_STATUSES,
    REFERRAL_OUTCOMES,
    REHAB_OUTCOMES,
)
from app.gui.common.forms import Form
from app.gui.common.record_dialog import RecordDialog
from app.gui.common.session import Session
from app.store import clients, contacts, referrals, treatment


def _today() -> str:
    return clock.today().isoformat()


def contact_dialog(session: Session, client_id: str, parent: QWidget | None = None) -> RecordDialog:
    lookups = session.info.lookups
    form = Form()
    kinds = [(code, label) for code, label in CONTACT_KINDS.choices() if code in INDIVIDUAL_CONTACT_KINDS]
    form.choice("kind", _("&Kind"), kinds, empty=None)
    form.date("contact_date", _("&Date"))
    form.number("duration_minutes", _("D&uration (minutes)"))
    form.codes("topics", _("&Topics"), lookups.topics)
    form.choice("counsellor_id", _("Counsellor"), lookups.counsellors)
    form.text("location", _("Place"))
    form.long_text("notes", _("&Notes"))
    form.date("next_follow_up", _("Next &follow-up"))
    form.set_values({"contact_date": _today(), "counsellor_id": lookups.my_staff_id or ""})

    def work(register, values):
        return contacts.add(register, {**values, "client_id": client_id})

    return RecordDialog(session, _("New counselling contact"), form, work, parent)


def referral_dialog(session: Session, client_id: str, parent: QWidget | None = None) -> RecordDialog:
    lookups = session.info.lookups
    form = Form()
    form.choice("service", _("&Service"), lookups.services)
    form.date("referred_date", _("&Date referred"))
    form.text("referred_to", _("Referred &to (facility)"))
    form.number("amount", _("Loan amount (đồng)"), _("e.g. 30.000.000"))
    form.choice("counsellor_id", _("Counsellor"), lookups.counsellors)
    form.long_text("notes", _("&Notes"))
    form.set_values({"referred_date": _today(), "counsellor_id": lookups.my_staff_id or ""})

    def work(register, values):
        return referrals.add(register, {**values, "client_id": client_id})

    return RecordDialog(session, _("New referral"), form, work, parent)


def outcome_dialog(session: Session, referral: dict, parent: QWidget | None = None) -> RecordDialog:
    form = Form()
    form.choice("outcome", _("&Outcome"), REFERRAL_OUTCOMES.choices(), empty=None)
    form.date("outcome_date", _("Outcome &date"))
    form.number("amount", _("Loan amount (đồng)"))
    form.set_values({"outcome": "completed", "outcome_date": _today(),
                     "amount": "" if referral.get("amount") is None else str(referral["amount"])})
    referral_id = referral["id"]

    def work(register, values):
        return referrals.record_outcome(register, referral_id, values["outcome"],
                                        values["outcome_date"] if values["outcome"] != "pending" else None,
                                        amount=values.get("amount"))

    return RecordDialog(session, _("Outcome of the referral"), form, work, parent)


def rehab_dialog(session: Session, client_id: str, parent: QWidget | None = None) -> RecordDialog:
    form = Form()
    form.date("registration_date", _("&Registration date"))
    form.text("decision_no", _("Decision number"))
    form.date("decision_date", _("Decision date"))
    form.date("start_date", _("Start date"))
    law = session.info.lookups.law
    terms = sorted({m for rule in law.rehab for term in (rule.first, rule.later)
                    for m in range(term.minimum, term.maximum + 1)})
    form.choice("term_months", _("&Term"), [(str(m), _("{n} months").format(n=m)) for m in terms],
                empty=_("As the law sets (first time or later)"))
    form.note(_("Terms set by law: {rules}").format(rules="; ".join(rehab_rule_text(rule) for rule in law.rehab)))
    form.text("provider", _("Provider"))
    form.choice("outcome", _("Outcome"), REHAB_OUTCOMES.choices(), empty=None)
    form.date("outcome_date", _("Outcome &date"))
    form.text("certificate_no", _("Completion certificate number"))
    form.date("certificate_date", _("Certificate date"))
    form.long_text("notes", _("Notes"))
    form.set_values({"registration_date": _today(), "term_months": "", "outcome": "ongoing"})

    def work(register, values):
        return treatment.add_rehab(register, client_id, values)

    return RecordDialog(session, _("Voluntary rehabilitation at home or in the community"), form, work, parent)


def methadone_dialog(session: Session, client_id: str, parent: QWidget | None = None) -> RecordDialog:
    form = Form()
    form.text("site", _("Methadone &site"))
    form.date("start_date", _("&Start date"))
    form.choice("status", _("Status"), METHADONE_STATUSES.choices(), empty=None)
    form.date("end_date", _("End date"))
    form.long_text("notes", _("Notes"))
    form.set_values({"start_date": _today(), "status": "on_treatment"})

    def work(register, values):
        return treatment.add_methadone(register, client_id, values)

    return RecordDialog(session, _("Methadone treatment"), form, work, parent)


def close_case_dialog(session: Session, client_id: str, parent: QWidget | None = None) -> RecordDialog:
    form = Form()
    form.choice("closing_reason", _("&Reason"), CLOSING_REASONS.choices())
    form.date("closed_date", _("&Date closed"))
    form.set_values({"closed_date": _today()})

    def work(register, values):
        return clients.close_case(register, client_id, values)

    return RecordDialog(session, _("Close the case"), form, work, parent, _("Close the case"))


def group_dialog(session: Session, client_id: str, current: str, parent: QWidget | None = None) -> RecordDialog:
    form = Form()
    form.choice("group_code", _("New &group"), CLIENT_GROUPS.choices(), empty=None)
    form.date("start_date", _("&From"))
    form.text("note", _("Note"))
    form.set_values({"group_code": current, "start_date": _today()})

    def work(register, values):
        return clients.change_group(register, client_id, values)

    return RecordDialog(session, _("Change the client's group"), form, work, parent)
