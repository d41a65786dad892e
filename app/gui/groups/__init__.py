"""The Groups screen: self-help groups, their members and meetings with attendance.

Imports app.gui.common and the headless layers only."""
