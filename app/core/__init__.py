"""Pure-Python domain layer. Never imports PySide6 or app.gui."""
