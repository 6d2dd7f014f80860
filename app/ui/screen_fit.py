"""Window sizes that fit the clinic's screen: 1366×768 with a taskbar leaves 1366×728 for a window.

Every window and dialog asks for its comfortable size through `fit_to_screen`, which gives less
when the screen (less the window frame) is smaller, so no bottom button falls off the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

USABLE = QSize(1366, 728)   # a 1366×768 screen less a 40-pixel taskbar
FRAME = QSize(16, 39)       # what Windows 10 draws around a window: borders and the title bar


def available_area(widget: QWidget | None = None) -> QRect:
    """The part of the widget's screen (else the primary screen) that windows may use."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, USABLE.width(),
                                                                       USABLE.height())


def largest_size(widget: QWidget | None = None) -> QSize:
    """The largest client size whose framed window still fits on the screen."""
    area = available_area(widget)
    return QSize(area.width() - FRAME.width(), area.height() - FRAME.height())


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to width×height, or less where the screen (frame included) is smaller."""
    most = largest_size(widget)
    widget.resize(min(width, most.width()), min(height, most.height()))

