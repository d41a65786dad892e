"""Printed and exported output: form files and their metrics, the counting engine (its statements in
sources.py), the monthly report, closing a month, the drill-down, PDF/XLSX/CSV/JSON, the recovery
sheet and the data-subject export.

Imports app.core and app.store; never app.sync, app.demo or Qt."""
