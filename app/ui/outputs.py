"""Saving a file the doctor chose in a save dialog: never onto the clinic's own files, never half."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.core.errors import CunyiError
from app.core.outputs import ProtectedPlaces
from app.storage.outputs import check_output, write_atomically
from app.ui.errors import show_error


def chosen_output(parent: QWidget | None, path: str | Path,
                  places: ProtectedPlaces | None) -> Path | None:
    """The checked path, or None after showing why it cannot be used.

    The save dialog has already asked before replacing an existing file (QFileDialog confirms
    overwriting unless told not to), so an existing file may be replaced here.
    """
    try:
        return check_output(path, places, force=True)
    except CunyiError as exc:
        show_error(parent, exc)
        return None


def save_output(parent: QWidget | None, path: str | Path, places: ProtectedPlaces | None,
                write: Callable[[Path], object]) -> Path | None:
    """Check the chosen path, then write it through a temporary file; None after showing an error."""
    out = chosen_output(parent, path, places)
    if out is None:
        return None
    try:
        return write_atomically(out, write)
    except CunyiError as exc:
        show_error(parent, exc)
    except OSError as exc:
        text = QCoreApplication.translate("outputs", "Could not save %1: %2")
        show_error(parent, CunyiError(text.replace("%1", str(out)).replace("%2", exc.strerror or str(exc))))
    return None
