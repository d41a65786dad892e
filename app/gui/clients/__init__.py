"""The Clients screen: the list and search, a client's file, the client form, the small dialogs of
the file (contact, referral, outcome, treatment, closing) and the spreadsheet import.

Imports app.gui.common and the headless layers only."""
