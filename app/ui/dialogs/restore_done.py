"""Saying that a restore worked: which backup is now the data, and where the replaced data went."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.storage.backup import backup_info

translate = QCoreApplication.translate


def backup_label(path: Path | None) -> str:
    """A backup as a doctor knows it: `2026-03-01 08:15 (daily)`, else its file name."""
    if path is None:
        return translate("RestoreDone", "the backup")
    info = backup_info(path)
    if info is None:
        return Path(path).name
    kinds = {
        "manual": translate("RestoreDone", "made by hand"),
        "daily": translate("RestoreDone", "daily"),
        "start": translate("RestoreDone", "on start"),
        "before_restore": translate("RestoreDone", "before a restore"),
    }
    made = info.created.astimezone().strftime("%Y-%m-%d %H:%M")
    return translate("RestoreDone", "%1 (%2)").replace("%1", made) \
        .replace("%2", kinds.get(info.reason, info.reason))


def restore_done_text(backup: Path | None, safety: Path | None) -> str:
    """The message after a successful restore: and where the data from before it went."""
    if safety is None:
        return translate("RestoreDone", "Restore finished: the data is now the backup of %1.") \
            .replace("%1", backup_label(backup))
    if backup_info(safety) is None:        # an unusable database moved aside, not a backup
        return translate(
            "RestoreDone",
            "Restore finished: the data is now the backup of %1.\n"
            "The database that could not be used was not deleted; it was moved to %2.",
        ).replace("%1", backup_label(backup)).replace("%2", str(safety))
    return translate(
        "RestoreDone",
        "Restore finished: the data is now the backup of %1.\n"
        "The data from before the restore was not deleted; it was saved as %2 and is listed "
        "among the backups as 'before a restore'.",
    ).replace("%1", backup_label(backup)).replace("%2", str(safety))


def show_restore_done(parent: QWidget | None, backup: Path | None, safety: Path | None) -> QMessageBox:
    """A message box (not blocking) that says the restore worked; returned so it can be read."""
    box = QMessageBox(QMessageBox.Icon.Information, translate("RestoreDone", "Backup restored"),
                      restore_done_text(backup, safety), QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
