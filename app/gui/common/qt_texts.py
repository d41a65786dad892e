"""Qt's own words in the program's language: Yes and No in every question, the right-click menu of
every text field, the print preview's buttons, and (where the system has no file dialog of its own)
the file dialog. Qt ships no Vietnamese translation, so the texts Qt asks for go through our
catalog: each (Qt class, English text) pair below is a message of tuvan.po like any other.

Key names (Ctrl, Shift …) are left as printed on the keyboard."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from app.core.i18n import N_, Translatable, _

_LINE_MENU = {"&Undo": N_("&Undo"), "&Redo": N_("&Redo"), "Cu&t": N_("Cu&t"), "&Copy": N_("&Copy"),
              "&Paste": N_("&Paste"), "Delete": N_("Delete"), "Select All": N_("Select All")}

_PAGES_TIP = N_("Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a "
              "hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.")

QT_TEXTS: dict[str, dict[str, Translatable]] = {
    "QPlatformTheme": {"&Yes": N_("&Yes"), "&No": N_("&No"), "OK": N_("OK"), "Cancel": N_("Cancel"),
                       "Close": N_("Close"), "Open": N_("Open"), "Save": N_("Save"), "Apply": N_("Apply"),
                       "Reset": N_("Reset"), "Help": N_("Help"), "Discard": N_("Discard"),
                       "Yes to &All": N_("Yes to &All"), "N&o to All": N_("N&o to All"),
                       "Save All": N_("Save All"), "Abort": N_("Abort"), "Retry": N_("Retry"),
                       "Ignore": N_("Ignore"), "Restore Defaults": N_("Restore Defaults")},
    "QLineEdit": _LINE_MENU,
    "QWidgetTextControl": {**_LINE_MENU, "Copy &Link Location": N_("Copy &Link Location")},
    "QPrintPreviewDialog": {
        "Print Preview": N_("Print Preview"), "Next page": N_("Next page"), "Previous page": N_("Previous page"),
        "First page": N_("First page"), "Last page": N_("Last page"), "Fit width": N_("Fit width"),
        "Fit page": N_("Fit page"), "Zoom in": N_("Zoom in"), "Zoom out": N_("Zoom out"),
        "Portrait": N_("Portrait"), "Landscape": N_("Landscape"), "Show single page": N_("Show single page"),
        "Show facing pages": N_("Show facing pages"), "Show overview of all pages": N_("Show overview of all pages"),
        "Print": N_("Print"), "Page setup": N_("Page setup"), "Export to PDF": N_("Export to PDF")},
    "QPrintDialog": {"Print": N_("Print"), "&Print": N_("&Print"), "&Options >>": N_("&Options >>"),
                     "&Options <<": N_("&Options <<"), "All Pages": N_("All Pages"), "Odd Pages": N_("Odd Pages"),
                     "Even Pages": N_("Even Pages"), "Local file": N_("Local file"),
                     "Write PDF file": N_("Write PDF file"), "Print to File (PDF)": N_("Print to File (PDF)")},
    "QPrintSettingsOutput": {
        "Copies": N_("Copies"), "Copies:": N_("Copies:"), "Collate": N_("Collate"), "Reverse": N_("Reverse"),
        "Options": N_("Options"), "Color Mode": N_("Color Mode"), "Color": N_("Color"),
        "Grayscale": N_("Grayscale"), "Duplex Printing": N_("Duplex Printing"),
        "Double Sided Printing": N_("Double Sided Printing"), "Off": N_("Off"),
        "Long side binding": N_("Long side binding"), "Short side binding": N_("Short side binding"),
        "Print range": N_("Print range"), "Print all": N_("Print all"), "Pages from": N_("Pages from"),
        "to": N_("to"), "Pages": N_("Pages"), "Current Page": N_("Current Page"), "Selection": N_("Selection"),
        "Page &Set:": N_("Page &Set:"), "Output Settings": N_("Output Settings"),
        _PAGES_TIP: _PAGES_TIP},
    "QPrintWidget": {"Printer": N_("Printer"), "&Name:": N_("&Name:"), "P&roperties": N_("P&roperties"),
                     "Location:": N_("Location:"), "Preview": N_("Preview"), "Type:": N_("Type:"),
                     "Output &file:": N_("Output &file:")},
    "QFileDialog": {
        "&Look in:": N_("&Look in:"), "File &name:": N_("File &name:"), "Files of &type:": N_("Files of &type:"),
        "&Open": N_("&Open"), "&Save": N_("&Save"), "Open": N_("Open"), "Save As": N_("Save As"),
        "&Choose": N_("&Choose"), "Find Directory": N_("Find Directory"), "Directory:": N_("Directory:"),
        "Back": N_("Back"), "Forward": N_("Forward"), "Parent Directory": N_("Parent Directory"),
        "Go back": N_("Go back"), "Go forward": N_("Go forward"),
        "Go to the parent directory": N_("Go to the parent directory"),
        "Create New Folder": N_("Create New Folder"), "Create a New Folder": N_("Create a New Folder"),
        "&New Folder": N_("&New Folder"), "New Folder": N_("New Folder"), "&Rename": N_("&Rename"),
        "&Delete": N_("&Delete"), "Show &hidden files": N_("Show &hidden files"), "List View": N_("List View"),
        "Detail View": N_("Detail View"), "Change to list view mode": N_("Change to list view mode"),
        "Change to detail view mode": N_("Change to detail view mode"), "Sidebar": N_("Sidebar"),
        "List of places and bookmarks": N_("List of places and bookmarks"), "Files": N_("Files"),
        "All Files (*)": N_("All Files (*)"), "Recent Places": N_("Recent Places"), "My Computer": N_("My Computer")},
    "QFileSystemModel": {"Name": N_("Name"), "Size": N_("Size"), "Type": N_("Type"),
                         "Date Modified": N_("Date Modified"), "Computer": N_("Computer"), "My Computer": N_("My Computer")},
    "QAbstractFileIconProvider": {"Drive": N_("Drive"), "Folder": N_("Folder"), "File": N_("File")},
    "QTabBar": {"Scroll Left": N_("Scroll Left"), "Scroll Right": N_("Scroll Right")},
}


class QtTexts(QTranslator):
    """Answers Qt's requests for a translation from our catalog, in the language chosen now."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1):  # noqa: ARG002
        message = QT_TEXTS.get(context, {}).get(source)
        return _(message) if message is not None else None


def install(app) -> None:
    """Once per application; the translator is kept on the application so that it stays alive."""
    if getattr(app, "_qt_texts", None) is None:
        app._qt_texts = QtTexts(app)
        app.installTranslator(app._qt_texts)
