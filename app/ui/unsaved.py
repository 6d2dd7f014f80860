"""Asking before typed edits are thrown away: a form's 取消 or close, or leaving a page.

A form is "edited" when what its inputs hold differs from what they held when it was loaded;
typing a value and then restoring it is no edit. The inputs are read generically (line edits,
combo and spin boxes, check boxes, text boxes, table cells), so every form gets it alike.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QWidget,
)


def form_state(*roots: QWidget) -> list[object]:
    """What every input under `roots` holds, in a fixed order, to compare with a later state."""
    values: list[object] = []
    for root in roots:
        for w in (root, *root.findChildren(QWidget)):
            if isinstance(w, QLineEdit):
                values.append(w.text())
            elif isinstance(w, QComboBox):
                values.append((w.currentIndex(), w.currentText()))
            elif isinstance(w, QAbstractSpinBox):
                values.append(w.text())
            elif isinstance(w, (QAbstractButton, QGroupBox)) and w.isCheckable():
                values.append(w.isChecked())
            elif isinstance(w, (QPlainTextEdit, QTextEdit)):
                values.append(w.toPlainText())
            elif isinstance(w, QTableWidget):
                values.append([(item.text() if (item := w.item(r, c)) else "")
                               for r in range(w.rowCount()) for c in range(w.columnCount())])
            elif isinstance(w, QListWidget):
                values.append([w.item(r).checkState() for r in range(w.count())])
    return values


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


class Answer(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_discard(parent: QWidget) -> bool:
    """放弃修改？ True when the doctor chooses to throw the edits away."""
    box = QMessageBox(QMessageBox.Icon.Question, translate("unsaved", "Discard changes?"),
                      translate("unsaved", "What you typed in this form has not been saved. Discard it?"),
                      parent=parent)
    discard = box.addButton(translate("unsaved", "Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(translate("unsaved", "Keep editing"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.exec()
    return box.clickedButton() is discard


def ask_save(parent: QWidget) -> Answer:
    """保存 / 放弃 / 取消 for edits on a page that is being left."""
    box = QMessageBox(QMessageBox.Icon.Question, translate("unsaved", "Save changes?"),
                      translate("unsaved", "This resident's file has changes that are not saved."),
                      parent=parent)
    save = box.addButton(translate("unsaved", "Save"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(translate("unsaved", "Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(translate("unsaved", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return Answer.SAVE if clicked is save else Answer.DISCARD if clicked is discard else Answer.CANCEL


class UnsavedGuard:
    """Remembers a form's inputs when loaded; `may_close()` asks before edits are dropped."""

    def __init__(self, owner: QWidget, *roots: QWidget, inputs: bool = True) -> None:
        """`inputs=False`: only `touch()` marks an edit (a form that grows fields as it works)."""
        self.owner = owner
        self.roots: tuple[QWidget, ...] = (roots or (owner,)) if inputs else ()
        self.touched = False           # an edit the inputs cannot show (e.g. a decision panel)
        self._clean = form_state(*self.roots)

    def mark_clean(self, *roots: QWidget) -> None:
        """The form now holds what is stored (just loaded, or just saved)."""
        if roots:
            self.roots = roots
        self.touched = False
        self._clean = form_state(*self.roots)

    def touch(self) -> None:
        self.touched = True

    @property
    def dirty(self) -> bool:
        return self.touched or form_state(*self.roots) != self._clean

    def may_close(self) -> bool:
        """True when nothing was edited or the doctor agrees to discard the edits."""
        return not self.dirty or ask_discard(self.owner)
