"""Starting the desktop application: first run or sign-in, the start-up backup, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget

from app.core.errors import CunyiError
from app.core.paths import Paths
from app.core.users import User
from app.storage import owner
from app.storage.owner import Owner
from app.storage.workspace import Workspace
from app.ui.errors import install_excepthook, setup_logging, show_error
from app.ui.tasks import TaskRunner
from app.ui.ui_font import ensure_chinese_font
from app.ui.wheel_guard import install_wheel_guard

log = logging.getLogger(__name__)

APP_NAME = "村医"
BASE_POINT_SIZE = 11  # readable for older eyes on a clinic PC


def make_application() -> QApplication:
    """The QApplication with the app's name, style and a comfortable font size."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("Cunyi")
    app.setStyle("Fusion")
    font = app.font()
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(ensure_chinese_font(font))
    install_wheel_guard(app)
    return app


def _install_translations(app: QApplication) -> None:
    try:
        from app.ui.i18n import install_translators
    except ImportError:
        log.warning("translations not available", exc_info=True)
        return
    install_translators(app, "zh_CN")


def run_off_ui_thread(runner: TaskRunner, fn: Any, message: str) -> Any:
    """Run `fn` on the worker while a small busy dialog shows; return its result or raise."""
    dialog = QProgressDialog(message, "", 0, 0)
    dialog.setWindowTitle(APP_NAME)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(360)
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def done(result: Any) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    dialog.show()
    runner.db(fn, on_done=done, on_error=failed)
    loop.exec()
    dialog.close()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def _first_workspace(paths: Paths, runner: TaskRunner, demo: bool) -> tuple[Workspace | None, User | None, str, bool]:
    """Make the database when there is none: (workspace, user, username to prefill, go on?)."""
    if paths.database.exists():
        return None, None, _demo_username() if demo else "", True
    if demo:
        from app import demo as demo_data

        database = paths.database
        run_off_ui_thread(runner, lambda: demo_data.generate(database, size="village", seed=7),
                          QCoreApplication.translate("application", "Generating demo data…"))
        return None, None, demo_data.DEMO_USER[0], True
    from app.ui.dialogs.first_run import FirstRunWizard

    wizard = FirstRunWizard(paths)
    if wizard.exec() != QDialog.DialogCode.Accepted:
        return None, None, "", False
    if wizard.workspace is not None and wizard.workspace.secret is not None:
        wizard.workspace.recovery_key_to_show = wizard.workspace.recovery_key()
    return wizard.workspace, wizard.user, "", True


def _demo_username() -> str:
    try:
        from app.demo import DEMO_USER
    except ImportError:
        return ""
    return DEMO_USER[0]


def demo_user(path: Path) -> tuple[Workspace, User] | None:
    """The demo user, signed in, when this is a generated demo database still on its public
    password; None for any other database (a real clinic always asks for a password)."""
    from app import demo as demo_data

    try:
        ws, user = Workspace.sign_in(path, *demo_data.DEMO_USER)
    except CunyiError:
        return None
    if demo_data.is_demo_database(ws):
        ws.recovery_key_to_show = ""     # demo data on a public password: nothing to keep safe
        return ws, user
    ws.close()
    return None


def sign_in(paths: Paths, username: str, *, demo: bool = False) -> tuple[Workspace | None, User | None]:
    """Who uses the app: the demo user for `--demo` on a demo database, else whoever signs in.

    Signing in unlocks the database. One found damaged once unlocked is offered its newest good
    backup, and the same user signs in to the restored data.
    """
    if demo:
        found = demo_user(paths.database)
        if found is not None:
            log.info("signed in as the demo user on a demo database")
            return found
    from app.ui.dialogs.damaged_start import offer_restore
    from app.ui.dialogs.sign_in import SignInDialog

    dialog = SignInDialog(paths.database, username=username)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None, None
    if dialog.damaged:
        if not offer_restore(paths):
            return None, None
        return Workspace.sign_in(paths.database, dialog.username.currentText().strip(),
                                 dialog.password.text())
    return dialog.ws, dialog.user


