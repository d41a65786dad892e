"""Every counting rule a form may name can be said in words, in both languages."""

from app.core.i18n import set_language
from app.reports.form_file import Cell
from app.reports.metrics import REGISTRY
from app.reports.rule_words import RULES, rule_text


def test_every_metric_has_its_rule_in_words():
    assert set(RULES) == set(REGISTRY)


def test_a_rule_names_its_filters_as_people_read_them():
    cell = Cell("contacts.count", (("kind", "home"), ("sex", "female")))
    set_language("en")
    try:
        assert rule_text(cell) == ("Counselling contacts: one per individual contact, one per participant of a "
                                   "group session · At the client's home, Female")
    finally:
        set_language("vi")
    said = rule_text(cell)
    assert said.startswith("Số lượt tư vấn") and "Nữ" in said
    service = Cell("referrals.made", (("service", "arv"),))
    assert rule_text(service, {"arv": "Điều trị ARV"}.get).endswith("· Điều trị ARV")
