"""The mouse wheel scrolls the form; it changes a combo or spin box only when that box has focus.

One application-wide event filter, so every combo and spin box gets it, including those made
later, without a special widget class. Without it, scrolling a long form over a dropdown changes
the value under the pointer (a resident's 残疾等级 became 一级 while the doctor scrolled).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    """Turns away wheel events from unfocused combo and spin boxes so their parent scrolls."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, GUARDED):
            # The wheel must not hand out focus (Qt.WheelFocus), or the first turn would focus
            # the box and the next ones would change it.
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and isinstance(watched, GUARDED) and not _focused(watched):
            event.ignore()      # not taken: Qt passes it on to the scroll area around the box
            return True
        return False


def _focused(box: QWidget) -> bool:
    """The box, or its own line edit, has the keyboard focus."""
    focus = QApplication.focusWidget()
    return focus is not None and (focus is box or box.isAncestorOf(focus))


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install the guard on the application once; return the installed guard."""
    existing = app.findChild(WheelGuard)
    if isinstance(existing, WheelGuard):
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard
