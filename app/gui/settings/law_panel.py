"""Settings → Legal terms: the terms the register applies by date, with their legal basis; an
administrator chooses another law file or goes back to the program's own (app/core/law.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.core.i18n import _
from app.core.law import LawFile, LawFileError, describe
from app.core.paths import resources
from app.core.roles import Permission
from app.core.toml_files import toml_problem
from app.core.vocab import LEGAL_STATUSES
from app.gui.common.errors import message_for
from app.gui.common.session import Session
from app.gui.common.widgets import error_label, set_error
from app.store import law_terms


def _choose(register, path: Path | None) -> tuple[LawFile, str]:
    """On the worker: read the file (None: the program's own) and make it the register's."""
    if path is None:
        return law_terms.choose(register, "", "terms.toml"), ""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise LawFileError(file=path.name, where=_("file"), reason=toml_problem(error)) from None
    return law_terms.choose(register, text, path.name), text


class LawPanel(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        intro = QLabel(_("Terms the law sets, by the date a registration or a management begins. A record keeps "
                         "the rule of the day it began. The program's own file follows Law 120/2025/QH15; an "
                         "administrator can choose another file when the law changes."))
        intro.setWordWrap(True)
        self.rules = QPlainTextEdit()
        self.rules.setObjectName("law_rules")
        self.rules.setReadOnly(True)
        self.choose_button = QPushButton(_("Choose a &law file…"))
        self.choose_button.setObjectName("law_choose")
        self.own_button = QPushButton(_("Use the program's &own terms"))
        self.own_button.setObjectName("law_own")
        self.message = QLabel()
        self.message.setObjectName("law_message")
        self.message.setWordWrap(True)
        self.error = error_label()
        admin = session.can(Permission.MANAGE_SETTINGS)
        for button in (self.choose_button, self.own_button):
            button.setVisible(admin)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.own_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.rules, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        self.choose_button.clicked.connect(self.choose)
        self.own_button.clicked.connect(lambda: self._apply(None))
        self.show_law(session.info.lookups.law)

    def show_law(self, law: LawFile) -> None:
        self.rules.setPlainText("\n".join(describe(law, LEGAL_STATUSES.label)))

    def choose(self) -> None:
        path, _chosen = QFileDialog.getOpenFileName(self, _("Choose the law file"), str(resources() / "law"),
                                                    _("Law files (*.toml)"))
        if path:
            self._apply(Path(path))

    def _apply(self, path: Path | None) -> None:
        set_error(self.error, None)
        self.message.setText("")

        def done(chosen: tuple[LawFile, str]) -> None:
            law, text = chosen
            self.show_law(law)
            self.message.setText(_("From now on the register applies these terms.") if path else
                                 _("The register applies the program's own terms again."))
            self.session.publish({"settings": {"law_file": text}})  # the forms reload the terms

        self.session.run(lambda register: _choose(register, path), done,
                         lambda error: set_error(self.error, message_for(error)),
                         progress_parent=self, label=_("Checking the law file…"))
