"""The Reports screen: the monthly form (numbers, drill-down, preview, PDF/XLSX/CSV), closing a month
and its amendments, and the office's view per point.

Imports app.gui.common and the headless layers only."""
