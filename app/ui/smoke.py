"""A start-up check for packaged builds: once the household list has rows, report and exit.

Not a user feature and not in `--help`: the frozen-build smoke test (tests/frozen) turns it on
with environment variables, because a windowed executable has no console to print to.

- CUNYI_SMOKE_TEST=<report.json>  turn the check on; the JSON report is written there and a
  picture of the main window next to it (<report>.png). Exit 0 once the list has rows.
- CUNYI_SMOKE_PASSWORD=<password>  typed into the sign-in dialog for its prefilled user.
- CUNYI_SMOKE_TIMEOUT=<seconds>    give up after this long (default 120): report and exit 3.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QApplication

ENV_REPORT = "CUNYI_SMOKE_TEST"
ENV_PASSWORD = "CUNYI_SMOKE_PASSWORD"
ENV_TIMEOUT = "CUNYI_SMOKE_TIMEOUT"
EXIT_TIMEOUT = 3

# Qt's own strings: the first is in Qt's catalogue, the second only in qtbase_extra_zh_CN.
QT_STRINGS = {"qt_detail_view": ("QFileDialog", "Detail View"),
              "qt_look_in": ("QFileDialog", "&Look in:")}

_running: list[SmokeProbe] = []  # keeps the probe alive for the life of the application


class SmokeProbe(QObject):
    """Polls the top-level windows: signs in when asked to, then reports the household list."""

    def __init__(self, app: QApplication, report: Path, password: str, timeout: float) -> None:
        super().__init__(app)
        self.app = app
        self.report = report
        self.password = password
        self.deadline = time.monotonic() + timeout
        self.started = time.monotonic()
        self.signed_in = False
        self.timer = QTimer(self)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        """One look at the windows; the timer runs in every event loop, dialogs' included."""
        from app.ui.dialogs.sign_in import SignInDialog
        from app.ui.main_window import MainWindow

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, SignInDialog) and widget.isVisible() and not self.signed_in:
                self.signed_in = True
                widget.password.setText(self.password)
                widget.try_sign_in()
            elif (isinstance(widget, MainWindow) and widget.isVisible()
                  and widget.households.model.rowCount() > 0):
                self.finish(widget)
                return
        if time.monotonic() > self.deadline:
            self.write({"ok": False, "error": "timed out before the household list had rows"})
            # A dialog's nested event loop would swallow QApplication.exit's code.
            os._exit(EXIT_TIMEOUT)

    def finish(self, window: Any) -> None:
        """Write what the user would see, save a picture of the window, and quit with 0."""
        from app.ui import i18n
        from app.ui.care_print import print_source

        self.timer.stop()
        picture = self.report.with_suffix(".png")
        window.grab().save(str(picture))
        self.write({
            "ok": True,
            "households": window.households.model.rowCount(),
            "seconds": round(time.monotonic() - self.started, 2),
            "window_title": window.windowTitle(),
            "window_size": [window.width(), window.height()],
            "translations": [Path(t.filePath()).name for t in i18n._installed],
            **{key: QCoreApplication.translate(*source) for key, source in QT_STRINGS.items()},
            "print_sources": all(print_source(name) is not None
                                 for name in ("print_followups", "print_exam")),
            "screenshot": str(picture),
        })
        self.app.exit(0)

    def write(self, data: dict[str, Any]) -> None:
        self.report.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def start_smoke_probe(app: QApplication) -> SmokeProbe | None:
    """The probe when CUNYI_SMOKE_TEST names a report file, else None (the normal case)."""
    report = os.environ.get(ENV_REPORT)
    if not report:
        return None
    timeout = float(os.environ.get(ENV_TIMEOUT) or 120)
    probe = SmokeProbe(app, Path(report), os.environ.get(ENV_PASSWORD, ""), timeout)
    _running.append(probe)
    return probe

