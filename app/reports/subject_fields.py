"""What a data-subject export shows: sections, their fields, labels and kinds.

One definition serves the JSON (labels and kinds travel with the data, so the
file explains itself) and the PDF (which renders from the JSON-ready data).
Kinds: text, long (a paragraph after the table), date, stamp (UTC time),
int, minutes, months, money, flag (yes/no/unknown), and coded kinds whose
readable value is resolved when collecting: choice (a Vocabulary), catalog,
catalog_list, choice_list, staff, user.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.i18n import N_, Translatable
from app.core.vocab import (
    CLIENT_GROUPS,
    CLIENT_STATUSES,
    CLOSING_REASONS,
    CONTACT_KINDS,
    DETERMINATION_RESULTS,
    HEALTH_ANSWERS,
    LEGAL_STATUSES,
    METHADONE_STATUSES,
    REFERRAL_OUTCOMES,
    REHAB_OUTCOMES,
    SEXES,
    TREATMENT_HISTORY,
    Vocabulary,
)

CODED = {"choice", "choice_list", "catalog", "catalog_list", "staff", "user"}


@dataclass(frozen=True)
class Field:
    name: str
    label: Translatable
    kind: str = "text"
    source: Vocabulary | str | None = None  # vocabulary, or catalog kind for catalog kinds
    group: Translatable | None = None  # sub-heading in the profile


@dataclass(frozen=True)
class Section:
    key: str
    table: str | None  # the register table the records come from (for the access log)
    title: Translatable
    layout: str  # "table": one row per record; "cards": label/value pairs per record
    fields: tuple[Field, ...]
    empty: Translatable = N_("None recorded.")


def _grouped(group: Translatable, *fields: Field) -> list[Field]:
    return [Field(f.name, f.label, f.kind, f.source, group) for f in fields]


PROFILE_FIELDS = (
    *_grouped(N_("Identity"),
              Field("code", N_("Record code")),
              Field("full_name", N_("Full name")),
              Field("alias", N_("Alias")),
              Field("sex", N_("Sex"), "choice", SEXES),
              Field("birth_year", N_("Birth year"), "int"),
              Field("birth_date", N_("Date of birth"), "date"),
              Field("citizen_id", N_("Citizen ID")),
              Field("phone", N_("Phone"))),
    *_grouped(N_("Residence"),
              Field("hamlet", N_("Hamlet")),
              Field("commune", N_("Commune / ward")),
              Field("province", N_("Province / city")),
              Field("old_district", N_("District before 2025")),
              Field("address", N_("Address"))),
    *_grouped(N_("Intake and case"),
              Field("intake_date", N_("Intake date"), "date"),
              Field("main_group", N_("Client group"), "choice", CLIENT_GROUPS),
              Field("relationship", N_("Relationship (family members)")),
              Field("counsellor_id", N_("Counsellor in charge"), "staff"),
              Field("volunteer_id", N_("Volunteer in charge"), "staff"),
              Field("status", N_("Case status"), "choice", CLIENT_STATUSES),
              Field("closed_date", N_("Closed on"), "date"),
              Field("closing_reason", N_("Reason for closing"), "choice", CLOSING_REASONS)),
    *_grouped(N_("Drug use"),
              Field("substances", N_("Substances"), "catalog_list", "substance"),
              Field("years_of_use", N_("Years of use"), "int"),
              Field("injecting", N_("Injects drugs"), "flag"),
              Field("previous_treatments", N_("Previous treatment"), "choice_list", TREATMENT_HISTORY)),
    *_grouped(N_("Addiction determination and legal status"),
              Field("determination_date", N_("Determination date"), "date"),
              Field("determination_facility", N_("Determined by")),
              Field("determination_result", N_("Determination result"), "choice", DETERMINATION_RESULTS),
              Field("legal_status", N_("Legal status"), "choice", LEGAL_STATUSES),
              Field("legal_decision_no", N_("Decision number")),
              Field("legal_start", N_("Management from"), "date"),
              Field("legal_end", N_("Management until"), "date")),
    *_grouped(N_("Health (as the client says) and social situation"),
              Field("hiv", N_("HIV"), "choice", HEALTH_ANSWERS),
              Field("hepatitis", N_("Hepatitis"), "choice", HEALTH_ANSWERS),
              Field("mental_health", N_("Mental health problem"), "choice", HEALTH_ANSWERS),
              Field("education", N_("Education")),
              Field("occupation", N_("Work")),
              Field("income", N_("Income")),
              Field("poor_household", N_("Poor household"), "flag"),
              Field("family_support", N_("Family support"))),
    *_grouped(N_("Consent"),
              Field("consent_date", N_("Consent given on"), "date"),
              Field("consent_scope", N_("Scope of consent")),
              Field("consent_withdrawn", N_("Consent withdrawn on"), "date")),
    *_grouped(N_("About this record"),
              Field("origin", N_("Recorded by unit (code)")),
              Field("updated_at", N_("Last changed"), "stamp"),
              Field("updated_by", N_("Last changed by"), "user")),
    Field("notes", N_("Notes"), "long"),
)

# Columns of the clients table that are bookkeeping, or shown in another section.
PROFILE_OMITS = {"seq", "id", "version", "deleted", "sort_key", "search_terms", "related_client_id"}

NOTES = Field("notes", N_("Notes"), "long")

SECTIONS = (
    Section("profile", "clients", N_("Personal details"), "cards", PROFILE_FIELDS),
    Section("group_history", "client_groups", N_("Group history"), "table", (
        Field("start_date", N_("From"), "date"),
        Field("group_code", N_("Client group"), "choice", CLIENT_GROUPS),
        Field("note", N_("Note")),
    )),
    Section("family", None, N_("Family links"), "table", (
        Field("link", N_("Family link")),
        Field("code", N_("Record code")),
        Field("name", N_("Full name")),
        Field("relationship", N_("Relationship")),
        Field("birth_year", N_("Birth year"), "int"),
    )),
    Section("contacts", "contacts", N_("Counselling contacts"), "table", (
        Field("contact_date", N_("Date"), "date"),
        Field("kind", N_("Contact kind"), "choice", CONTACT_KINDS),
        Field("duration_minutes", N_("Minutes"), "int"),
        Field("counsellor_id", N_("Counsellor"), "staff"),
        Field("topics", N_("Topics"), "catalog_list", "topic"),
        Field("location", N_("Place")),
        Field("next_follow_up", N_("Next follow-up"), "date"),
        NOTES,
    )),
    Section("referrals", "referrals", N_("Referrals"), "table", (
        Field("referred_date", N_("Referred on"), "date"),
        Field("service", N_("Service"), "catalog", "service"),
        Field("referred_to", N_("Referred to")),
        Field("outcome", N_("Outcome"), "choice", REFERRAL_OUTCOMES),
        Field("outcome_date", N_("Outcome date"), "date"),
        Field("amount", N_("Amount"), "money"),
        Field("counsellor_id", N_("Counsellor"), "staff"),
        NOTES,
    )),
    Section("rehab", "rehab_registrations", N_("Voluntary rehabilitation at home or in the community"), "cards", (
        Field("registration_date", N_("Registered on"), "date"),
        Field("decision_no", N_("Decision number")),
        Field("decision_date", N_("Decision date"), "date"),
        Field("start_date", N_("Start date"), "date"),
        Field("term_months", N_("Term"), "months"),
        Field("end_date", N_("End date"), "date"),
        Field("provider", N_("Provider")),
        Field("outcome", N_("Outcome"), "choice", REHAB_OUTCOMES),
        Field("certificate_no", N_("Completion certificate number")),
        Field("certificate_date", N_("Certificate date"), "date"),
        NOTES,
    )),
    Section("methadone", "methadone_episodes", N_("Methadone treatment"), "table", (
        Field("site", N_("Treatment site")),
        Field("start_date", N_("Start date"), "date"),
        Field("status", N_("Treatment status"), "choice", METHADONE_STATUSES),
        Field("end_date", N_("End date"), "date"),
        NOTES,
    )),
    Section("self_help_groups", "group_members", N_("Self-help group membership"), "table", (
        Field("group_name", N_("Self-help group")),
        Field("joined_date", N_("Joined on"), "date"),
        Field("left_date", N_("Left on"), "date"),
    )),
    Section("meetings", "meeting_attendance", N_("Self-help group meetings attended"), "table", (
        Field("meeting_date", N_("Date"), "date"),
        Field("group_name", N_("Self-help group")),
        Field("topic", N_("Topic")),
        Field("facilitator_id", N_("Facilitator"), "staff"),
    )),
    Section("access_log", None, N_("Access log: who viewed or changed these records"), "table", (
        Field("at", N_("Time"), "stamp"),
        Field("user_id", N_("User"), "user"),
        Field("action", N_("Action")),
        Field("entity", N_("Record")),
        Field("detail", N_("Details")),
    )),
)

SECTION_BY_KEY = {section.key: section for section in SECTIONS}

RECORD_KINDS = Vocabulary("record_kind", {
    "clients": N_("Client file"),
    "client_groups": N_("Group history"),
    "contacts": N_("Counselling contact"),
    "contact_participants": N_("Took part in a session"),
    "referrals": N_("Referral"),
    "rehab_registrations": N_("Voluntary rehabilitation"),
    "methadone_episodes": N_("Methadone treatment"),
    "group_members": N_("Self-help group membership"),
    "meeting_attendance": N_("Self-help group meeting attended"),
})

FAMILY_LINKS = Vocabulary("family_link", {
    "family_of": N_("This person is a family member of"),
    "family_member": N_("Family member of this person"),
})


def field_labels(table: str) -> dict[str, Translatable]:
    """Field name -> label for a register table, to name the fields an audit entry lists."""
    labels: dict[str, Translatable] = {}
    for section in SECTIONS:
        if section.table == table:
            labels.update({f.name: f.label for f in section.fields})
    return labels
