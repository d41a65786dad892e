"""The province reference of `make bench`, small: its build, import and office form are right.

Four points at a tenth of the province's size per point go through real bundles into one office;
the office's column for each point equals the form the point printed itself, counts add up to the
total (people need not: one person may be served by two points), and importing the same bundles
again adds nothing, on a register file and on PostgreSQL. No timing here: `tests/bench/run.py
province` and `province-pg` measure the full size.
"""

from __future__ import annotations

import json

from app.reports.engine import compute_district
from app.reports.form_file import default_form
from app.reports.metrics import PEOPLE, REGISTRY
from app.sync import merge
from tests.bench import province

SIZES = {"clients": 15, "contacts": 300, "referrals": 20, "years": 2, "outreach": 12}


def test_the_province_reference_counts_every_point_as_the_point_itself(tmp_path, office_engine):
    folder = province.build(tmp_path / "cache", 4, SIZES, log=lambda _line: None)
    if office_engine is None:
        office, records, _seconds = province.import_all(folder, tmp_path / "work")
    else:  # the same keys and pins in an office on the server (as tests/bench/run.py province-pg)
        from tests.bench import province_pg

        office = province_pg.office_on_server(office_engine, folder / "office", tmp_path / "work", "reference")
        records, _seconds = province_pg.import_bundles(office, folder)
    try:
        assert records >= 4 * (15 + 300 + 20)
        forms = json.loads((folder / "forms.json").read_text(encoding="utf-8"))
        result = compute_district(office.conn, default_form(), province.MONTH)
        assert sorted(result.by_point) == sorted(forms)
        for code, values in forms.items():
            assert result.by_point[code] == values, code
        for row in default_form().rows():
            for column, cell in row.cells.items():
                points = [forms[code][row.code][column] for code in forms]
                total = result.value(row.code, column)
                if REGISTRY[cell.metric].value == PEOPLE:
                    assert max(points) <= total <= sum(points), (row.code, column)
                else:
                    assert total == sum(points), (row.code, column)
        assert any(result.value(row.code, "so_luong") for row in default_form().rows()), "the month is empty"
        for path in sorted((folder / "bundles").glob("*.tvb")):
            plan = merge.plan_import(office, path, path.name)
            assert plan.totals().new == 0, path.name
    finally:
        office.close()
