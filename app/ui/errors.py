"""Showing errors: the one `show_error`, the rotating log file, and the last-resort excepthook."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.errors import CunyiError

log = logging.getLogger("cunyi")


def setup_logging(log_file: Path) -> None:
    """Log to a rotating file in the platform's log folder (1 MB x 5)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the user what went wrong. Expected errors show their Chinese message as it is;
    anything else is logged with its traceback and shown as a plain apology."""
    if isinstance(exc, CunyiError):
        log.info("shown to user: %s", exc)
        QMessageBox.warning(parent, QCoreApplication.translate("errors", "Cannot do that"), str(exc))
        return
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("errors", "Unexpected error"))
    box.setText(QCoreApplication.translate(
        "errors", "Something went wrong. Your data is safe; the last action was not saved."
    ))
    box.setDetailedText("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    box.exec()


def install_excepthook() -> None:
    """An uncaught exception in a slot shows a dialog instead of closing the app."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        show_error(None, exc.with_traceback(tb))

    sys.excepthook = hook
