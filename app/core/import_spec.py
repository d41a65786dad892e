"""What a spreadsheet of each kind may hold: columns, their headers in both languages, values.

Points keep clients, contacts, referrals and activities in their own
spreadsheets, with headers typed by hand ("Họ và tên", "Ho ten", "Full name").
Headers are matched ignoring case, diacritics, spaces and punctuation; the
first Vietnamese and the first English header of each column are the ones
docs/import.md documents. Choice columns take a code, a label in either
language, or one of the short words people write in practice ("nhóm",
"tại nhà", "tờ rơi"). Pure: no storage, no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from app.core.fields import match_choice
from app.core.i18n import N_, Translatable, current_language
from app.core.text import fold
from app.core.vocab import (
    CLIENT_GROUPS,
    CONTACT_KINDS,
    DETERMINATION_RESULTS,
    HEALTH_ANSWERS,
    LEGAL_STATUSES,
    OUTREACH_KINDS,
    REFERRAL_OUTCOMES,
    SEXES,
    TREATMENT_HISTORY,
    Vocabulary,
)

# How a cell's text becomes a value (the importer does the work for each).
TEXT, DATE, INTEGER, FLAG = "text", "date", "integer", "flag"
CHOICE, CHOICES = "choice", "choices"            # one / several codes of a Vocabulary
CATALOG, CATALOG_LIST = "catalog", "catalog_list"  # one / several items of a register catalog
CLIENT_REF, CLIENT_REFS = "client_ref", "client_refs"  # one / several clients by record code
STAFF = "staff"                                   # a staff member or volunteer by full name

# Group and community sessions are contacts without one named client; the activities
# sheet holds them beside outreach because points count them together.
SESSION_KINDS = frozenset({"group", "community"})
ACTIVITY_KINDS = Vocabulary("activity_kind", {
    **OUTREACH_KINDS.items,
    "group": CONTACT_KINDS.items["group"],
    "community": CONTACT_KINDS.items["community"],
})

# Short words people write instead of the full labels, already folded (see text.fold).
_ALIASES: dict[str, dict[str, str]] = {
    "sex": {"m": "male", "f": "female", "nam gioi": "male", "nu gioi": "female"},
    "client_group": {
        "su dung": "drug_user", "nguoi su dung": "drug_user", "su dung ma tuy": "drug_user",
        "su dung trai phep": "drug_user", "nguoi su dung ma tuy": "drug_user", "user": "drug_user",
        "nghien": "dependent", "nguoi nghien": "dependent", "nghien ma tuy": "dependent",
        "nghi nghien": "suspected", "nghi van": "suspected",
        "sau cai": "post_rehab", "sau cai nghien": "post_rehab",
        "nguy co cao": "high_risk", "nguy co": "high_risk",
        "gia dinh": "family", "nguoi than": "family", "than nhan": "family",
    },
    "contact_kind": {
        "ca nhan": "office", "tu van ca nhan": "office", "tai diem": "office", "van phong": "office",
        "tai van phong": "office", "individual": "office",
        "tai nha": "home", "gia dinh": "home", "tai gia dinh": "home", "tu van tai gia dinh": "home",
        "home visit": "home",
        "nhom": "group", "tu van nhom": "group",
        "cong dong": "community", "tai cong dong": "community",
        "dien thoai": "phone", "goi dien": "phone", "qua dien thoai": "phone",
        "truc tuyen": "online", "zalo": "online", "facebook": "online", "online": "online",
    },
    "referral_outcome": {
        "cho": "pending", "dang cho": "pending", "chua co ket qua": "pending", "chua co": "pending",
        "hoan thanh": "completed", "da nhan dich vu": "completed", "thanh cong": "completed",
        "done": "completed",
        "tu choi": "refused", "khong thanh cong": "failed", "that bai": "failed",
    },
    "activity_kind": {
        "phat thanh": "broadcast", "loa phat thanh": "broadcast", "radio": "broadcast",
        "to roi": "leaflets", "phat to roi": "leaflets", "leaflet": "leaflets",
        "bang tin": "board", "bang thong tin": "board", "pano": "board",
        "loa luu dong": "loudspeaker", "loa di dong": "loudspeaker",
        "truong hoc": "school", "tuyen truyen truong hoc": "school", "ngoai khoa": "school",
        "hop dan": "community_meeting", "sinh hoat cong dong": "community_meeting",
        "hop to dan pho": "community_meeting",
        "hop ban chu nhiem": "team_meeting", "hop doi": "team_meeting", "giao ban": "team_meeting",
        "hop doi tinh nguyen": "team_meeting",
        "tap huan": "training",
        "nhom": "group", "tu van nhom": "group", "sinh hoat nhom": "group",
        "cong dong": "community", "tu van cong dong": "community",
    },
    "health_answer": {
        "co": "yes", "duong tinh": "yes", "positive": "yes",
        "khong": "no", "am tinh": "no", "negative": "no",
        "khong ro": "unknown", "chua ro": "unknown", "chua biet": "unknown", "?": "unknown",
    },
    "determination_result": {"co nghien": "dependent", "nghien": "dependent", "khong nghien": "not_dependent"},
    "legal_status": {
        "khong": "none", "quan ly sau cai": "post_rehab_management",
        "quan ly nguoi su dung": "managed_user", "quan ly su dung": "managed_user",
    },
    "previous_treatment": {
        "bat buoc": "compulsory", "cai bat buoc": "compulsory", "cai nghien bat buoc": "compulsory",
        "tu nguyen tai co so": "voluntary_centre", "cai tu nguyen tai co so": "voluntary_centre",
        "tai gia dinh": "home_community", "cong dong": "home_community",
        "tu nguyen tai gia dinh": "home_community", "cai tai gia dinh": "home_community",
    },
}


@dataclass(frozen=True)
class Column:
    field: str
    vi: tuple[str, ...]               # accepted Vietnamese headers; the first is documented
    en: tuple[str, ...]               # accepted English headers; the first is documented
    value: str = TEXT
    required: bool = False            # the column must be in the file
    vocabulary: Vocabulary | None = None
    catalog: str | None = None        # catalog kind in the register: substance, service, topic
    feeds: tuple[str, ...] = ()       # other record fields whose problems belong to this column

    def title(self, language: str | None = None) -> str:
        """The documented header in the current (or given) language."""
        return self.en[0] if (language or current_language()) == "en" else self.vi[0]

    def both_titles(self) -> str:
        return self.vi[0] if self.vi[0] == self.en[0] else f"{self.vi[0]} / {self.en[0]}"


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: Translatable
    columns: tuple[Column, ...]
    # Each group: at least one of these columns must be in the file.
    one_of: tuple[tuple[str, ...], ...] = ()
    _index: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for column in self.columns:
            for header in (*column.vi, *column.en):
                self._index.setdefault(header_key(header), column)

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def match(self, header: str) -> Column | None:
        """The column a header written in a file stands for, if any."""
        key = header_key(header)
        if key in self._index:
            return self._index[key]
        bare = header_key(_PARENTHESES.sub("", header))  # "Số tiền (đồng)" -> "Số tiền"
        return self._index.get(bare) if bare else None


_PARENTHESES = re.compile(r"\([^)]*\)")
# Row numbers, order columns: common in Vietnamese sheets, never data.
IGNORED_HEADERS = frozenset({"stt", "tt", "sott", "sothutu", "no", "number", "rowno", "order"})


def header_key(text: object) -> str:
    """'Họ và tên (*)' -> 'hovaten': what header matching compares."""
    return re.sub(r"[^0-9a-z]+", "", fold(str(text or "")))


def is_ignored(header: str) -> bool:
    return header_key(header) in IGNORED_HEADERS


def choice_code(vocabulary: Vocabulary, text: str) -> str | None:
    """A vocabulary code from its code, a label in either language, or a usual short word."""
    text = text.strip()
    code = match_choice(text, vocabulary)
    if code is not None:
        return code
    wanted = fold(text)
    aliases = _ALIASES.get(vocabulary.name, {})
    if wanted in aliases:
        return aliases[wanted]
    from app.core.i18n import translate_to

    for code, label in vocabulary.items.items():  # "Trực tuyến" for "Trực tuyến (Zalo, Facebook)"
        if wanted in {fold(_PARENTHESES.sub("", label)), fold(_PARENTHESES.sub("", translate_to("vi", label)))}:
            return code
    return None


def split_list(text: str) -> list[str]:
    """Items of a list cell: separated by semicolons, commas or new lines."""
    return [item.strip() for item in re.split(r"[;,\n]", text) if item.strip()]


def map_items(text: str, to_code) -> list[str]:
    """Codes of a list cell; a piece is split at commas only if it is not a label as a whole,
    since some labels hold a comma ("Cai nghiện tự nguyện tại gia đình, cộng đồng").
    Pieces that match nothing stay as written, for the rules to report."""
    found: list[str] = []
    for piece in (p.strip() for p in re.split(r"[;\n]", text)):
        code = to_code(piece) if piece else None
        if code is not None:
            found.append(code)
        elif piece:
            found += [to_code(item) or item for item in (i.strip() for i in piece.split(",")) if item]
    return found


def show_date(value: object) -> str:
    """ISO text or a date as dd/mm/yyyy, the way forms write dates."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value or "")
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    return f"{match[3]}/{match[2]}/{match[1]}" if match else text


