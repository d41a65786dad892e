"""The law as dated data: which term applies on which day, and a law file that cannot be used."""

from datetime import date

import pytest

from app.core.law import LawFileError, default_law_text, parse_law

LAW = parse_law(default_law_text())


def test_registrations_keep_the_rule_of_the_day_they_were_made():
    before = LAW.rehab_term(date(2026, 6, 30), first=True)
    assert (before.minimum, before.maximum, before.fixed) == (6, 12, None) and "73/2021/QH14" in before.basis
    first = LAW.rehab_term(date(2026, 7, 1), first=True)
    later = LAW.rehab_term(date(2026, 7, 1), first=False)
    assert (first.fixed, later.fixed) == (24, 36) and "120/2025/QH15" in first.basis
    assert LAW.rehab_term(date(2021, 12, 31), first=True) is None  # before any rule the file knows


def test_management_is_one_year_and_the_office_follows_the_reorganisation():
    assert LAW.management_term("post_rehab_management", date(2026, 8, 1)).fixed == 12
    assert LAW.management_term("managed_user", date(2024, 1, 1)).fixed == 12
    assert LAW.management_term("none", date(2026, 8, 1)) is None
    assert "huyện" in LAW.office(date(2025, 6, 30)).name
    assert "184/2025" in LAW.office(date(2025, 7, 1)).basis
    assert "Công an" in LAW.office(date(2026, 7, 1)).name


@pytest.mark.parametrize("text, says", [
    ('[[rehab]]\nfrom = "2026-07-01"\nfirst = { months = 24 }\nbasis_vi = "x"\n'
     '[[rehab]]\nfrom = "2027-01-01"\nfirst = { months = 36 }\nbasis_vi = "y"\n', "2027-01-01"),
    ('[[rehab]]\nfrom = "1 tháng 7"\nfirst = { months = 24 }\nbasis_vi = "x"\n', "2026-07-01"),
    ('[[rehab]]\nfrom = "2026-07-01"\nfirst = { min = 12, max = 6 }\nbasis_vi = "x"\n', "min"),
    ('[[rehab]]\nfrom = "2026-07-01"\nfirst = { months = 24 }\n', "basis_vi"),
    ('code = "x"\n', "cai nghiện"),
    ('[[rehab]\n', "dòng 1, cột 8"),
])
def test_a_law_file_that_cannot_be_used_says_where_and_why(text, says):
    with pytest.raises(LawFileError) as refused:
        parse_law(text, "luat.toml")
    assert "luat.toml" in refused.value.message and says in refused.value.message
