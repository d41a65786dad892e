"""The fixed vocabularies of the domain (docs/domain.md): codes in English, labels for people.

Counting rules and screens depend on these codes, so they are code, not data.
The lists an administrator edits (substances, services, topics, hamlets)
are catalogs stored in the register (app/store/catalogs.py).
"""

from __future__ import annotations

from app.core.i18n import N_, Translatable, _


class Vocabulary:
    """An ordered set of codes with translatable labels."""

    def __init__(self, name: str, items: dict[str, Translatable]) -> None:
        self.name = name
        self.items = items

    def __contains__(self, code: object) -> bool:
        return code in self.items

    def __iter__(self):
        return iter(self.items)

    def label(self, code: str | None) -> str:
        if code is None or code == "":
            return ""
        return _(self.items[code]) if code in self.items else str(code)

    def choices(self) -> list[tuple[str, str]]:
        return [(code, _(label)) for code, label in self.items.items()]


CLIENT_GROUPS = Vocabulary("client_group", {
    "drug_user": N_("Illegal drug user"),
    "dependent": N_("Drug dependent"),
    "suspected": N_("Suspected dependence"),
    "post_rehab": N_("After rehabilitation"),
    "high_risk": N_("At high risk"),
    "family": N_("Family member"),
})

SEXES = Vocabulary("sex", {"male": N_("Male"), "female": N_("Female"), "other": N_("Other")})

CLIENT_STATUSES = Vocabulary("client_status", {"active": N_("Active"), "closed": N_("Closed")})

CLOSING_REASONS = Vocabulary("closing_reason", {
    "completed": N_("Completed"),
    "moved_away": N_("Moved away"),
    "deceased": N_("Deceased"),
    "lost": N_("Lost to follow-up"),
    "withdrew_consent": N_("Withdrew consent"),
})

CONTACT_KINDS = Vocabulary("contact_kind", {
    "office": N_("Individual, at the point's office"),
    "home": N_("At the client's home"),
    "group": N_("Group session at the office"),
    "community": N_("Community session"),
    "phone": N_("Phone"),
    "online": N_("Online (Zalo, Facebook)"),
})
# Kinds that are about one named client; the others have participants or an attendee count.
INDIVIDUAL_CONTACT_KINDS = frozenset({"office", "home", "phone", "online"})

REFERRAL_OUTCOMES = Vocabulary("referral_outcome", {
    "pending": N_("Waiting for the outcome"),
    "completed": N_("Completed (received the service)"),
    "refused": N_("Refused"),
    "failed": N_("Did not succeed"),
})

LEGAL_STATUSES = Vocabulary("legal_status", {
    "none": N_("Not under management"),
    "managed_user": N_("Managed as a drug user"),
    "post_rehab_management": N_("Post-rehabilitation management"),
})

DETERMINATION_RESULTS = Vocabulary("determination_result", {
    "dependent": N_("Dependent"),
    "not_dependent": N_("Not dependent"),
})

TREATMENT_HISTORY = Vocabulary("previous_treatment", {
    "compulsory": N_("Compulsory rehabilitation centre"),
    "voluntary_centre": N_("Voluntary, at a centre"),
    "home_community": N_("Voluntary, at home or in the community"),
    "methadone": N_("Methadone"),
})

REHAB_OUTCOMES = Vocabulary("rehab_outcome", {
    "ongoing": N_("Ongoing"),
    "completed": N_("Completed"),
    "dropped_out": N_("Dropped out"),
    "transferred": N_("Moved to a centre"),
})

METHADONE_STATUSES = Vocabulary("methadone_status", {
    "on_treatment": N_("On treatment"),
    "dropped_out": N_("Dropped out"),
    "completed": N_("Completed"),
})

HEALTH_ANSWERS = Vocabulary("health_answer", {
    "unknown": N_("Unknown"), "yes": N_("Yes"), "no": N_("No"),
})

OUTREACH_KINDS = Vocabulary("outreach_kind", {
    "broadcast": N_("Radio broadcast"),
    "leaflets": N_("Leaflets distributed"),
    "board": N_("Information board"),
    "loudspeaker": N_("Mobile loudspeaker campaign"),
    "school": N_("School session"),
    "community_meeting": N_("Community meeting"),
    "team_meeting": N_("Board or volunteer team meeting"),
    "training": N_("Training attended"),
})

STAFF_KINDS = Vocabulary("staff_kind", {
    "board": N_("Point board member"),
    "counsellor": N_("Counsellor"),
    "volunteer": N_("Volunteer"),
})

CATALOG_KINDS = Vocabulary("catalog_kind", {
    "substance": N_("Substances"),
    "service": N_("Referral services"),
    "topic": N_("Counselling topics"),
    "hamlet": N_("Hamlets"),
})

# Every action the audit log records (app/store/audit.py), as a person reads it.
AUDIT_ACTIONS = Vocabulary("audit_action", {
    "register.create": N_("Created the register"),
    "register.unlock": N_("Opened the register"),
    "register.rekey": N_("Changed the register's encryption key"),
    "passphrase.change": N_("Changed a passphrase"),
    "passphrase.recover": N_("Set a passphrase with the recovery key"),
    "user.add": N_("Added a user"),
    "user.update": N_("Changed a user"),
    "settings.update": N_("Changed the settings"),
    "catalog.save": N_("Changed a catalog"),
    "record.view": N_("Viewed the record"),
    "record.create": N_("Created the record"),
    "record.update": N_("Changed the record"),
    "record.delete": N_("Deleted the record"),
    "client.export": N_("Exported the client's data"),
    "person_link.decide": N_("Decided on a possible same person"),
    "import.apply": N_("Imported a spreadsheet"),
    "month.close": N_("Closed a month"),
    "backup.write": N_("Made a backup"),
    "keys.create": N_("Made this register's keys"),
    "keys.rotate": N_("Made new keys"),
    "keys.trust": N_("Trusted a unit's key"),
    "keys.untrust": N_("Stopped trusting a key"),
    "escrow.allow": N_("Allowed the receiving office to help with lost passphrases"),
    "escrow.withdraw": N_("Withdrew the receiving office's help"),
    "escrow.rescue": N_("Opened the register with the receiving office's help"),
    "bundle.export": N_("Exported a bundle"),
    "bundle.export_failed": N_("A bundle export failed"),
    "bundle.import": N_("Imported a bundle"),
    "bundle.retry_held": N_("Tried held records again"),
    "bundle.chain_alarm": N_("Recorded a bundle that does not follow the one before"),
    "bundle.fork_alarm": N_("Recorded a bundle number that came back with other contents"),
    "bundle.alarm_acknowledged": N_("Acknowledged a sync alarm"),
    "receipt.export": N_("Wrote a receipt"),
    "receipt.import": N_("Read a receipt"),
    "relay.assign": N_("Assigned a relayed unit"),
    "relay.unassign": N_("Removed a relayed unit"),
})