# --- the columns -------------------------------------------------------------

def _client_reference() -> tuple[Column, ...]:
    return (
        Column("client_code", ("Mã hồ sơ", "Mã khách hàng", "Mã KH", "Mã số"),
               ("Record code", "Client code", "Code"), CLIENT_REF, feeds=("client_id",)),
        Column("client_citizen_id", ("Số định danh cá nhân", "Số định danh", "Số CCCD", "CCCD",
                                     "Căn cước công dân", "CMND", "Số CMND"),
               ("Citizen ID", "ID number", "National ID"), feeds=("client_id",)),
        Column("client_name", ("Họ và tên", "Họ tên", "Tên khách hàng", "Khách hàng"),
               ("Full name", "Name", "Client name", "Client")),
    )


NOTES = Column("notes", ("Ghi chú",), ("Notes", "Note", "Remarks"))

CLIENTS = ImportKind("clients", N_("Clients"), (
    Column("code", ("Mã hồ sơ", "Mã khách hàng", "Mã KH", "Mã số"), ("Record code", "Client code", "Code")),
    Column("full_name", ("Họ và tên", "Họ tên", "Tên khách hàng"), ("Full name", "Name")),
    Column("alias", ("Tên gọi khác", "Biệt danh", "Tên thường gọi"), ("Alias", "Nickname")),
    Column("sex", ("Giới tính",), ("Sex", "Gender"), CHOICE, required=True, vocabulary=SEXES),
    Column("birth_year", ("Năm sinh",), ("Birth year", "Year of birth"), INTEGER),
    Column("birth_date", ("Ngày sinh", "Ngày tháng năm sinh"), ("Date of birth", "Birth date"), DATE),
    Column("citizen_id", ("Số định danh cá nhân", "Số định danh", "Số CCCD", "CCCD", "Căn cước công dân",
                          "CMND", "Số CMND"), ("Citizen ID", "ID number", "National ID")),
    Column("phone", ("Số điện thoại", "Điện thoại", "SĐT", "Số ĐT"), ("Phone", "Phone number")),
    Column("hamlet", ("Ấp, khu phố", "Ấp", "Khu phố", "Thôn", "Tổ dân phố"), ("Hamlet",)),
    Column("commune", ("Xã, phường", "Xã", "Phường", "Xã, phường, thị trấn"), ("Commune", "Ward", "Commune or ward")),
    Column("province", ("Tỉnh, thành phố", "Tỉnh", "Tỉnh, TP"), ("Province", "Province or city")),
    Column("old_district", ("Huyện cũ", "Quận, huyện cũ", "Huyện"), ("Old district", "District before 2025", "District")),
    Column("address", ("Địa chỉ", "Nơi ở", "Địa chỉ thường trú"), ("Address",)),
    Column("intake_date", ("Ngày tiếp nhận", "Ngày tiếp cận", "Ngày vào sổ"), ("Intake date", "Date of intake"),
           DATE, required=True),
    Column("main_group", ("Nhóm đối tượng", "Nhóm", "Đối tượng", "Phân loại"), ("Group", "Client group", "Main group"),
           CHOICE, required=True, vocabulary=CLIENT_GROUPS),
    Column("related_code", ("Người thân của (mã hồ sơ)", "Người thân của", "Mã hồ sơ người thân"),
           ("Family member of (record code)", "Family member of", "Related client code"),
           CLIENT_REF, feeds=("related_client_id",)),
    Column("relationship", ("Quan hệ", "Mối quan hệ"), ("Relationship",)),
    Column("substances", ("Chất sử dụng", "Loại ma túy", "Chất ma túy sử dụng"), ("Substances", "Drugs used"),
           CATALOG_LIST, catalog="substance"),
    Column("years_of_use", ("Số năm sử dụng",), ("Years of use",), INTEGER),
    Column("injecting", ("Tiêm chích",), ("Injecting", "Injects"), FLAG),
    Column("previous_treatments", ("Đã từng điều trị", "Điều trị trước đây"), ("Previous treatments",),
           CHOICES, vocabulary=TREATMENT_HISTORY),
    Column("determination_date", ("Ngày xác định tình trạng nghiện", "Ngày xác định nghiện"),
           ("Determination date",), DATE),
    Column("determination_facility", ("Cơ sở xác định tình trạng nghiện", "Cơ sở xác định"),
           ("Determination facility",)),
    Column("determination_result", ("Kết quả xác định tình trạng nghiện", "Kết quả xác định"),
           ("Determination result",), CHOICE, vocabulary=DETERMINATION_RESULTS),
    Column("legal_status", ("Diện quản lý", "Tình trạng quản lý"), ("Legal status", "Management status"),
           CHOICE, vocabulary=LEGAL_STATUSES),
    Column("legal_decision_no", ("Số quyết định quản lý", "Số quyết định"), ("Decision number",)),
    Column("legal_start", ("Ngày bắt đầu quản lý",), ("Management start",), DATE),
    Column("legal_end", ("Ngày kết thúc quản lý",), ("Management end",), DATE),
    Column("hiv", ("HIV",), ("HIV",), CHOICE, vocabulary=HEALTH_ANSWERS),
    Column("hepatitis", ("Viêm gan",), ("Hepatitis",), CHOICE, vocabulary=HEALTH_ANSWERS),
    Column("mental_health", ("Sức khỏe tâm thần",), ("Mental health",), CHOICE, vocabulary=HEALTH_ANSWERS),
    Column("education", ("Trình độ học vấn", "Học vấn"), ("Education",)),
    Column("occupation", ("Nghề nghiệp", "Việc làm"), ("Occupation", "Work")),
    Column("income", ("Thu nhập",), ("Income",)),
    Column("poor_household", ("Hộ nghèo",), ("Poor household",), FLAG),
    Column("family_support", ("Gia đình hỗ trợ", "Sự hỗ trợ của gia đình"), ("Family support",)),
    Column("counsellor_id", ("Tư vấn viên phụ trách", "Cán bộ phụ trách"), ("Counsellor", "Assigned counsellor"),
           STAFF),
    Column("volunteer_id", ("Tình nguyện viên phụ trách", "Tình nguyện viên"), ("Volunteer", "Assigned volunteer"),
           STAFF),
    Column("consent_date", ("Ngày đồng ý", "Ngày ký đồng ý"), ("Consent date",), DATE),
    Column("consent_scope", ("Phạm vi đồng ý",), ("Consent scope",)),
    NOTES,
), one_of=(("full_name", "alias"), ("birth_year", "birth_date")))

