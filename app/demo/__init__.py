"""Demo data: a point register filled with a year (or more) of made-up but realistic work.

people.py, activities.py and community.py plan it as pure functions of a seed; data.py holds
the Vietnamese names and places they draw from; writer.py writes the plan through the
repositories. It may import app.core and app.store, never app.gui or PySide6; nothing in
core, store, sync or reports imports it (the CLI and the GUI do).
"""
