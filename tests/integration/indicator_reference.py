"""A plain reference for the monthly indicators, written from docs/forms.md and nothing else.

It reads every row of every table into Python and applies each rule in words, one record at a time,
with no SQL beyond `SELECT *`. The SQL engine must give the same numbers and the same records.
"""

from __future__ import annotations

from app.reports.metrics import INDIVIDUAL
from app.reports.period import Month

TABLES = ("clients", "client_groups", "contacts", "contact_participants", "referrals", "rehab_registrations",
          "methadone_episodes", "groups", "group_members", "group_meetings", "meeting_attendance", "outreach")


class Register:
    """All rows of one register, as dicts."""

    def __init__(self, conn) -> None:
        self.tables = {}
        for table in TABLES:
            cursor = conn.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            self.tables[table] = [dict(zip(names, row)) for row in cursor]
        self.clients = {c["id"]: c for c in self.tables["clients"]}

    def alive(self, table: str) -> list[dict]:
        return [row for row in self.tables[table] if not row["deleted"]]

    def client(self, client_id):
        """The client's record, or None when it is missing or marked deleted."""
        found = self.clients.get(client_id)
        return found if found and not found["deleted"] else None

    def group_at_end(self, client: dict, month: Month) -> str:
        history = [g for g in self.alive("client_groups") if g["client_id"] == client["id"] and g["start_date"] <= month.last]
        if not history:
            return client["main_group"]
        return max(history, key=lambda g: (g["start_date"], g["seq"]))["group_code"]

    def points(self) -> list[str]:
        return sorted({row["origin"] for table in ("clients", "contacts", "outreach", "groups") for row in self.alive(table)})


def _in(day, month: Month) -> bool:
    return bool(day) and month.first <= day <= month.last


def _open_at_end(start, end, month: Month) -> bool:
    return bool(start) and start <= month.last and (not end or end > month.last)


class Item:
    """One thing a metric may count: its origin, client, filter values, amount, and the record it names."""

    def __init__(self, origin, ref, client=None, amount=1, **filters) -> None:
        self.origin, self.ref, self.client, self.amount, self.filters = origin, ref, client, amount, filters


