"""Building blocks of the long care forms: number fields, tick lists, sections laid out in a
grid, and inline error messages shown under the field a ValidationError names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QCoreApplication, QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from app.core.errors import ValidationError
from app.ui.widgets.fields import BAD_STYLE, DateField

_WHOLE = QRegularExpression(r"\d{0,5}")
_DECIMAL = QRegularExpression(r"\d{0,5}([.]\d{0,3})?")


class NumberField(QLineEdit):
    """A whole or decimal number typed as digits; blank is 'not measured'."""

    def __init__(self, field: str, *, decimals: bool = False, chars: int = 5,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.decimals = decimals
        self.setValidator(QRegularExpressionValidator(_DECIMAL if decimals else _WHOLE, self))
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("0" * chars) + 20)

    def value(self) -> int | float | None:
        """The typed number; ValidationError (naming the field) when it cannot be read."""
        text = self.text().strip()
        if not text:
            return None
        try:
            return float(text) if self.decimals else int(text)
        except ValueError:
            message = QCoreApplication.translate("NumberField", "“%s” is not a number") % text
            raise ValidationError(message, field=self.field) from None

    def safe_value(self) -> int | float | None:
        try:
            return self.value()
        except ValidationError:
            return None

    def set_value(self, value: float | None) -> None:
        self.setText("" if value is None else f"{value:g}")


class CheckGroup(QWidget):
    """A row (or grid) of tick boxes over a code list; `exclusive` clears the others when ticked
    and is cleared when another is ticked (无症状 against the symptoms)."""

    changed = Signal()

    def __init__(self, options: Sequence[str], *, columns: int = 5, exclusive: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exclusive = exclusive
        self.boxes = {name: QCheckBox(name) for name in options}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        for i, box in enumerate(self.boxes.values()):
            grid.addWidget(box, i // columns, i % columns)
            box.clicked.connect(lambda on, b=box: self._clicked(b, on))
        grid.setColumnStretch(columns, 1)

    def _clicked(self, box: QCheckBox, on: bool) -> None:
        if on and self.exclusive:
            if box.text() == self.exclusive:
                for other in self.boxes.values():
                    if other is not box:
                        other.setChecked(False)
            elif self.exclusive in self.boxes:
                self.boxes[self.exclusive].setChecked(False)
        self.changed.emit()

    def values(self) -> list[str]:
        return [name for name, box in self.boxes.items() if box.isChecked()]

    def set_values(self, values: Iterable[str]) -> None:
        chosen = set(values)
        for name, box in self.boxes.items():
            box.setChecked(name in chosen)


def date_field(field: str, parent: QWidget | None = None) -> DateField:
    """A date field wide enough for a date and for its hint."""
    f = DateField(parent, field=field)
    metrics = f.fontMetrics()
    f.setFixedWidth(max(metrics.horizontalAdvance("0000-00-00"),
                        metrics.horizontalAdvance(f.placeholderText())) + 24)
    return f


def hbox(*parts: QWidget | str, stretch: bool = True) -> QHBoxLayout:
    """Widgets and short texts (units, slashes) side by side."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    for part in parts:
        row.addWidget(QLabel(part) if isinstance(part, str) else part)
    if stretch:
        row.addStretch(1)
    return row


class FieldErrors:
    """Where each field's message goes: field name → (widget to focus, label under it)."""

    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self.fallback: QLabel | None = None

    def add(self, name: str, widget: QWidget, label: QLabel) -> None:
        self._fields[name] = (widget, label)

    def label(self, name: str) -> QLabel | None:
        found = self._fields.get(name)
        return found[1] if found else None

    def clear(self) -> None:
        labels = {label for _, label in self._fields.values()}
        if self.fallback is not None:
            labels.add(self.fallback)
        for label in labels:
            label.clear()
            label.setVisible(False)

    def show(self, exc: BaseException) -> bool:
        """Put the message next to its field and the cursor in it; False when the error names
        no field of this form (the caller shows it another way)."""
        self.clear()
        name = getattr(exc, "field", None)
        found = self._fields.get(name) if name else None
        if found is None:
            if self.fallback is None:
                return False
            self.fallback.setText("✗ " + str(exc))
            self.fallback.setVisible(True)
            return True
        widget, label = found
        label.setText("✗ " + str(exc))
        label.setVisible(True)
        reveal(widget)
        widget.setFocus()
        return True


def error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(BAD_STYLE)
    label.setVisible(False)
    return label


def reveal(widget: QWidget) -> None:
    """Bring a field into view: its tab to the front, its scroll area scrolled to it."""
    child: QWidget = widget
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
            tabs = parent.parentWidget()
            assert isinstance(tabs, QTabWidget)
            tabs.setCurrentWidget(child)
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 40, 60)
        child, parent = parent, parent.parentWidget()


class Section(QGroupBox):
    """A titled block of labelled fields in `columns` columns; each entry has an error line
    under it for the fields it holds."""

    def __init__(self, title: str, errors: FieldErrors, *, columns: int = 2,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.errors = errors
        self.columns = columns
        self.grid = QGridLayout(self)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(2)
        self._slot = 0
        for c in range(columns):
            self.grid.setColumnStretch(c * 2 + 1, 1)

    def add(self, label: str, *parts: QWidget | str, fields: Sequence[str] = (),
            focus: QWidget | None = None, wide: bool = False) -> QLabel:
        """One labelled entry; `fields` are the names whose errors show under it."""
        if wide and self._slot % self.columns:
            self._slot += self.columns - self._slot % self.columns
        row, col = divmod(self._slot, self.columns)
        span = self.columns * 2 - 1 if wide else 1
        caption = QLabel(label)
        if label:  # an empty caption would keep the row's height when its field is hidden
            self.grid.addWidget(caption, row * 2, col * 2)
        if len(parts) == 1 and isinstance(parts[0], QWidget) and wide:
            self.grid.addWidget(parts[0], row * 2, col * 2 + 1, 1, span)
        else:
            self.grid.addLayout(hbox(*parts), row * 2, col * 2 + 1, 1, span)
        err = error_label()
        self.grid.addWidget(err, row * 2 + 1, col * 2 + 1, 1, span)
        target = focus or next((p for p in parts if isinstance(p, QWidget)), caption)
        for name in fields:
            self.errors.add(name, target, err)
        for part in parts:  # number and date fields name themselves
            own = getattr(part, "field", "")
            if isinstance(part, QWidget) and isinstance(own, str) and own and own not in fields:
                self.errors.add(own, part, err)
        self._slot += self.columns if wide else 1
        return err
