"""The app backs up on start (and checks hourly) into the folder chosen in settings."""

from __future__ import annotations

from app.storage.backup import list_backups
from app.ui.application import schedule_backups


def test_start_up_backup_goes_to_the_settings_folder(qtbot, window, runner, paths, tmp_path):
    folder = tmp_path / "usb-backups"
    window.ws.update_settings(backup_dir=str(folder))
    timer = schedule_backups(window, runner, paths)
    qtbot.waitUntil(lambda: len(list_backups(folder)) == 1, timeout=10_000)
    assert timer.isActive() and timer.interval() == 3_600_000
    timer.timeout.emit()            # an hour later, nothing is due yet
    runner.wait()
    assert len(list_backups(folder)) == 1
