"""The unit that keeps a register: its role, code and names."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from app.core.errors import InvalidInput
from app.core.i18n import N_, Translatable, _

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,19}$")
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


class RegisterRole(str, enum.Enum):
    POINT = "point"
    DISTRICT = "district"

    @property
    def label(self) -> str:
        return _(ROLE_LABELS[self])


ROLE_LABELS = {
    RegisterRole.POINT: N_("Consultation point"),
    RegisterRole.DISTRICT: N_("Receiving office (district role)"),
}


@dataclass(frozen=True)
class Unit:
    role: RegisterRole
    code: str
    name: str
    office_name: str = ""


def clean_text(value: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def parse_role(value: str) -> RegisterRole:
    try:
        return RegisterRole(str(value).strip().lower())
    except ValueError:
        raise InvalidInput(field=N_("Role"), problem=N_("choose 'point' or 'district'")) from None


def check_unit_code(code: str) -> str:
    code = clean_text(code).upper()
    if not _CODE.match(code):
        raise InvalidInput(
            field=N_("Unit code"),
            problem=N_("use 2 to 20 letters without diacritics, digits, '-' or '_', e.g. MYHOA-01"),
        )
    return code


def check_required(value: str | None, field: Translatable, maximum: int = 200) -> str:
    text = clean_text(value)
    if not text:
        raise InvalidInput(field=field, problem=N_("this field is required"))
    if len(text) > maximum:
        raise InvalidInput(field=field, problem=N_("the text is too long"))
    return text


def check_login(login: str) -> str:
    login = unicodedata.normalize("NFC", login or "").strip().lower()
    if not _LOGIN.match(login):
        raise InvalidInput(
            field=N_("User name"),
            problem=N_("use 2 to 32 letters without diacritics, digits, '.', '-' or '_', e.g. lan.nguyen"),
        )
    return login


def make_unit(role: str, code: str, name: str, office_name: str = "") -> Unit:
    return Unit(
        role=parse_role(role) if not isinstance(role, RegisterRole) else role,
        code=check_unit_code(code),
        name=check_required(name, N_("Unit name")),
        office_name=clean_text(office_name),
    )
