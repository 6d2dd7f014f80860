"""Print buttons of the care pages, wired to functions of app.printdata.sources by name.

`print_followups(ws, person_id, year, out)` writes a person's follow-up sheets of a year and
`print_exam(ws, exam_id, out)` an exam's result slip, each as a PDF at `out` (returning the path
or None). They run on the database worker because they read the database. Until a function
exists, its button stays disabled and says why.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPushButton, QWidget

from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.tasks import TaskRunner
from app.ui.widgets.pdf_preview import PdfPreviewDialog, open_preview, print_folder, temp_pdf

SOURCES = "app.printdata.sources"


def print_source(name: str) -> Callable[..., Any] | None:
    """The print function `name` of app.printdata.sources, or None while there is none."""
    try:
        module = importlib.import_module(SOURCES)
    except ImportError:
        return None
    fn = getattr(module, name, None)
    return fn if callable(fn) else None


class PrintHook(QObject):
    """One print button: enabled when its function exists and something is chosen."""

    def __init__(self, button: QPushButton, name: str, runner: TaskRunner, page: QWidget) -> None:
        super().__init__(page)
        self.button = button
        self.name = name
        self.runner = runner
        self.page = page
        self.printing = False
        self.preview: PdfPreviewDialog | None = None
        self.update(False)

    def available(self) -> bool:
        return print_source(self.name) is not None

    def update(self, chosen: bool) -> None:
        ready = self.available()
        self.button.setEnabled(ready and chosen and not self.printing)
        self.button.setToolTip("" if ready else self.tr(
            "Printing this form is not available in this version yet."))

    def out_path(self, stem: str) -> Path:
        return temp_pdf(print_folder(), stem)

    def run(self, ws: Workspace, *args: Any, title: str) -> None:
        """Write the PDF on the worker, then show it in the preview."""
        fn = print_source(self.name)
        if fn is None or self.printing:
            return
        out = self.out_path(self.name)
        self.printing = True
        self.button.setEnabled(False)
        self.runner.db(lambda: fn(ws, *args, out),
                       on_done=lambda path: self._show(Path(path or out), title, ws),
                       on_error=self._failed)

    def _show(self, path: Path, title: str, ws: Workspace) -> None:
        self.printing = False
        self.update(True)
        self.preview = open_preview(self.page, path, title, places=ws.settings.protected_places)

    def _failed(self, exc: BaseException) -> None:
        self.printing = False
        self.update(True)
        show_error(self.page, exc)
