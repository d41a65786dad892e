"""Vietnamese values for the demo register: names, places, services, phrases.

These are data values (what a point in An Giang would type), not messages,
so they stay Vietnamese in every language. Frequencies are rough: Nguyễn is
about four names in ten, "Văn" and "Thị" are the usual middle names.
"""

from __future__ import annotations

# Family names with rough weights (southern spellings: Huỳnh, Võ are common in An Giang).
FAMILY_NAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9, "Phạm": 6, "Huỳnh": 5, "Võ": 4, "Phan": 4, "Trương": 2,
    "Đặng": 2, "Bùi": 2, "Đỗ": 1.5, "Hồ": 1.5, "Ngô": 1.3, "Dương": 1, "Lý": 1, "Lâm": 1,
    "Châu": 0.8, "Đinh": 0.6, "Mai": 0.6, "Tô": 0.5, "Thái": 0.5, "La": 0.4, "Hoàng": 0.8, "Vũ": 0.5,
}

MIDDLE_NAMES = {
    "male": {"Văn": 40, "Minh": 8, "Thanh": 6, "Hữu": 6, "Quốc": 5, "Công": 4, "Tấn": 4, "Hoàng": 3,
             "Thành": 3, "Phước": 2, "Đức": 2, "Trọng": 2, "Duy": 2, "Ngọc": 1, "": 3},
    "female": {"Thị": 45, "Ngọc": 8, "Thanh": 5, "Kim": 5, "Thu": 4, "Mỹ": 4, "Hồng": 3, "Bích": 2,
               "Phương": 2, "Diễm": 1, "Thị Ngọc": 2, "Thị Kim": 2},
}

GIVEN_NAMES = {
    "male": (
        "Đức", "Hùng", "Dũng", "Tuấn", "Minh", "Phúc", "Tài", "Lộc", "Thành", "Hải", "Long", "Nam",
        "Sơn", "Trung", "Hiếu", "Khang", "Phát", "Tâm", "Toàn", "Vinh", "Nghĩa", "Lực", "Tú", "Bảo",
        "Hậu", "Quang", "Thắng", "Cường", "Khánh", "Nhân", "Tín", "Trí", "Hòa", "Hưng", "Quý", "Tùng",
        "Việt", "Duy", "Kiệt", "Luân", "Phong", "Sang", "Tân", "Thiện", "Đạt", "Định", "Danh", "Lợi",
        "Em", "Út", "Hoàng", "Thuận", "Nhựt", "Phụng",
    ),
    "female": (
        "Lan", "Hồng", "Hương", "Mai", "Nhung", "Thảo", "Trang", "Linh", "Ngọc", "Hạnh", "Hoa", "Loan",
        "Phương", "Thủy", "Tuyết", "Vân", "Yến", "Xuân", "Diễm", "Kiều", "Nga", "Oanh", "Quyên", "Thu",
        "Trinh", "Uyên", "Vy", "Hằng", "Liên", "Nhi", "Bích", "Cúc", "Đào", "Huệ", "Lệ", "My", "Như",
        "Sương", "Tâm", "Thúy", "Út", "Bé",
    ),
}

# Southern nicknames: birth-order names ("Hai", "Ba", … "Út") or pet names, often with a trait.
ALIASES = (
    "Tèo", "Tí", "Bi", "Bo", "Tũn", "Ken", "Bin", "Sún", "Cu Tèo", "Bé Tư", "Út Mập", "Ba Đen",
    "Tư Ốm", "Năm Lùn", "Sáu Rổ", "Bảy Cò", "Hai Lúa", "Tám Xe Ôm", "Chín Điện", "Út Hiền", "Đen",
    "Nhóc", "Tài Ròm", "Long Sẹo",
)

HAMLETS = (
    "Ấp Mỹ Thạnh", "Ấp Mỹ Phú", "Ấp Mỹ Quới", "Ấp Bình Khánh", "Khu phố Đông Thịnh", "Ấp Tây Huề",
    "Khu phố Hòa Long", "Ấp Thới Hòa", "Khu phố Mỹ An", "Ấp Bình Đức", "Khu phố Đông An", "Ấp Phú Hòa",
)
COMMUNE = "Mỹ Hòa"
PROVINCE = "An Giang"
OLD_DISTRICT = "Thành phố Long Xuyên"  # the district before the 2025 reorganisation
OTHER_COMMUNES = ("Bình Đức", "Mỹ Thới", "Mỹ Khánh")  # families who come from nearby communes
CITIZEN_PROVINCE_CODE = "089"  # An Giang's code, the first three digits of a citizen ID

PHONE_PREFIXES = ("090", "091", "093", "094", "097", "098", "032", "033", "035", "036", "037",
                  "038", "039", "070", "076", "077", "079", "081", "083", "085", "086", "088")

