"""The program around the screens: start-up (launch), unlock and first-run setup, the main window
with its navigation and help, idle lock, the recovery key box, and the controller that opens a
register and builds the screens.

The composition root: the only package that may import every screen package (and common)."""
