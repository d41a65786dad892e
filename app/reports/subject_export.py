"""Data-subject export: everything the register holds about one client.

Law 91/2025/QH15 and Decree 356/2025 give a person the right to see the
personal data a unit holds about them, answered within 2 working days.
`collect` gathers it with readable labels, `to_json` and `to_pdf` render it,
and `export_client` does both for the signed-in user and records the export
in the audit log, so the export itself shows in the next export's access log.

Decisions where the law meets the data model:
- Records marked deleted are still held (sync keeps tombstones with their
  values), so they are exported, flagged as deleted.
- Shared records (group sessions, self-help meetings) are exported without
  their free-text notes and without other participants: those may be
  personal data of other people. Family members linked to the client are
  named with their relationship, not their own files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.clock import local, utc_now, utc_stamp
from app.core.errors import UserError
from app.core.i18n import N_, _, current_language
from app.core.roles import Permission
from app.core.vocab import AUDIT_ACTIONS
from app.reports.subject_fields import (
    CODED,
    FAMILY_LINKS,
    PROFILE_FIELDS,
    RECORD_KINDS,
    SECTION_BY_KEY,
    Field,
    field_labels,
)
from app.reports.subject_pdf import to_pdf
from app.store import catalogs, client_file_records, records, settings, staff, users

FORMAT = "tuvan.subject-export"
FORMAT_VERSION = 1
FORMATS = ("pdf", "json")

LEGAL_BASIS = N_(
    "Provided at the request of the data subject under Law No. 91/2025/QH15 on Personal Data Protection "
    "and Decree No. 356/2025/ND-CP. It lists all personal data about this person that the unit holds in its "
    "case register at the time of export. It contains sensitive personal data: hand it only to the data "
    "subject or their lawful representative.")
SHARED_NOTES_REMARK = N_(
    "Notes of shared sessions are not included: they may contain personal data of other participants.")

__all__ = ["collect", "to_json", "to_pdf", "export", "export_client", "SubjectExport", "FORMATS"]


class UnknownExportFormat(UserError):
    template = N_("Unknown export format '{fmt}': choose pdf or json.")


@dataclass(frozen=True)
class SubjectExport:
    data: dict[str, Any]
    content: bytes
    fmt: str

    def counts(self) -> dict[str, int]:
        return {key: len(section["records"]) for key, section in self.data["sections"].items()}


# --- reading ------------------------------------------------------------------

class _Lookups:
    """Names for the ids and codes stored in records, read once per export."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.staff = staff.names(conn)
        self.users = {u.id: (u.login, u.full_name) for u in users.list_users(conn)}
        self._catalogs: dict[str, dict[str, str]] = {}

    def catalog(self, kind: str) -> dict[str, str]:
        if kind not in self._catalogs:
            self._catalogs[kind] = catalogs.labels(self.conn, kind)
        return self._catalogs[kind]

    def user(self, user_id: str | None) -> str:
        if not user_id:
            return ""
        if user_id not in self.users:  # records synced from another point name that point's users
            return _("a user of another unit")
        login, full_name = self.users[user_id]
        return f"{full_name} ({login})"


def _resolve(field: Field, value: Any, look: _Lookups) -> Any:
    kind, source = field.kind, field.source
    if kind == "choice":
        return source.label(value)
    if kind == "choice_list":
        return [source.label(v) for v in value or []]
    if kind == "catalog":
        return look.catalog(source).get(value, value or "")
    if kind == "catalog_list":
        return [look.catalog(source).get(v, v) for v in value or []]
    if kind == "staff":
        return look.staff.get(value, "") if value else ""
    return look.user(value)  # kind == "user"


def _shape(fields: tuple[Field, ...], row: dict[str, Any], look: _Lookups) -> dict[str, Any]:
    """A record as exported: raw values (ISO dates, codes) and a `<name>_label` for coded ones."""
    shaped: dict[str, Any] = {"id": row.get("id"), "deleted": bool(row.get("deleted"))}
    for field in fields:
        value = row.get(field.name)
        if field.kind == "flag" and value is not None:
            value = bool(value)
        shaped[field.name] = value
        if field.kind in CODED:
            shaped[f"{field.name}_label"] = _resolve(field, value, look)
    return shaped


