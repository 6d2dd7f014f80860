"""Input widgets shared by the forms: a forgiving date field and a combo over a code list."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from app.core.errors import ValidationError

_DATE = re.compile(r"^(\d{4})\D?(\d{1,2})\D?(\d{1,2})\D?$")

OK_STYLE = "color: #1b7f3b;"
BAD_STYLE = "color: #c0392b;"


def parse_date_text(text: str, *, field: str = "") -> dt.date | None:
    """A date from '1960-05-01', '19600501', '1960.5.1' or '1960年5月1日'; None when blank."""
    text = text.strip()
    if not text:
        return None
    m = _DATE.match(text)
    if not m:
        raise ValidationError(f"日期“{text}”看不懂，请按 1960-05-01 的格式填写", field=field)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValidationError(f"日期“{text}”不是真实的日期", field=field) from None


class DateField(QLineEdit):
    """A date typed as text (faster than a calendar for older users); blank means unknown."""

    def __init__(self, parent: QWidget | None = None, *, field: str = "") -> None:
        super().__init__(parent)
        self.field = field
        self.setPlaceholderText(self.tr("e.g. 1960-05-01"))
        self.setMaxLength(12)

    def date(self) -> dt.date | None:
        """The typed date; ValidationError when the text is not a real date."""
        return parse_date_text(self.text(), field=self.field)

    def safe_date(self) -> dt.date | None:
        """The typed date, or None while the text is incomplete or wrong."""
        try:
            return self.date()
        except ValidationError:
            return None

    def set_date(self, value: dt.date | None) -> None:
        self.setText(value.isoformat() if value else "")


class CodeCombo(QComboBox):
    """A combo over a code list: shows labels, keeps codes as item data; '' is 'not filled'."""

    def __init__(self, items: Iterable[tuple[str, str]] | Iterable[str], *, blank: str | None = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if blank is not None:
            self.addItem(blank, "")
        for item in items:
            code, label = item if isinstance(item, tuple) else (item, item)
            self.addItem(label, code)

    def code(self) -> str:
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        index = self.findData(code or "")
        if index < 0 and code:
            self.addItem(code, code)  # a value from an older list or an import: keep it visible
            index = self.count() - 1
        self.setCurrentIndex(max(index, 0))


def set_status(label: QLabel, text: str, *, ok: bool) -> None:
    """Show a short inline verdict next to a field, green when fine and red otherwise."""
    label.setText(text)
    label.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
    label.setVisible(bool(text))


def refill_groups(combo: QComboBox, groups: list[str]) -> None:
    """Put the village groups after the combo's first item ("all"), keeping the choice if it is
    still there, without emitting a change."""
    before = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(1)
    for g in groups:
        combo.addItem(g, g)
    combo.setCurrentIndex(max(combo.findData(before), 0) if before else 0)
    combo.blockSignals(False)


def error_label() -> QLabel:
    """A hidden, wrapping message in the error colour, shown next to the field it is about."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(BAD_STYLE)
    label.setVisible(False)
    return label
