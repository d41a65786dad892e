"""Catalogs an administrator edits: substances, referral services, topics, hamlets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.errors import InvalidInput
from app.core.i18n import N_, current_language
from app.core.roles import Permission
from app.core.text import clean, fold
from app.core.vocab import CATALOG_KINDS


@dataclass(frozen=True)
class CatalogItem:
    kind: str
    code: str
    label_vi: str
    label_en: str
    active: bool
    sort_order: int

    @property
    def label(self) -> str:
        return self.label_en if current_language() == "en" and self.label_en else self.label_vi


def items(conn, kind: str, *, include_inactive: bool = False) -> list[CatalogItem]:
    sql = "SELECT kind, code, label_vi, label_en, active, sort_order FROM catalog_items WHERE kind = ?"
    if not include_inactive:
        sql += " AND active = 1"
    rows = conn.execute(sql + " ORDER BY sort_order, label_vi", (kind,))
    return [CatalogItem(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in rows]


def codes(conn, kind: str) -> set[str]:
    """All codes ever defined (inactive ones stay valid for old records)."""
    return {r[0] for r in conn.execute("SELECT code FROM catalog_items WHERE kind = ?", (kind,))}


def labels(conn, kind: str) -> dict[str, str]:
    return {item.code: item.label for item in items(conn, kind, include_inactive=True)}


def code_for(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(label)).strip("_")[:40] or "item"


def save_item(register, kind: str, label_vi: str, label_en: str = "", *, code: str | None = None,
              active: bool = True, sort_order: int | None = None) -> CatalogItem:
    """Add or change a catalog item (administrators only)."""
    register.require(Permission.MANAGE_SETTINGS)
    if kind not in CATALOG_KINDS:
        raise InvalidInput(field=N_("Catalog"), problem=N_("the value is not valid"))
    label_vi = clean(label_vi)
    if not label_vi:
        raise InvalidInput(field=N_("Name"), problem=N_("this field is required"))
    code = code or code_for(label_vi)
    if sort_order is None:
        sort_order = (register.conn.execute(
            "SELECT coalesce(max(sort_order), 0) + 1 FROM catalog_items WHERE kind = ?", (kind,)).fetchone()[0])
    with register.transaction():
        register.conn.execute(
            "INSERT INTO catalog_items (kind, code, label_vi, label_en, active, sort_order) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(kind, code) DO UPDATE SET label_vi = excluded.label_vi, label_en = excluded.label_en,"
            " active = excluded.active, sort_order = excluded.sort_order",
            (kind, code, label_vi, clean(label_en), int(active), sort_order),
        )
        register.audit("catalog.save", "catalog_items", f"{kind}:{code}")
    return CatalogItem(kind, code, label_vi, clean(label_en), active, sort_order)


def ensure_hamlet(register, name: str) -> None:
    """Hamlets typed on a client file join the hamlet catalog (no permission needed)."""
    name = clean(name)
    if not name:
        return
    register.conn.execute(
        "INSERT INTO catalog_items (kind, code, label_vi, label_en, sort_order)"
        " SELECT 'hamlet', ?, ?, '', coalesce(max(sort_order), 0) + 1 FROM catalog_items WHERE kind = 'hamlet'"
        " ON CONFLICT(kind, code) DO NOTHING",
        (code_for(name), name),
    )
