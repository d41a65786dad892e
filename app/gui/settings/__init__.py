"""The Settings screen and its panels: language, users, staff, catalogs, backups (with the schedule
and restore), the recovery key escrow and changing the passphrase.

Imports app.gui.common and the headless layers only."""
