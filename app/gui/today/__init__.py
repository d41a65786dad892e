"""The Today screen: follow-ups due and overdue, referrals waiting for an outcome, terms ending.

Imports app.gui.common and the headless layers only."""