def items(reg: Register, metric: str, month: Month) -> tuple[str, list[Item]]:
    """How `metric` counts ("rows", "people" or "sum") and the items it counts before filters."""
    family, _dot, name = metric.partition(".")
    found: list[Item] = []

    def person(row, client_id):
        client = reg.client(client_id)
        return client, (dict(sex=client["sex"], group=reg.group_at_end(client, month)) if client else None)

    if family == "clients":
        for c in reg.alive("clients"):
            if c["intake_date"] > month.last:
                continue  # not yet taken in
            closed_by_end = c["status"] == "closed" and (c["closed_date"] or "") <= month.last
            keep = {"new": _in(c["intake_date"], month),
                    "active": c["status"] == "active" or (c["closed_date"] or "") > month.last,
                    "closed": c["status"] == "closed" and _in(c["closed_date"], month),
                    "post_rehab_managed": c["legal_status"] == "post_rehab_management"
                    and _open_at_end(c["legal_start"], c["legal_end"], month) and not closed_by_end}[name]
            if keep:
                found.append(Item(c["origin"], ("clients", c["id"]), c["id"], sex=c["sex"],
                                  group=reg.group_at_end(c, month), reason=c["closing_reason"]))
        return "rows", found
    if family == "contacts" and name in ("count", "people"):
        for t in reg.alive("contacts"):
            if not _in(t["contact_date"], month):
                continue
            ids = [t["client_id"]] if t["client_id"] is not None else []
            if t["kind"] == "group":
                ids += [p["client_id"] for p in reg.alive("contact_participants") if p["contact_id"] == t["id"]]
            for client_id in ids:
                client, who = person(t, client_id)
                if client:
                    ref = ("contacts", t["id"]) if name == "count" else ("clients", client_id)
                    found.append(Item(t["origin"], ref, client_id, kind=t["kind"], **who))
        return ("rows" if name == "count" else "people"), found
    if family == "contacts":
        for t in reg.alive("contacts"):
            if t["kind"] in ("group", "community") and _in(t["contact_date"], month):
                present = (t["attendee_count"] or 0) if t["kind"] == "community" else len(
                    [p for p in reg.alive("contact_participants") if p["contact_id"] == t["id"]])
                found.append(Item(t["origin"], ("contacts", t["id"]), amount=present if name == "attendees" else 1,
                                  kind=t["kind"]))
        return "sum", found
    if family == "referrals":
        for r in reg.alive("referrals"):
            client, who = person(r, r["client_id"])
            if not client or r["referred_date"] > month.last:
                continue
            completed = r["outcome"] == "completed" and _in(r["outcome_date"], month)
            keep = {"made": _in(r["referred_date"], month), "people": _in(r["referred_date"], month),
                    "completed": completed, "amount": completed,
                    "pending": r["outcome"] == "pending" or (r["outcome_date"] or "") > month.last}[name]
            if keep:
                ref = ("clients", r["client_id"]) if name == "people" else ("referrals", r["id"])
                found.append(Item(r["origin"], ref, r["client_id"], amount=(r["amount"] or 0) if name == "amount" else 1,
                                  service=r["service"], **who))
        return {"people": "people", "amount": "sum"}.get(name, "rows"), found
    if family in ("rehab", "methadone"):
        table = "rehab_registrations" if family == "rehab" else "methadone_episodes"
        for r in reg.alive(table):
            client, who = person(r, r["client_id"])
            if not client:
                continue
            if family == "rehab":
                if r["registration_date"] > month.last:
                    continue
                ended = r["outcome_date"] if r["outcome"] != "ongoing" else None
                keep = {"registered": _in(r["registration_date"], month), "decided": _in(r["decision_date"], month),
                        "completed": r["outcome"] == "completed" and _in(r["outcome_date"], month),
                        "dropped_out": r["outcome"] == "dropped_out" and _in(r["outcome_date"], month),
                        "ongoing": _open_at_end(r["start_date"] or r["decision_date"], ended, month)}[name]
            else:
                keep = {"started": _in(r["start_date"], month),
                        "on_treatment": _open_at_end(r["start_date"], r["end_date"], month)
                        and (r["status"] == "on_treatment" or bool(r["end_date"])),
                        "dropped_out": r["status"] == "dropped_out" and _in(r["end_date"], month)}[name]
            if keep:
                found.append(Item(r["origin"], (table, r["id"]), r["client_id"], sex=who["sex"]))
        return "rows", found
    if family == "groups":
        meetings = [t for t in reg.alive("group_meetings") if _in(t["meeting_date"], month)]
        if name == "active":
            met = {t["group_id"] for t in meetings}
            return "rows", [Item(g["origin"], ("groups", g["id"])) for g in reg.alive("groups") if g["id"] in met]
        if name == "meetings":
            return "rows", [Item(t["origin"], ("group_meetings", t["id"])) for t in meetings]
        if name == "attendance":
            by_id = {t["id"]: t for t in meetings}
            for a in reg.alive("meeting_attendance"):
                client, who = person(a, a["client_id"])
                if client and a["meeting_id"] in by_id:
                    found.append(Item(by_id[a["meeting_id"]]["origin"], ("meeting_attendance", a["id"]), a["client_id"],
                                      sex=who["sex"]))
            return "rows", found
        for m in reg.alive("group_members"):
            client, who = person(m, m["client_id"])
            if client and _open_at_end(m["joined_date"], m["left_date"], month):
                found.append(Item(m["origin"], ("group_members", m["id"]), m["client_id"], sex=who["sex"]))
        return "people", found
    if family == "outreach":
        for o in reg.alive("outreach"):
            if _in(o["activity_date"], month):
                amount = {"count": 1, "quantity": o["quantity"] or 0, "minutes": (o["quantity"] or 0) * (o["minutes"] or 0),
                          "attendees": o["attendees"] or 0}[name]
                found.append(Item(o["origin"], ("outreach", o["id"]), amount=amount, outreach=o["kind"]))
        return "sum", found
    raise KeyError(metric)


def _matches(item: Item, filters: dict) -> bool:
    for name, value in filters.items():
        if name == "kind" and value == "individual":
            if item.filters.get("kind") not in INDIVIDUAL:
                return False
        elif item.filters.get(name) != value:
            return False
    return True


def count(reg: Register, metric: str, filters: dict, month: Month, origin: str | None = None) -> tuple[int, set]:
    """The number a cell shows and the records behind it, for all points or one."""
    how, found = items(reg, metric, month)
    kept = [i for i in found if _matches(i, filters) and origin in (None, i.origin)]
    refs = {i.ref for i in kept}
    if how == "people":
        return len({i.client for i in kept}), refs
    if how == "sum":
        return sum(i.amount for i in kept), refs
    return len(kept), refs