def _section(key: str, shaped: list[dict[str, Any]], remark: str | None = None) -> dict[str, Any]:
    section = SECTION_BY_KEY[key]
    fields = [{"name": f.name, "label": _(f.label), "type": f.kind,
               **({"group": _(f.group)} if f.group else {})} for f in section.fields]
    out = {"title": _(section.title), "layout": section.layout, "fields": fields, "records": shaped}
    if remark:
        out["remark"] = remark
    return out


def display_name(row: dict[str, Any]) -> str:
    full_name, alias = row.get("full_name") or "", row.get("alias") or ""
    return f"{full_name} ({alias})" if full_name and alias else full_name or alias


def _unit(conn) -> dict[str, str]:
    info = settings.register_info(conn)
    return {"code": info.get("unit_code", ""), "role": info.get("role", ""),
            "name": settings.get(conn, "unit_name"), "office_name": settings.get(conn, "office_name"),
            "address": settings.get(conn, "unit_address"), "place_name": settings.get(conn, "place_name")}


def _family(conn, client: dict[str, Any]) -> list[dict[str, Any]]:
    """The client this person is a family member of, then family members linked to this client."""
    links: list[dict[str, Any]] = []
    if client.get("related_client_id"):
        other = records.fetch(conn, "clients", client["related_client_id"], include_deleted=True)
        links.append({"id": other["id"], "deleted": bool(other["deleted"]), "link": "family_of",
                      "code": other["code"], "name": display_name(other),
                      "relationship": client["relationship"], "birth_year": None})
    for row in client_file_records.family_members(conn, client["id"]):
        links.append({"id": row["id"], "deleted": False, "link": "family_member", "code": row["code"],
                      "name": display_name(row), "relationship": row["relationship"],
                      "birth_year": row["birth_year"]})
    for link in links:
        link["link_label"] = FAMILY_LINKS.label(link["link"])
    return links


def _contacts(conn, client_id: str, look: _Lookups) -> tuple[list[dict[str, Any]], list[str]]:
    """Own contacts and sessions taken part in; also the ids of the client's own rows."""
    rows = client_file_records.contacts(conn, client_id)
    shaped, own_ids = [], []
    fields = SECTION_BY_KEY["contacts"].fields
    for row in rows:
        shared = row["participation_id"] is not None
        if shared:
            row = {**row, "notes": None, "deleted": row["deleted"] or row["participation_deleted"]}
            own_ids.append(row["participation_id"])
        else:
            own_ids.append(row["id"])
        record = _shape(fields, row, look)
        record["shared_session"] = shared
        if shared:
            record["participation_id"] = row["participation_id"]
            record["notes_withheld"] = True
        shaped.append(record)
    return shaped, own_ids


def _meetings(conn, client_id: str, look: _Lookups) -> list[dict[str, Any]]:
    rows = client_file_records.meetings(conn, client_id)
    shaped = []
    for row in rows:
        record = _shape(SECTION_BY_KEY["meetings"].fields, row, look)
        record.update(meeting_id=row["meeting_id"], notes_withheld=True)
        shaped.append(record)
    return shaped


def _simple(key: str, rows: list[dict[str, Any]], look: _Lookups) -> list[dict[str, Any]]:
    return [_shape(SECTION_BY_KEY[key].fields, row, look) for row in rows]


def _audit_detail(action: str, entity: str | None, detail: dict[str, Any]) -> str:
    if action == "record.update" and detail.get("fields"):
        labels = field_labels(entity or "")
        if entity == "clients":
            labels = {f.name: f.label for f in PROFILE_FIELDS}
        return ", ".join(_(labels[name]) if name in labels else name for name in detail["fields"])
    if action == "client.export" and detail.get("format"):
        return str(detail["format"]).upper()
    return ""


