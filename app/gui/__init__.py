"""PySide6 user interface: one worker thread owns the register; widgets never run SQL."""
