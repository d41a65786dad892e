"""A month's form figures for DHIS2's aggregate import: ADX (XML) or a dataValueSets JSON file,
carried to a connected computer and imported there with dryRun=true first (docs/dhis2.md).

Made from the same `MonthlyReport` as the PDF, so DHIS2 gets the numbers the form prints (a
closed month's frozen ones). A point sends its own figures; an office sends each point's figures
under that point's organisation unit, and DHIS2 adds them up its hierarchy (an office's own
total, where a person served by two points counts once, is not a sum DHIS2 could check).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from xml.etree import ElementTree

from app.core.i18n import _, ngettext
from app.reports.dhis2_mapping import Dhis2Mapping, Target
from app.reports.monthly import MonthlyReport

ADX_NS = "urn:ihe:qrph:adx:2015"
ADX_CONTENT_TYPE = "application/adx+xml"


@dataclass(frozen=True)
class DataValue:
    unit: str          # the register's unit code
    org_unit: str      # its DHIS2 code
    target: Target
    value: int


@dataclass(frozen=True)
class Dhis2Export:
    month_code: str            # YYYY-MM
    data_set: str
    closed: bool
    values: tuple[DataValue, ...]
    unmapped: int              # form cells with a number that the mapping does not send

    @property
    def period(self) -> str:
        """DHIS2's monthly period, yyyyMM."""
        return self.month_code.replace("-", "")

    @property
    def adx_period(self) -> str:
        """ADX names a period by its first day and duration."""
        return f"{self.month_code}-01/P1M"


def dhis2_export(report: MonthlyReport, mapping: Dhis2Mapping) -> Dhis2Export:
    """The values the mapping sends: every mapped cell that has a number, unit by unit."""
    result = report.result
    per_unit = result.by_point if report.district else {report.unit.code: result.values}
    values, mapped = [], {(t.row, t.column) for t in mapping.targets}
    for unit in sorted(per_unit):
        numbers = per_unit[unit]
        for target in mapping.targets:
            value = numbers.get(target.row, {}).get(target.column)
            if value is not None:
                values.append(DataValue(unit, mapping.org_unit(unit), target, int(value)))
    unmapped = sum(1 for row in report.form.rows() for column in row.cells if (row.code, column) not in mapped)
    return Dhis2Export(report.month.code, mapping.data_set, report.closure is not None, tuple(values), unmapped)


def to_adx(export: Dhis2Export, exported: datetime | None = None) -> bytes:
    """One <group> per organisation unit; a value's disaggregation as category attributes."""
    stamp = (exported or datetime.now(timezone.utc)).replace(microsecond=0).isoformat()
    root = ElementTree.Element(f"{{{ADX_NS}}}adx", {"exported": stamp})
    groups: dict[str, ElementTree.Element] = {}
    for value in export.values:
        group = groups.get(value.org_unit)
        if group is None:
            group = groups[value.org_unit] = ElementTree.SubElement(root, f"{{{ADX_NS}}}group", {
                "orgUnit": value.org_unit, "period": export.adx_period, "dataSet": export.data_set})
        ElementTree.SubElement(group, f"{{{ADX_NS}}}dataValue", {
            "dataElement": value.target.data_element, **dict(value.target.categories), "value": str(value.value)})
    ElementTree.register_namespace("", ADX_NS)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def to_json(export: Dhis2Export) -> bytes:
    """DHIS2's dataValueSets JSON, identified by codes; keys in a fixed order."""
    values = []
    for value in export.values:
        item = {"dataElement": value.target.data_element, "period": export.period, "orgUnit": value.org_unit}
        if value.target.category_option_combo:
            item["categoryOptionCombo"] = value.target.category_option_combo
        item["value"] = str(value.value)
        values.append(item)
    data = {"dataSet": export.data_set, "period": export.period, "idScheme": "CODE",
            "dataElementIdScheme": "CODE", "orgUnitIdScheme": "CODE", "dataValues": values}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def import_hint(fmt: str) -> str:
    """What to send the file to on the connected computer, dry run first."""
    kind = ADX_CONTENT_TYPE if fmt == "adx" else "application/json"
    return (f"POST /api/dataValueSets?dryRun=true&idScheme=CODE&dataElementIdScheme=CODE&orgUnitIdScheme=CODE"
            f"  (Content-Type: {kind})")


def summary_head(export: Dhis2Export) -> list[str]:
    """How much would be sent, and what to mind before sending it."""
    units = {v.org_unit for v in export.values}
    lines = [ngettext("DHIS2, data set {data_set}, period {period}: {n} values for {units} organisation unit.",
                      "DHIS2, data set {data_set}, period {period}: {n} values for {units} organisation units.",
                      len(units)).format(data_set=export.data_set, period=export.period, n=len(export.values),
                                         units=len(units))]
    if not export.closed:
        lines.append(_("The month is not closed: its numbers may still change. Close it before sending."))
    if export.unmapped:
        lines.append(_("{n} cells of the form are not in the mapping and are not sent.").format(n=export.unmapped))
    return lines


def summary(export: Dhis2Export, fmt: str, column_labels: dict[str, str]) -> list[str]:
    """The dry run: what would be sent, unit by unit and value by value, and how to import it.
    One pass: `dhis2_export` already orders the values unit by unit (an office has 300 points)."""
    lines, unit = summary_head(export), None
    heading = _("{unit} → organisation unit {org_unit}:")
    line = _("  {data_element}{disaggregation} = {value}   (row {row}, {column})")
    for value in export.values:
        if value.unit != unit:
            unit = value.unit
            lines.append(heading.format(unit=unit, org_unit=value.org_unit))
        said = f" [{value.target.disaggregation}]" if value.target.categories else ""
        lines.append(line.format(data_element=value.target.data_element, disaggregation=said, value=value.value,
                                 row=value.target.row, column=column_labels.get(value.target.column, value.target.column)))
    lines.append(import_line(fmt))
    return lines


def import_line(fmt: str) -> str:
    return _("On the computer connected to DHIS2, import it with a dry run first: {hint}").format(
        hint=import_hint(fmt))