def _access_log(conn, entity_ids: list[str], look: _Lookups) -> list[dict[str, Any]]:
    """Audit entries about the client's own records, oldest first."""
    entries = []
    rows = client_file_records.audit_entries(conn, entity_ids)
    for seq, at, user_id, action, entity, entity_id, detail_text in rows:
        detail = json.loads(detail_text or "{}")
        entries.append({
            "seq": seq, "at": at, "user_id": user_id, "user_id_label": look.user(user_id),
            "action": action, "action_label": AUDIT_ACTIONS.label(action),
            "entity": entity, "entity_label": RECORD_KINDS.label(entity), "record_id": entity_id,
            "detail": detail, "detail_label": _audit_detail(action, entity, detail),
        })
    return entries


def collect(conn, client_id: str, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything the register holds about one client, with labels in the current language."""
    client = records.fetch(conn, "clients", client_id, include_deleted=True)
    look = _Lookups(conn)
    moment = now or utc_now()
    history = _simple("group_history", client_file_records.group_history(conn, client_id), look)
    contacts, contact_ids = _contacts(conn, client_id, look)
    referrals = _simple("referrals", client_file_records.referrals(conn, client_id), look)
    rehab = _simple("rehab", client_file_records.rehab(conn, client_id), look)
    methadone = _simple("methadone", client_file_records.methadone(conn, client_id), look)
    memberships = _simple("self_help_groups", client_file_records.memberships(conn, client_id), look)
    meetings = _meetings(conn, client_id, look)
    own_ids = [client_id, *contact_ids] + [r["id"] for part in (history, referrals, rehab, methadone,
                                                                  memberships, meetings) for r in part]
    shared = any(c["shared_session"] for c in contacts)
    sections = {
        "profile": _section("profile", [_shape(PROFILE_FIELDS, client, look)]),
        "group_history": _section("group_history", history),
        "family": _section("family", _family(conn, client)),
        "contacts": _section("contacts", contacts, _(SHARED_NOTES_REMARK) if shared else None),
        "referrals": _section("referrals", referrals),
        "rehab": _section("rehab", rehab),
        "methadone": _section("methadone", methadone),
        "self_help_groups": _section("self_help_groups", memberships),
        "meetings": _section("meetings", meetings, _(SHARED_NOTES_REMARK) if meetings else None),
        "access_log": _section("access_log", _access_log(conn, own_ids, look)),
    }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": utc_stamp(moment),
        "exported_at_local": local(moment).isoformat(timespec="seconds"),
        "exported_by": None,
        "language": current_language(),
        "unit": _unit(conn),
        "legal_basis": _(LEGAL_BASIS),
        "client": {"id": client["id"], "code": client["code"], "name": display_name(client),
                   "deleted": bool(client["deleted"])},
        "sections": sections,
    }


# --- rendering and the audited export ----------------------------------------------

def to_json(data: dict[str, Any]) -> bytes:
    """UTF-8 JSON, keys in a fixed order, dates as ISO text."""
    return (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")


def export(register, client_id: str, fmt: str) -> SubjectExport:
    """Collect and render for the signed-in user; the audit entry and the export share a transaction."""
    register.require(Permission.CASE_WORK)
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise UnknownExportFormat(fmt=fmt)
    with register.transaction():
        records.fetch(register.conn, "clients", client_id, include_deleted=True)
        register.audit("client.export", "clients", client_id, {"format": fmt})
        data = collect(register.conn, client_id)
        data["exported_by"] = {"login": register.user.login, "full_name": register.user.full_name}
        content = to_json(data) if fmt == "json" else to_pdf(data, register.unit())
    return SubjectExport(data, content, fmt)


def export_client(register, client_id: str, fmt: str) -> bytes:
    """The export as bytes (`fmt` is "pdf" or "json"); the caller writes the file."""
    return export(register, client_id, fmt).content