RELATIONSHIPS = {"female": ("Mẹ", "Mẹ", "Mẹ", "Vợ", "Vợ", "Chị gái", "Em gái", "Con gái"),
                 "male": ("Cha", "Cha", "Anh trai", "Em trai", "Chồng")}

EDUCATION = ("Tiểu học", "Lớp 6", "Lớp 7", "Lớp 9", "Lớp 9", "Lớp 12", "Lớp 12", "Trung cấp", "Không đi học")
OCCUPATIONS = ("Làm thuê", "Làm thuê", "Thợ hồ", "Chạy xe ôm", "Làm ruộng", "Buôn bán nhỏ", "Công nhân",
               "Sửa xe", "Nuôi cá", "Không có việc làm", "Không có việc làm", "Học sinh")
INCOMES = ("Không có thu nhập", "Dưới 2 triệu đồng/tháng", "2–4 triệu đồng/tháng", "4–6 triệu đồng/tháng",
           "Không ổn định")
FAMILY_SUPPORT = ("Gia đình quan tâm, động viên", "Gia đình hỗ trợ một phần", "Sống một mình",
                  "Quan hệ gia đình căng thẳng", "Vợ con hỗ trợ tốt")
CONSENT_SCOPE = "Lưu hồ sơ, tư vấn, chuyển gửi dịch vụ; báo cáo số liệu không nêu tên"

DETERMINATION_FACILITY = "Trung tâm Y tế thành phố Long Xuyên"
LEGAL_DECISION = "{n}/QĐ-UBND"

# Staff positions (Ban chủ nhiệm, tư vấn viên, Đội công tác xã hội tình nguyện).
CHAIR = "Chủ nhiệm Điểm tư vấn, Phó Chủ tịch UBND xã"
VICE_CHAIR = "Phó Chủ nhiệm, Trạm trưởng Trạm Y tế xã"
BOARD_MEMBER = "Thành viên Ban chủ nhiệm, cán bộ phụ trách báo cáo"
BOARD_POLICE = "Thành viên Ban chủ nhiệm, Công an xã"
COUNSELLOR = "Tư vấn viên chuyên trách"
TEAM_LEADER = "Đội trưởng Đội công tác xã hội tình nguyện"
TEAM_DEPUTY = "Đội phó Đội công tác xã hội tình nguyện"
VOLUNTEER = "Tình nguyện viên"

OFFICE = "Văn phòng Điểm tư vấn"
COMMUNITY_VENUES = ("Nhà văn hóa {hamlet}", "Hội trường UBND xã Mỹ Hòa", "Nhà sinh hoạt cộng đồng {hamlet}",
                    "Chùa Phước Hưng ({hamlet})")

# Where each referral service is usually sent.
REFERRED_TO = {
    "determination": ("Trung tâm Y tế thành phố Long Xuyên",),
    "methadone": ("Cơ sở điều trị Methadone thành phố Long Xuyên", "Điểm cấp phát thuốc Methadone Châu Thành"),
    "health": ("Trạm Y tế xã Mỹ Hòa", "Bệnh viện Đa khoa Trung tâm An Giang"),
    "hiv_test": ("Trung tâm Kiểm soát bệnh tật tỉnh An Giang", "Trạm Y tế xã Mỹ Hòa"),
    "mental_health": ("Bệnh viện Tâm thần tỉnh An Giang",),
    "vocational": ("Trung tâm Giáo dục nghề nghiệp – GDTX Long Xuyên", "Hội Nông dân xã (lớp nghề ngắn hạn)"),
    "job": ("Trung tâm Dịch vụ việc làm An Giang", "Công ty TNHH May mặc Long Xuyên", "Hội Phụ nữ xã"),
    "loan": ("Ngân hàng Chính sách xã hội – Phòng giao dịch Long Xuyên", "Quỹ hỗ trợ nông dân xã"),
    "legal_aid": ("Trung tâm Trợ giúp pháp lý nhà nước tỉnh An Giang",),
    "social_protection": ("UBND xã Mỹ Hòa (bộ phận chính sách xã hội)",),
    "voluntary_rehab": ("UBND xã Mỹ Hòa (cai nghiện tại gia đình, cộng đồng)", "Cơ sở cai nghiện ma túy tỉnh An Giang"),
}
LOAN_PURPOSES = ("Vay vốn nuôi ốc trong bồn", "Vay vốn mua xe chạy xe ôm công nghệ", "Vay vốn mở tiệm sửa xe",
                 "Vay vốn chăn nuôi heo", "Vay vốn buôn bán trái cây", "Vay vốn nuôi cá lồng bè")
LOAN_MILLIONS = (10, 15, 20, 20, 30, 30, 30, 40, 50)

REHAB_PROVIDERS = ("Tổ công tác cai nghiện xã Mỹ Hòa (tại gia đình)", "Cai nghiện tại cộng đồng – UBND xã Mỹ Hòa")
REHAB_CERTIFICATE = "{n}/GCN-UBND"
METHADONE_SITES = REFERRED_TO["methadone"]

