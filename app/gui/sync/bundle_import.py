"""Import bundles (district) in three steps: choose files, see the dry run, import and read the result.

The dry run (merge.plan_import) verifies, decrypts and compares every file
on the worker and writes nothing. Import is refused while any file or
record is rejected. Importing plans each file again from the bytes that
were previewed, so what is applied is what was shown and the status
(new, already imported, fork) is current. A bundle number that comes back
with other contents is never imported silently: the first attempt records a
fork alarm; an administrator acknowledges it before the file is imported.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListView,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.progress import Progress
from app.core.i18n import _, ngettext
from app.core.roles import Permission
from app.gui.common.errors import show_error
from app.gui.common.session import Session
from app.gui.common.tables import RowsModel, table_view
from app.gui.sync.bundle_checks import (
    BLOCKING,
    IMPORTABLE,
    TO_DO,
    Checked,
    Outcome,
    acknowledge_and_import,
    check_files,
    import_checked,
    outcome_text,
    pair_text,
    status_colour,
    status_text,
)
from app.gui.sync.common import ALARM_COLOUR, GAP_COLOUR, OK_COLOUR, NumbersModel, fit_rows, imported_changes, \
    number, rule_text, run, start_folder, table_label
from app.store.records import SYNCED_TABLES
from app.sync import merge

# --- the dialog ---------------------------------------------------------------------------------


def _buttons(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    return row


class ImportWizard(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.checked: list[Checked] = []
        self.outcomes: list[Outcome] = []
        self.setWindowTitle(_("Import bundles"))
        self.resize(1040, 640)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._result_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    # --- step 1: files ---------------------------------------------------------------
    def _choose_page(self) -> QWidget:
        page = QWidget()
        explain = QLabel(_("Step 1 of 3. Choose the bundle files (.tvb) the points sent you. Several files at once "
                           "are fine, in any order. Nothing is written before step 3."))
        explain.setWordWrap(True)
        self.files = QListWidget()
        self.files.setObjectName("bundle_files")
        self.add_button = QPushButton(_("&Add files…"))
        self.remove_button = QPushButton(_("&Remove"))
        self.check_button = QPushButton(_("&Check files →"))
        self.check_button.setObjectName("check_bundles")
        self.check_button.setDefault(True)
        cancel = QPushButton(_("Cancel"))
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.files, 1)
        middle.addLayout(side)
        column = QVBoxLayout(page)
        column.addWidget(explain)
        column.addLayout(middle, 1)
        column.addLayout(_buttons(self.check_button, cancel))
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(lambda: self.files.takeItem(self.files.currentRow()))
        self.check_button.clicked.connect(self.check)
        cancel.clicked.connect(self.reject)
        return page

    def choose_files(self) -> None:
        paths, _chosen = QFileDialog.getOpenFileNames(self, _("Choose bundle files"), start_folder(),
                                                      _("Tư Vấn bundles (*.tvb);;All files (*)"))
        if paths:
            self.add_files(paths)
            self.check()

    def add_files(self, paths: list[str]) -> None:
        present = self.paths()
        for path in paths:
            if path not in present:
                self.files.addItem(path)

    def paths(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def check(self) -> None:
        paths = self.paths()
        if not paths:
            return
        self.check_button.setEnabled(False)
        counts = Progress()
        run(self, self.session, lambda register: check_files(register, paths, counts), self._checked,
            self._check_failed, progress_parent=self, label=_("Checking the bundles…"), counts=counts)

    def _check_failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        show_error(self, error)

    # --- step 2: dry run ------------------------------------------------------------
    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setObjectName("dry_run_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.files_model = RowsModel([
            (_("File"), lambda i: i.name),
            (_("Point"), lambda i: (i.plan.unit_name or i.plan.sender_code) if i.plan else ""),
            (_("Bundle"), lambda i: str(i.plan.seq) if i.plan else ""),
            (_("Changes"), lambda i: "{first}–{last}".format(**i.plan.header["changes"]) if i.plan else ""),
            (_("Status"), status_text),
        ], highlight=status_colour)
        self.files_view = table_view(self.files_model, "dry_run_files", stretch_column=4)
        fit_rows(self.files_view, 2)
        self.counts_model = NumbersModel([
            (_("Kind of record"), lambda r: r["label"]),
            (_("New"), lambda r: r["counts"].new),
            (_("Updated"), lambda r: r["counts"].updated),
            (_("Unchanged"), lambda r: r["counts"].unchanged),
            (_("Rejected"), lambda r: r["counts"].rejected),
        ], highlight=lambda r: ALARM_COLOUR if r["counts"].rejected else None, bold=lambda r: r.get("total", False))
        self.counts_view = table_view(self.counts_model, "dry_run_counts", stretch_column=0)
        self.problems = QListWidget()
        self.problems.setObjectName("dry_run_problems")
        self.duplicates = QListWidget()
        self.duplicates.setObjectName("dry_run_duplicates")
        for listing in (self.problems, self.duplicates):  # long lines wrap instead of hiding their end
            listing.setWordWrap(True)
            listing.setResizeMode(QListView.ResizeMode.Adjust)
        self.back_button = QPushButton(_("← &Back"))
        self.import_button = QPushButton(_("&Import"))
        self.import_button.setObjectName("import_bundles_button")
        self.import_button.setDefault(True)
        cancel = QPushButton(_("Cancel"))

        lists = QVBoxLayout()
        self.problems_title = QLabel(_("Problems"))
        lists.addWidget(self.problems_title)
        lists.addWidget(self.problems, 1)
        self.duplicates_title = QLabel(_("Possible same persons at another point"))
        lists.addWidget(self.duplicates_title)
        lists.addWidget(self.duplicates, 2)
        details = QHBoxLayout()
        details.addWidget(self.counts_view, 1)
        details.addLayout(lists, 1)
        column = QVBoxLayout(page)
        column.addWidget(QLabel(_("Step 2 of 3. What would change (dry run; nothing has been written yet).")))
        column.addWidget(self.files_view)
        column.addWidget(self.summary)
        column.addLayout(details, 1)
        column.addLayout(_buttons(self.back_button, self.import_button, cancel))
        self.files_view.selectionModel().currentRowChanged.connect(lambda current, _old: self._details(current.row()))
        self.back_button.clicked.connect(lambda: self._go(0))
        self.import_button.clicked.connect(self.import_files)
        cancel.clicked.connect(self.reject)
        return page

    def _checked(self, checked: list[Checked]) -> None:
        self.check_button.setEnabled(True)
        self.checked = checked
        self.files_model.set_rows(checked)
        fit_rows(self.files_view, len(checked), most=6)
        blocked = [i for i in checked if i.status in BLOCKING]
        todo = [i for i in checked if i.status in TO_DO]
        self.import_button.setEnabled(bool(todo) and not blocked)
        self.summary.setText(self._summary(blocked, todo))
        self.summary.setStyleSheet(f"color: {ALARM_COLOUR};" if blocked else "")
        self._go(1)
        self.files_view.selectRow(0)
        self._details(0)

    @staticmethod
    def _summary(blocked: list[Checked], todo: list[Checked]) -> str:
        if blocked:
            return _("Import is not possible while a file is refused. Go back and remove the file, "
                     "or ask the point to export its data again.")
        if not todo:
            return _("Every bundle here was already imported: nothing would change.")
        importable = [i.plan.totals() for i in todo if i.status in IMPORTABLE]
        parts = []
        if importable:
            parts.append(_("{files} bundles to import: {new} new records, {updated} updated, {unchanged} unchanged. "
                           "Nothing is written until you press Import.").format(
                files=len(importable), new=number(sum(t.new for t in importable)),
                updated=number(sum(t.updated for t in importable)),
                unchanged=number(sum(t.unchanged for t in importable))))
        held = sum(t.rejected for t in importable)
        if held:
            parts.append(ngettext("{n} record breaks a rule: it will be held back, the others imported, and the "
                                  "receipt will tell the point.",
                                  "{n} records break a rule: they will be held back, the others imported, and the "
                                  "receipt will tell the point.", held).format(n=number(held)))
        forks = len(todo) - len(importable)
        if forks:
            parts.append(ngettext("{n} bundle will not be imported: pressing Import records a fork alarm for it.",
                                  "{n} bundles will not be imported: pressing Import records a fork alarm for them.",
                                  forks).format(n=forks))
        return " ".join(parts)

    def _details(self, row: int) -> None:
        item = self.checked[row] if 0 <= row < len(self.checked) else None
        plan = item.plan if item else None
        rows = []
        if plan is not None and not item.duplicate_of:
            order = {table: index for index, table in enumerate(SYNCED_TABLES)}  # the domain's order: staff, clients…
            rows = [{"label": table_label(t), "counts": c}
                    for t, c in sorted(plan.counts.items(), key=lambda tc: (order.get(tc[0], 99), tc[0]))]
            rows.append({"label": _("Total"), "counts": plan.totals(), "total": True})
        self.counts_model.set_rows(rows)
        self.problems.clear()
        problems = [item.error] if item and item.error else [
            f"{table_label(r.table)}: {rule_text(r)}" for r in (plan.refused[:merge.REJECTED_SHOWN] if plan else [])]
        for problem in problems:
            entry = QListWidgetItem(problem)
            entry.setForeground(QColor(ALARM_COLOUR))
            self.problems.addItem(entry)
        self.problems_title.setText(_("Problems: {n}").format(n=len(problems)))
        self.duplicates.clear()
        for pair in plan.duplicates if plan and not item.duplicate_of else []:
            self.duplicates.addItem(pair_text(pair))
        self.duplicates_title.setText(_("Possible same persons at another point: {n} (review them on the "
                                        "Possible same persons tab after importing)").format(n=self.duplicates.count()))

    # --- step 3: import -------------------------------------------------------------
    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_summary = QLabel()
        self.result_summary.setObjectName("import_result_summary")
        self.result_summary.setWordWrap(True)
        self.results = QListWidget()
        self.results.setObjectName("import_results")
        self.results.setWordWrap(True)
        self.results.setSpacing(3)
        self.acknowledge_button = QPushButton(_("&Acknowledge the alarm and import…"))
        self.acknowledge_button.setObjectName("acknowledge_and_import")
        self.acknowledge_button.hide()
        self.more_button = QPushButton(_("Import &more files"))
        close = QPushButton(_("&Close"))
        close.setDefault(True)
        column = QVBoxLayout(page)
        column.addWidget(QLabel(_("Step 3 of 3. Result")))
        column.addWidget(self.result_summary)
        column.addWidget(self.results, 1)
        column.addLayout(_buttons(self.acknowledge_button, self.more_button, close))
        self.acknowledge_button.clicked.connect(self.acknowledge_forks)
        self.more_button.clicked.connect(self._restart)
        close.clicked.connect(self.accept)
        return page

    def import_files(self) -> None:
        items = list(self.checked)
        self.import_button.setEnabled(False)
        self.back_button.setEnabled(False)
        counts = Progress(noun=_("records"))
        run(self, self.session, lambda register: import_checked(register, items, counts), self._imported,
            self._import_failed, progress_parent=self, label=_("Importing the bundles…"), counts=counts)

    def _import_failed(self, error: BaseException) -> None:
        self.back_button.setEnabled(True)
        self.import_button.setEnabled(True)
        show_error(self, error)

    def _imported(self, outcomes: list[Outcome]) -> None:
        self.back_button.setEnabled(True)
        # After "acknowledge and import" the new outcomes replace those of the same files.
        self.outcomes = [o for o in self.outcomes if all(n.item is not o.item for n in outcomes)] + outcomes
        self.results.clear()
        colours = {"imported": OK_COLOUR, "fork_alarm": ALARM_COLOUR, "failed": ALARM_COLOUR, "cancelled": GAP_COLOUR}
        for outcome in self.outcomes:
            entry = QListWidgetItem(outcome_text(outcome))
            if outcome.kind in colours:
                entry.setForeground(QColor(colours[outcome.kind]))
            self.results.addItem(entry)
        count = {kind: sum(1 for o in self.outcomes if o.kind == kind)
                 for kind in ("imported", "already_imported", "fork_alarm", "failed", "cancelled")}
        summary = _("{imported} bundles imported, {already} already imported, {alarms} fork alarms, {failed} not "
                    "imported.").format(imported=count["imported"], already=count["already_imported"],
                                        alarms=count["fork_alarm"], failed=count["failed"] + count["cancelled"])
        if count["cancelled"]:
            summary += " " + _("You cancelled: {n} bundles were left as they were.").format(n=count["cancelled"])
        self.result_summary.setText(summary)
        forks = count["fork_alarm"] > 0
        self.acknowledge_button.setVisible(forks and self.session.can(Permission.MANAGE_SETTINGS))
        self._go(2)
        tables = set().union(*(o.tables for o in outcomes)) if outcomes else set()
        change = {"sync": {"imported": count["imported"], "alarms": forks}}
        if tables:
            change["records"] = imported_changes(tables)
        self.session.publish(change)

    def acknowledge_forks(self) -> None:
        items = [o.item for o in self.outcomes if o.kind == "fork_alarm"]
        names = ", ".join(_("bundle {seq} from {point}").format(seq=i.plan.seq, point=i.plan.sender_code)
                          for i in items)
        answer = QMessageBox.question(
            self, _("Acknowledge the fork alarm"),
            _("Import {bundles} although a bundle with the same number but other contents was imported before?\n\n"
              "Do this only after the point confirmed why (for example, it restored an old backup). If nobody at "
              "the point made this file, its key may have been copied: do not import it.").format(bundles=names),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.acknowledge_button.setEnabled(False)
        run(self, self.session, lambda register: acknowledge_and_import(register, items), self._acknowledged,
            self._import_failed, progress_parent=self, label=_("Importing the bundles…"))

    def _acknowledged(self, outcomes: list[Outcome]) -> None:
        self.acknowledge_button.setEnabled(True)
        self._imported(outcomes)

    def _restart(self) -> None:
        self.files.clear()
        self.checked, self.outcomes = [], []
        self._go(0)
        self.choose_files()

    def _go(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        focus = (self.add_button if not self.files.count() else self.check_button, self.import_button
                 if self.import_button.isEnabled() else self.back_button, self.results)[page]
        focus.setFocus()
