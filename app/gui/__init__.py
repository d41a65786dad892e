"""PySide6 user interface, one sub-package per screen a user sees (today, clients, activities,
groups, reports, sync, settings), the shell around them and `common` for what screens share.

One worker thread owns the register (common.tasks); widgets never run SQL. A screen package imports
only app.gui.common and the headless layers; only the shell imports the screens
(tests/unit/test_headless_layers.py checks both)."""
