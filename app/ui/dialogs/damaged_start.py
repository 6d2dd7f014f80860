"""On start, a damaged clinic database is named as such, with the newest good backup to restore."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.errors import CunyiError
from app.core.paths import Paths
from app.storage.backup import list_backups, restore_backup
from app.storage.backup_policy import database_state, newest_good
from app.storage.engine import LockedError, open_file, sqlite3
from app.ui.dialogs.restore_done import backup_label

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


def backup_folder(paths: Paths) -> Path:
    """The backup folder chosen in settings if the damaged file still says, else the default."""
    try:
        conn = open_file(paths.database, read_only=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'backup_dir'").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, LockedError):
        return paths.backups
    return Path(row[0]) if row and row[0] else paths.backups


def damaged_box(paths: Paths, problem: str, good: Path | None, parent: QWidget | None = None) -> QMessageBox:
    """The message: what is wrong and, when there is one, the backup that puts it right."""
    if good is None:
        text = translate(
            "DamagedStart",
            "The clinic database %1 is damaged (%2) and no good backup was found in %3.\n\n"
            "Nothing was changed. Copy the file and ask the county IT staff for help.",
        ).replace("%1", str(paths.database)).replace("%2", problem).replace("%3", str(backup_folder(paths)))
        return QMessageBox(QMessageBox.Icon.Critical, translate("DamagedStart", "Database damaged"),
                           text, QMessageBox.StandardButton.Close, parent)
    text = translate(
        "DamagedStart",
        "The clinic database %1 is damaged (%2).\n\nThe newest good backup is from %3:\n%4\n\n"
        "Restore it now? The damaged file is moved aside, not deleted; changes made after "
        "that backup are not in it.",
    ).replace("%1", str(paths.database)).replace("%2", problem) \
        .replace("%3", backup_label(good)).replace("%4", str(good))
    box = QMessageBox(QMessageBox.Icon.Critical, translate("DamagedStart", "Database damaged"), text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Close, parent)
    box.button(QMessageBox.StandardButton.Yes).setText(translate("DamagedStart", "Restore"))
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box


def offer_restore(paths: Paths) -> bool:
    """Check the database before opening it; True to go on opening, False to quit.

    A damaged database is reported with the newest good backup and restored if the user agrees.
    """
    if not paths.database.exists():
        return True
    try:
        state, problem = database_state(paths.database)
    except CunyiError:
        return True              # cannot be read at all: opening it says why
    if state != "damaged":
        return True
    log.error("database damaged on start: %s", problem)
    good = newest_good(list_backups(backup_folder(paths)))
    box = damaged_box(paths, problem, good)
    if box.exec() != QMessageBox.StandardButton.Yes or good is None:
        return False
    aside = restore_backup(paths.database, good, safety_folder=backup_folder(paths))
    log.info("restored %s over a damaged database, moved to %s", good, aside)
    QMessageBox.information(
        None, translate("DamagedStart", "Backup restored"),
        translate("DamagedStart", "The backup of %1 is now the clinic's data. The damaged file "
                  "was moved to %2.").replace("%1", backup_label(good)).replace("%2", str(aside)),
    )
    return True