SELF_HELP_GROUPS = (
    ("Nhóm tự lực Vươn Lên", "Ngày 5 và 20 hằng tháng, 15 giờ, tại Điểm tư vấn"),
    ("Nhóm tự lực Hướng Thiện", "Ngày 10 và 25 hằng tháng, 19 giờ, tại Nhà văn hóa Ấp Mỹ Phú"),
)
GROUP_MEETING_DAYS = ((5, 20), (10, 25))
GROUP_RULES = ("Tham gia tự nguyện; sinh hoạt 2 lần mỗi tháng; giữ bí mật chuyện của nhau; "
               "không sử dụng rượu bia, ma túy khi đến sinh hoạt; giúp nhau tìm việc làm.")
MEETING_TOPICS = (
    "Chia sẻ kinh nghiệm phòng chống tái nghiện", "Kỹ năng từ chối khi bị rủ rê", "Quản lý căng thẳng, cảm xúc",
    "Giới thiệu vay vốn, việc làm", "Mô hình nuôi ốc trong bồn", "Sức khỏe, dinh dưỡng, ngủ đủ giấc",
    "Vai trò của gia đình", "Kế hoạch làm ăn của các thành viên", "Mời thành viên mới tham gia nhóm",
)

CONTACT_NOTES = (
    "Khách hàng hợp tác, có động lực cai nghiện.", "Gia đình quan tâm, động viên.",
    "Còn sử dụng ma túy đá, hẹn tư vấn lại.", "Đã giảm sử dụng, ngủ được, ăn uống khá hơn.",
    "Có việc làm thời vụ, thu nhập chưa ổn định.", "Cần hỗ trợ giới thiệu việc làm.",
    "Vắng nhà, gặp mẹ của khách hàng.", "Khách hàng lo lắng về sức khỏe, đã hướng dẫn đi khám.",
    "Đang điều trị methadone, uống thuốc đều.", "Bạn bè cũ hay rủ rê, đã tư vấn kỹ năng từ chối.",
)
GROUP_SESSION_NOTE = "Sinh hoạt nhóm tại văn phòng Điểm tư vấn"
COMMUNITY_SESSION_NOTE = "Lồng ghép sinh hoạt {host}"
COMMUNITY_HOSTS = ("Hội Phụ nữ", "Đoàn Thanh niên", "Hội Nông dân", "Hội Cựu chiến binh", "Mặt trận Tổ quốc ấp")
CLOSING_NOTES = {
    "completed": "Hoàn thành cai nghiện, ổn định cuộc sống",
    "moved_away": "Chuyển đi làm ăn ở Bình Dương",
    "deceased": "Gia đình báo đã mất",
    "lost": "Không liên lạc được nhiều tháng",
    "withdrew_consent": "Khách hàng rút lại đồng ý",
}
GROUP_CHANGE_NOTES = {
    "dependent": "Có kết quả xác định tình trạng nghiện",
    "drug_user": "Kết quả xác định: không nghiện, còn sử dụng",
    "post_rehab": "Hoàn thành cai nghiện, chuyển quản lý sau cai",
}

# Outreach places and notes.
RADIO = "Đài truyền thanh xã Mỹ Hòa"
SCHOOLS = ("Trường THCS Mỹ Hòa", "Trường THPT Long Xuyên", "Trường THCS Bình Khánh")
TRAININGS = ("Tập huấn kỹ năng tư vấn, Sở Y tế tỉnh An Giang", "Tập huấn quản lý trường hợp (trực tuyến)",
             "Tập huấn kỹ năng điều hành nhóm tự lực", "Tập huấn cai nghiện tại gia đình, cộng đồng")
TEAM_MEETINGS = ("Họp giao ban Đội công tác xã hội tình nguyện", "Họp Ban chủ nhiệm Điểm tư vấn")
BROADCAST_NOTES = ("Giới thiệu Điểm tư vấn, thời gian và địa điểm hoạt động",
                   "Chính sách hỗ trợ người cai nghiện tự nguyện", "Tác hại của ma túy đá",
                   "Gương người sau cai nghiện làm ăn khá")
BOARDS_PLACE = "Bảng thông tin tại các ấp, khu phố"
BOARDS_NOTE = "Cập nhật địa chỉ, giờ làm việc và lịch sinh hoạt của Điểm tư vấn"
MEETING_HALL = "Hội trường UBND xã Mỹ Hòa"
LOUDSPEAKER_NOTE = "Loa lưu động tuyên truyền phòng, chống ma túy"
SCHOOL_NOTE = "Chiếu phóng sự về tác hại của ma túy cho học sinh"
COMMUNITY_MEETING_NOTE = "Tuyên truyền lồng ghép trong họp {host}"
