"""A month's figures for DHIS2 (issue 17, point 3): ADX valid against its schema, dataValueSets
JSON that reads back to the form's numbers, an office's points as organisation units, the mapping
file an administrator chooses, and `tuvan report dhis2 --dry-run`."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
import xmlschema

from app.core.paths import resources
from app.reports import closing, dhis2, dhis2_mapping
from app.reports.dhis2_mapping import MappingFileError
from app.reports.monthly import monthly_report
from app.reports.period import Month
from app.store.register import unlock
from tests.conftest import PASSPHRASE, assert_owner_only, run_cli
from tests.integration.test_report_outputs import _as_points, district, october  # noqa: F401 (fixtures)

OCT = Month(2026, 10)
ADX = "{urn:ihe:qrph:adx:2015}"
SCHEMA = xmlschema.XMLSchema(str(resources() / "dhis2" / "adx.xsd"))


def _export(register, month=OCT):
    report = monthly_report(register, month)
    return report, dhis2.dhis2_export(report, dhis2_mapping.current(register.conn, report.form))


def _adx_values(content: bytes) -> dict[tuple, int]:
    """(orgUnit, period, dataElement, disaggregation) -> value, read back from an ADX file."""
    found = {}
    for group in ElementTree.fromstring(content).iter(f"{ADX}group"):
        for value in group.iter(f"{ADX}dataValue"):
            extra = tuple(sorted((k, v) for k, v in value.attrib.items() if k not in ("dataElement", "value")))
            found[(group.get("orgUnit"), group.get("period"), value.get("dataElement"), extra)] = int(value.get("value"))
    return found


def test_the_adx_file_is_valid_and_carries_the_forms_numbers(october):
    report, export = _export(october)
    content = dhis2.to_adx(export)
    SCHEMA.validate(content.decode("utf-8"))  # raises on anything the schema refuses
    values = _adx_values(content)
    unit = october.unit().code
    assert values[(unit, "2026-10-01/P1M", "TV_30_SOLUONG", ())] == report.result.value("30", "so_luong") == 7000
    men = values[(unit, "2026-10-01/P1M", "TV_5_GIOITINH", (("SEX", "MALE"),))]
    assert men == report.result.value("5", "nam") > 0
    assert values[(unit, "2026-10-01/P1M", "TV_5_GIOITINH", (("SEX", "FEMALE"),))] == report.result.value("5", "nu")
    assert len(values) == len(export.values) == sum(
        1 for row in report.form.rows() for column in row.cells if report.result.value(row.code, column) is not None)
    group = next(ElementTree.fromstring(content).iter(f"{ADX}group"))
    assert group.get("dataSet") == "TV_MONTHLY"


def test_the_schema_refuses_what_dhis2_would_refuse(october):
    _, export = _export(october)
    good = dhis2.to_adx(export).decode("utf-8")
    for broken in (good.replace('value="7000"', 'value="bảy nghìn"'),
                   good.replace('period="2026-10-01/P1M"', 'period="202610"'),
                   good.replace(' dataSet="TV_MONTHLY"', "")):
        assert broken != good
        with pytest.raises(xmlschema.XMLSchemaValidationError):
            SCHEMA.validate(broken)


def test_the_json_file_reads_back_to_the_same_values(october):
    report, export = _export(october)
    data = json.loads(dhis2.to_json(export))
    assert (data["dataSet"], data["period"], data["idScheme"]) == ("TV_MONTHLY", "202610", "CODE")
    back = {(v["orgUnit"], v["period"], v["dataElement"], v.get("categoryOptionCombo", "")): int(v["value"])
            for v in data["dataValues"]}
    assert len(back) == len(data["dataValues"]) == len(export.values)  # no two values on one key
    unit = october.unit().code
    assert back == {(unit, "202610", v.target.data_element, v.target.category_option_combo): v.value
                    for v in export.values}
    assert back[(unit, "202610", "TV_5_GIOITINH", "MALE")] == report.result.value("5", "nam")
    assert all(isinstance(v["value"], str) for v in data["dataValues"])  # DHIS2 takes values as text


def test_an_office_sends_each_points_figures_under_its_organisation_unit(district):
    _as_points(district, ["P-01", "P-02", "P-03"])
    text = dhis2_mapping.default_mapping_text().replace('# "MYHOA-01" = "VN_DN_HV_MYHOA"', '"P-02" = "VN_AG_P02"')
    report = monthly_report(district, OCT)
    dhis2_mapping.choose(district, text, report.form, "anh-xa.toml")
    report, export = _export(district)
    content = dhis2.to_adx(export)
    SCHEMA.validate(content.decode("utf-8"))
    groups = [g.get("orgUnit") for g in ElementTree.fromstring(content).iter(f"{ADX}group")]
    assert groups == ["P-01", "VN_AG_P02", "P-03"]
    values = _adx_values(content)
    for point, org_unit in (("P-01", "P-01"), ("P-02", "VN_AG_P02"), ("P-03", "P-03")):
        assert values[(org_unit, "2026-10-01/P1M", "TV_5_SOLUONG", ())] == report.result.by_point[point]["5"]["so_luong"]
    assert sum(values[(u, "2026-10-01/P1M", "TV_5_SOLUONG", ())] for u in ("P-01", "VN_AG_P02", "P-03")) == \
        report.result.value("5", "so_luong")
    assert district.unit().code not in groups  # the office's own total is not sent: DHIS2 adds up
    lines = dhis2.summary(export, "adx", {})
    headings = [n for n, line in enumerate(lines) if "→" in line]
    assert [lines[n].split(" →")[0] for n in headings] == ["P-01", "P-02", "P-03"]
    assert headings[1] - headings[0] - 1 == sum(1 for v in export.values if v.unit == "P-01")


def test_a_bad_mapping_is_refused_naming_the_place_and_changes_nothing(october):
    form = monthly_report(october, OCT).form
    good = '[cells."30"]\nso_luong = { data_element = "LEAFLETS" }\n'
    dhis2_mapping.choose(october, 'data_set = "DS"\n' + good, form, "mine.toml")
    for text, said in (('data_set = "D S"\n' + good, "data_set"),
                       ('data_set = "DS"\n[cells."7b"]\nnguoi = { data_element = "A" }\n', "7b"),
                       ('data_set = "DS"\n[cells."30"]\nnguoi = { data_element = "A" }\n', "nguoi"),
                       ('data_set = "DS"\n' + good + 'so_luong = 1\n', "dòng 4"),
                       ('data_set = "DS"\n[cells."5"]\nnam = { data_element = "A", categories = { SEX = "MALE" } }\n',
                        "category_option_combo")):
        with pytest.raises(MappingFileError) as refused:
            dhis2_mapping.choose(october, text, form, "sai.toml")
        assert "sai.toml" in refused.value.message and said in refused.value.message
    assert dhis2_mapping.current(october.conn, form).data_set == "DS"


def test_cli_dry_run_lists_what_would_be_sent_then_writes_once_the_month_is_closed(october, tmp_path):
    root = str(tmp_path / "register")
    env = {"TUVAN_PASSPHRASE": PASSPHRASE}
    october.close()
    dry = run_cli("report", "dhis2", "--register", root, "--month", "2026-10", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "TV_30_SOLUONG = 7000" in dry.stdout and "dryRun=true" in dry.stdout
    assert "chưa chốt số liệu" in dry.stdout
    assert not list(tmp_path.glob("*.adx"))
    as_json = run_cli("report", "dhis2", "--register", root, "--month", "2026-10", "--dry-run", "--json", env=env)
    sent = json.loads(as_json.stdout)
    assert sent["closed"] is False and {"org_unit", "data_element", "value"} <= set(sent["would_send"][0])
    register = unlock(tmp_path / "register", "admin", PASSPHRASE)
    closing.close_month(register, OCT)
    register.close()
    for fmt in ("adx", "json"):
        out = tmp_path / f"thang-10.{fmt}"
        wrote = run_cli("report", "dhis2", "--register", root, "--month", "2026-10", "--format", fmt, "--out",
                        str(out), env=env)
        assert wrote.returncode == 0, wrote.stderr
        assert "chưa chốt số liệu" not in wrote.stdout and str(out) in wrote.stdout
        assert_owner_only(out)
    SCHEMA.validate((tmp_path / "thang-10.adx").read_text(encoding="utf-8"))
    nothing = run_cli("report", "dhis2", "--register", root, "--month", "2026-10", env=env)
    assert nothing.returncode == 1 and "--out" in nothing.stderr


def test_cli_only_an_administrator_chooses_the_mapping(october, tmp_path):
    from app.store import users

    users.add_user(october, "lan", "Trần Thị Lan", "counsellor", PASSPHRASE)
    october.close()
    root, env = str(tmp_path / "register"), {"TUVAN_PASSPHRASE": PASSPHRASE}
    mine = tmp_path / "anh-xa.toml"
    mine.write_text('data_set = "DS_VN"\n[cells."30"]\nso_luong = { data_element = "LEAFLETS" }\n', encoding="utf-8")
    refused = run_cli("report", "dhis2-mapping", "--register", root, "--user", "lan", "--file", str(mine), env=env)
    assert refused.returncode != 0 and refused.stderr.strip()
    chosen = run_cli("report", "dhis2-mapping", "--register", root, "--file", str(mine), "--json", env=env)
    assert chosen.returncode == 0, chosen.stderr
    assert json.loads(chosen.stdout)["data_set"] == "DS_VN"
    dry = run_cli("report", "dhis2", "--register", root, "--month", "2026-10", "--dry-run", env=env)
    assert "LEAFLETS = 7000" in dry.stdout and "DS_VN" in dry.stdout
    back = run_cli("report", "dhis2-mapping", "--register", root, "--json", env=env)
    assert json.loads(back.stdout)["data_set"] == "TV_MONTHLY"
