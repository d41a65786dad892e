"""The Activities screen: counselling contacts (individual and group) and outreach work.

Imports app.gui.common and the headless layers only."""
