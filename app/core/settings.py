"""Settings, declared once with type and default.

Register settings matter to the data and live inside the encrypted
register; machine settings (language, last register) live in a small
config file on this computer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.errors import InvalidInput
from app.core.i18n import N_, Translatable


@dataclass(frozen=True)
class Setting:
    name: str
    kind: type
    default: Any
    label: Translatable
    minimum: int | None = None
    maximum: int | None = None

    def coerce(self, value: Any) -> Any:
        try:
            if self.kind is bool:
                result = value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes"}
            else:
                result = self.kind(value)
        except (TypeError, ValueError):
            raise InvalidInput(field=self.label, problem=N_("the value is not valid")) from None
        if self.kind is str:
            result = result.strip()
        if self.minimum is not None and result < self.minimum:
            raise InvalidInput(field=self.label, problem=N_("the value is too small"))
        if self.maximum is not None and result > self.maximum:
            raise InvalidInput(field=self.label, problem=N_("the value is too large"))
        return result


REGISTER_SETTINGS = {
    s.name: s
    for s in (
        Setting("unit_name", str, "", N_("Unit name")),
        Setting("unit_address", str, "", N_("Unit address")),
        Setting("office_name", str, "", N_("Receiving office")),
        Setting("place_name", str, "", N_("Place name on forms")),
        Setting("auto_lock_minutes", int, 10, N_("Lock after minutes without use"), 1, 240),
        Setting("backups_kept", int, 10, N_("Backups kept"), 1, 100),
        Setting("backup_folder", str, "", N_("Backup folder")),
        Setting("backup_every_hours", int, 24, N_("Back up every (hours)"), 1, 720),
        Setting("backup_on_close", bool, True, N_("Back up when the program closes")),
        Setting("report_form", str, "", N_("Report form")),
        Setting("law_file", str, "", N_("Law file")),
        Setting("dhis2_mapping", str, "", N_("DHIS2 mapping")),
    )
}

MACHINE_SETTINGS = {
    s.name: s
    for s in (
        Setting("language", str, "vi", N_("Language")),
        Setting("last_register", str, "", N_("Last register")),
        Setting("last_login", str, "", N_("Last user name")),
        Setting("last_unit_name", str, "", N_("Unit name")),
    )
}