CONTACTS = ImportKind("contacts", N_("Contacts"), (
    *_client_reference(),
    Column("kind", ("Hình thức tư vấn", "Hình thức", "Loại tư vấn"), ("Kind", "Type", "Contact type"),
           CHOICE, required=True, vocabulary=CONTACT_KINDS),
    Column("contact_date", ("Ngày tư vấn", "Ngày"), ("Date", "Contact date"), DATE, required=True),
    Column("duration_minutes", ("Thời gian (phút)", "Số phút", "Thời lượng"), ("Minutes", "Duration"), INTEGER),
    Column("topics", ("Nội dung tư vấn", "Nội dung", "Chủ đề"), ("Topics", "Topic"), CATALOG_LIST, catalog="topic"),
    Column("attendee_count", ("Số người tham dự", "Số người"), ("Attendees", "Attendee count"), INTEGER),
    Column("participants", ("Người tham gia (mã hồ sơ)", "Người tham gia"), ("Participants (record codes)", "Participants"),
           CLIENT_REFS),
    Column("location", ("Địa điểm", "Nơi tư vấn"), ("Location", "Place")),
    Column("counsellor_id", ("Tư vấn viên", "Người tư vấn", "Cán bộ tư vấn"), ("Counsellor",), STAFF),
    Column("next_follow_up", ("Ngày hẹn tiếp theo", "Hẹn lần sau", "Ngày hẹn"), ("Next follow-up", "Follow-up date"), DATE),
    NOTES,
))