def show_recovery_key(ws: Workspace, parent: QWidget | None = None) -> None:
    """Show the recovery key once, right after signing in encrypted a plain database."""
    key, ws.recovery_key_to_show = ws.recovery_key_to_show, ""
    if key:
        from app.ui.dialogs.recovery_key import RecoveryKeyDialog

        RecoveryKeyDialog(key, parent).exec()


def schedule_backups(window: Any, runner: TaskRunner, paths: Paths) -> QTimer:
    """The start-up backup now, then a check every hour so an app left open backs up daily.

    Runs on the database worker; the folder is the one chosen in settings, else paths.backups.
    """
    from app.storage.backup import backup_if_due

    def done(path: Path | None) -> None:
        if path is not None:
            text = QCoreApplication.translate("application", "Backup made: %s") % Path(path).name
            window.statusBar().showMessage(text, 10_000)
            # The settings page listed the folder before this backup existed.
            refresh = getattr(getattr(window, "settings_page", None), "refresh_backups", None)
            if callable(refresh):
                refresh()

    def check(reason: str = "daily") -> None:
        ws = window.ws       # the window reopens another workspace after a restore
        folder = Path(ws.settings.get("backup_dir") or paths.backups)
        runner.db(lambda: backup_if_due(ws, folder, reason=reason), on_done=done,
                  on_error=lambda exc: show_error(window, exc))

    timer = QTimer(window)
    timer.setInterval(60 * 60 * 1000)
    timer.timeout.connect(check)
    timer.start()
    check("start")
    return timer


def warn_about_tampering(parent: QWidget, ws: Workspace) -> QMessageBox | None:
    """Say on start that the audit log or its guard triggers were tampered with (never a crash)."""
    lines = ws.log_report.warnings()
    if not lines:
        return None
    box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, QCoreApplication.translate(
        "application", "The audit log shows signs of tampering. Please tell the county's IT "
        "staff. Details:"), QMessageBox.StandardButton.Ok, parent)
    box.setInformativeText("\n".join(lines))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # window-modal and not blocking: the clinic can still work
    log.warning("audit log: %s", " | ".join(lines))
    return box


def already_open_text(holder: str) -> str:
    """What a second app on the same database says before it quits."""
    return QCoreApplication.translate(
        "application", "Cunyi is already open on this database (%1). Use the window that is "
        "already open; a second copy of the app may not open the same data.").replace("%1", holder)


def hold_database(paths: Paths) -> Owner | None:
    """Become the one app with this database open; None (after saying so) if another has it."""
    try:
        return owner.hold(paths.database)
    except owner.AlreadyOpen as exc:
        log.warning("database already open: %s", exc.holder)
        QMessageBox.critical(None, APP_NAME, already_open_text(exc.holder))
        return None


def run_gui(paths: Paths, *, demo: bool = False) -> int:
    """Run the desktop application until its window closes; return the exit code."""
    app = make_application()
    _install_translations(app)
    from app.ui.smoke import start_smoke_probe

    start_smoke_probe(app)  # does nothing unless a packaged-build check asks for it
    setup_logging(paths.log_file)
    install_excepthook()
    held = hold_database(paths)     # before anything reads the file: one app per database
    if held is None:
        return 1
    with held:
        return _run_held(app, paths, demo)


def _run_held(app: QApplication, paths: Paths, demo: bool) -> int:
    """Sign in and run the main window, while this process holds the database."""
    runner = TaskRunner()
    from app.ui.dialogs.damaged_start import offer_restore

    if not offer_restore(paths):
        return 1
    try:
        ws, user, username, go_on = _first_workspace(paths, runner, demo)
        if not go_on:
            return 0
        if ws is None or user is None:
            ws, user = sign_in(paths, username, demo=demo)
            if ws is None or user is None:
                return 0
    except CunyiError as exc:
        show_error(None, exc)
        return 1
    show_recovery_key(ws)

    from app.ui.main_window import MainWindow

    window = MainWindow(ws, user, runner, paths)
    window.show()
    warn_about_tampering(window, ws)
    schedule_backups(window, runner, paths)
    code = app.exec()
    runner.wait()
    window.ws.close()
    return int(code)
