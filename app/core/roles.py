"""Roles and what each may do."""

from __future__ import annotations

import enum

from app.core.i18n import N_, _


class Role(str, enum.Enum):
    ADMIN = "admin"
    COUNSELLOR = "counsellor"
    REPORTER = "reporter"

    @property
    def label(self) -> str:
        return _(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMIN: N_("Administrator (point board)"),
    Role.COUNSELLOR: N_("Counsellor"),
    Role.REPORTER: N_("Reporter (reports only)"),
}


class Permission(enum.Enum):
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    CASE_WORK = "case_work"
    VIEW_REPORTS = "view_reports"
    BACKUP = "backup"
    RESTORE = "restore"
    VERIFY_AUDIT = "verify_audit"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.COUNSELLOR: frozenset(
        {Permission.CASE_WORK, Permission.VIEW_REPORTS, Permission.BACKUP}
    ),
    Role.REPORTER: frozenset({Permission.VIEW_REPORTS}),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]