REFERRALS = ImportKind("referrals", N_("Referrals"), (
    *_client_reference(),
    Column("service", ("Dịch vụ", "Dịch vụ chuyển gửi", "Nội dung giới thiệu"), ("Service",),
           CATALOG, required=True, catalog="service"),
    Column("referred_date", ("Ngày giới thiệu", "Ngày chuyển gửi"), ("Referral date", "Date referred", "Date"),
           DATE, required=True),
    Column("referred_to", ("Nơi tiếp nhận", "Nơi chuyển đến", "Giới thiệu đến"), ("Referred to", "Receiving facility")),
    Column("outcome", ("Kết quả",), ("Outcome", "Result"), CHOICE, vocabulary=REFERRAL_OUTCOMES),
    Column("outcome_date", ("Ngày có kết quả", "Ngày kết quả"), ("Outcome date",), DATE),
    Column("amount", ("Số tiền vay (đồng)", "Số tiền vay", "Số tiền"), ("Loan amount (dong)", "Loan amount", "Amount"),
           INTEGER),
    NOTES,
), one_of=(("client_code", "client_citizen_id"),))

ACTIVITIES = ImportKind("activities", N_("Activities"), (
    Column("kind", ("Hoạt động", "Loại hoạt động", "Hình thức"), ("Activity", "Kind", "Type"),
           CHOICE, required=True, vocabulary=ACTIVITY_KINDS),
    Column("activity_date", ("Ngày", "Ngày thực hiện"), ("Date",), DATE, required=True, feeds=("contact_date",)),
    Column("quantity", ("Số lượng", "Số lượt", "Số tờ"), ("Quantity", "Count"), INTEGER),
    Column("minutes", ("Số phút mỗi lượt", "Thời lượng (phút)", "Số phút"), ("Minutes each", "Minutes"), INTEGER,
           feeds=("duration_minutes",)),
    Column("attendees", ("Số người tham dự", "Số người"), ("Attendees", "People reached"), INTEGER,
           feeds=("attendee_count",)),
    Column("location", ("Địa điểm",), ("Location", "Place")),
    Column("staff_id", ("Người thực hiện", "Cán bộ thực hiện"), ("Carried out by", "Staff"), STAFF,
           feeds=("counsellor_id",)),
    Column("topics", ("Nội dung", "Chủ đề"), ("Topics", "Topic"), CATALOG_LIST, catalog="topic"),
    Column("participants", ("Người tham gia (mã hồ sơ)", "Người tham gia"), ("Participants (record codes)", "Participants"),
           CLIENT_REFS),
    NOTES,
))

KINDS: dict[str, ImportKind] = {kind.key: kind for kind in (CLIENTS, CONTACTS, REFERRALS, ACTIVITIES)}
