"""Lists the forms choose from (staff, catalogs) and the law's terms, loaded once on the worker and
refreshed on change."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.law import LawFile
from app.store import catalogs, law_terms, staff


@dataclass(frozen=True)
class Lookups:
    substances: list[tuple[str, str]]
    topics: list[tuple[str, str]]
    services: list[tuple[str, str]]
    hamlets: list[tuple[str, str]]
    counsellors: list[tuple[str, str]]  # staff id, name: board members and counsellors
    volunteers: list[tuple[str, str]]
    staff_names: dict[str, str]
    labels: dict[str, dict[str, str]]   # catalog kind -> code -> label (inactive ones too)
    my_staff_id: str | None
    law: LawFile                        # the terms the register's law file sets, by date

    def label(self, kind: str, code: str) -> str:
        return self.labels.get(kind, {}).get(code, code)

    def labels_of(self, kind: str, codes) -> str:
        return ", ".join(self.label(kind, c) for c in codes or [])

    def with_current(self, people: list[tuple[str, str]], current: str | None) -> list[tuple[str, str]]:
        """`people` to choose from, plus the one a record already names if they have since left."""
        if current and current not in dict(people):
            return [*people, (current, self.staff_names.get(current, ""))]
        return list(people)


def load(register) -> Lookups:
    conn = register.conn

    def pairs(kind: str) -> list[tuple[str, str]]:
        return [(item.code, item.label) for item in catalogs.items(conn, kind)]

    people = staff.listing(conn)
    return Lookups(
        substances=pairs("substance"),
        topics=pairs("topic"),
        services=pairs("service"),
        hamlets=[(item.label_vi, item.label_vi) for item in catalogs.items(conn, "hamlet")],
        counsellors=[(p["id"], p["full_name"]) for p in people if p["kind"] in ("counsellor", "board")],
        volunteers=[(p["id"], p["full_name"]) for p in people if p["kind"] == "volunteer"],
        staff_names=staff.names(conn),
        labels={kind: catalogs.labels(conn, kind) for kind in ("substance", "topic", "service", "hamlet")},
        my_staff_id=staff.for_user(conn, register.user.id),
        law=law_terms.current(conn),
    )
