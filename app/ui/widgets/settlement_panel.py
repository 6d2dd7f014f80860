"""One settlement as a doctor reads it: the pack, a line per payer layer (with the hospital slip's
amount beside it when there is one), the totals against the county target, and the arithmetic.

Shared by the claim dialog (live, while typing) and the 报销结算 page (the selected claim).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.claims import SELF_PAY, LayerCheck
from app.core.settlement import Settlement, YearToDate, percent, yuan
from app.core.settlement_text import no_target_reason
from app.printing.settlement_data import layer_lines
from app.storage.claims import ClaimLine

RED = "#b03a2e"
GREEN = "#1b7f3b"
GREY = "#7f8c8d"
FLAG_BACKGROUND = QColor("#fdf2d0")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SLIP_COLUMNS = (5, 6)


def signed(value: Decimal) -> str:
    """A difference with its sign: +7.00, −7.00, 0.00."""
    if value > 0:
        return "+" + yuan(value)
    if value < 0:
        return "−" + yuan(-value)
    return yuan(value)


class SettlementPanel(QWidget):
    """Shows a `Settlement`; `wide` puts the arithmetic beside the numbers instead of below."""

    def __init__(self, *, wide: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settlement: Settlement | None = None
        self.pack_label = QLabel()
        self.pack_label.setWordWrap(True)
        self.example_label = QLabel(self.tr("Example numbers, not any county's official policy"))
        self.example_label.setToolTip(self.tr("The pack holds example numbers, not any county's official policy."))
        self.example_label.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([
            self.tr("Payer"), self.tr("Base"), self.tr("Deductible"), self.tr("Ratio"),
            self.tr("Amount"), self.tr("On the slip"), self.tr("Difference")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for col, sample in enumerate(("", "150,000.00", "10,000.00", "100%", "150,000.00",
                                      "150,000.00", "−1,000.00")):
            if col:
                self.table.setColumnWidth(col, metrics.horizontalAdvance(sample) + 14)
        header.setMinimumSectionSize(metrics.horizontalAdvance("100%") + 14)

        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        totals = QGridLayout()
        totals.setHorizontalSpacing(18)
        totals.setVerticalSpacing(0)
        for col, (key, title) in enumerate((
                ("total", self.tr("Total cost")), ("waived", self.tr("Waived")),
                ("reimbursed", self.tr("Reimbursed")), ("self_pay", self.tr("Self-pay")),
                ("ratio", self.tr("Actual ratio")), ("target", self.tr("County target")))):
            caption = QLabel(title)
            caption.setStyleSheet(f"color: {GREY};")
            value = QLabel("—")
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.25)
            font.setWeight(QFont.Weight.Bold)
            value.setFont(font)
            totals.addWidget(caption, 0, col)
            totals.addWidget(value, 1, col)
            self.values[key] = value
            self.captions[key] = caption
        totals.setColumnStretch(6, 1)
        self.basis_label = QLabel()
        self.basis_label.setStyleSheet(f"color: {GREY};")
        self.ytd_label = QLabel()
        self.ytd_label.setWordWrap(True)

        self.explanation = QPlainTextEdit()
        self.explanation.setReadOnly(True)
        self.explanation.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        head = QHBoxLayout()
        head.addWidget(self.pack_label, 1)
        head.addWidget(self.example_label, 0, Qt.AlignmentFlag.AlignTop)
        foot = QVBoxLayout()
        foot.addWidget(self.basis_label)
        foot.addWidget(self.ytd_label, 1)
        numbers = QVBoxLayout()
        numbers.setContentsMargins(0, 0, 0, 0)
        numbers.addWidget(self.table, 1)
        numbers.addLayout(totals)
        numbers.addLayout(foot)
        body = QHBoxLayout() if wide else QVBoxLayout()
        body.addLayout(numbers, 3)
        body.addWidget(self.explanation, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)
        self.clear()

    # --- state --------------------------------------------------------------------------

    def clear(self, message: str = "", *, bad: bool = False) -> None:
        """No settlement to show: empty lines and totals, and why."""
        self.settlement = None
        self.pack_label.setText("")
        self.example_label.setVisible(False)
        self.table.setRowCount(0)
        for value in self.values.values():
            value.setText("—")
            value.setStyleSheet("")
        self._show_waived(False)
        self.basis_label.setText("")
        self.ytd_label.setText("")
        self.explanation.setPlainText("")
        self.show_message(message, bad=bad)

    def _show_waived(self, shown: bool) -> None:
        self.captions["waived"].setVisible(shown)
        self.values["waived"].setVisible(shown)

    def show_message(self, text: str, *, bad: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {RED};" if bad else f"color: {GREY};")
        self.message.setVisible(bool(text))

    def value(self, key: str) -> str:
        """The text of a total: total, reimbursed, self_pay, ratio or target."""
        return self.values[key].text()

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None  # every cell of a shown line is filled
        return item

    def amount(self, layer: str) -> str:
        """The estimated amount shown for a layer (or 个人自付); '' when not listed."""
        for row in range(self.table.rowCount()):
            if self._cell(row, 0).text() == layer:
                return self._cell(row, 4).text()
        return ""

    def flagged(self) -> list[str]:
        """The lines whose slip amount differs from the estimate."""
        return [self._cell(r, 0).text() for r in range(self.table.rowCount())
                if self._cell(r, 6).data(Qt.ItemDataRole.UserRole)]

    # --- showing a settlement -----------------------------------------------------------

    def show_settlement(self, s: Settlement, checks: Sequence[LayerCheck] = (), *,
                        line: ClaimLine | None = None) -> None:
        """Show the engine's settlement; with `line` (a stored claim) the totals are the amounts
        that stand for it (the slip's where it has them) and the year is the claim's."""
        self.settlement = s
        self.show_message("")
        who = "、".join(sorted(s.claim.person))
        self.pack_label.setText(self.tr("Policy pack: %1 · person category: %2")
                                .replace("%1", s.pack.title).replace("%2", who))
        self.example_label.setVisible(s.pack.example)
        self._fill_table(s, tuple(checks))
        reimbursed, self_pay, ratio, met = s.reimbursed, s.self_pay, s.ratio_actual, s.target_met
        from_slip = False
        if line is not None:
            reimbursed, self_pay, ratio = line.reimbursed, line.self_pay, line.ratio_actual
            met, from_slip = line.target_met, line.from_slip
        self.values["total"].setText(yuan(s.total))
        self.values["waived"].setText(yuan(s.waived))
        self._show_waived(bool(s.waived))
        self.values["reimbursed"].setText(yuan(reimbursed))
        self.values["self_pay"].setText(yuan(self_pay))
        self.values["ratio"].setText(f"{ratio}%")
        colour = "" if met is None else (f"color: {GREEN};" if met else f"color: {RED};")
        self.values["ratio"].setStyleSheet(colour)
        self.values["target"].setStyleSheet(colour)
        if s.target is None:
            self.values["target"].setText(self.tr("n/a"))
            self.values["target"].setToolTip(no_target_reason(s))
        else:
            verdict = self.tr("met") if met else self.tr("not met")
            self.values["target"].setText(f"{s.target.normalize():f}% {verdict}")
            self.values["target"].setToolTip("")
        self.basis_label.setText(
            self.tr("Totals as printed on the hospital's slip") if from_slip else
            self.tr("Estimated with the policy pack; the hospital's slip is authoritative"))
        self.ytd_label.setText(self._year_text(line.year_to_date if line else s.year_to_date))
        lines = self.explain(s)
        if from_slip:
            lines.insert(0, self.tr("Worked out with the policy pack, to check the slip:"))
        self.explanation.setPlainText("\n".join(lines))

    def _fill_table(self, s: Settlement, checks: tuple[LayerCheck, ...]) -> None:
        rows = layer_lines(s, checks)
        own = {x.name for x in s.layers}
        self_pay = next((k for k in checks if k.name == SELF_PAY), None)
        has_slip = any(k.slip is not None for k in checks)
        self.table.setRowCount(len(rows) + 1)
        for r, x in enumerate(rows):
            ratio = self.tr("ceiling") if x.ratio == "兜底" else (
                self.tr("bands") if x.ratio == "分段" else x.ratio)
            deductible = "—" if x.deductible is None else yuan(x.deductible)
            cells = [x.name, yuan(x.base), deductible, ratio, yuan(x.amount)]
            if x.name not in own:
                cells[1:4] = ["", "", ""]
            elif not x.applies:
                cells[2:4] = ["—", "—"]   # a layer that does not apply has no deductible or ratio
            self._row(r, cells, x.slip, x.amount, x.flagged, grey=not x.applies, tip=x.rule)
        last = len(rows)
        estimate = self_pay.estimate if self_pay else s.self_pay
        self._row(last, [SELF_PAY, "", "", "", yuan(estimate)], self_pay.slip if self_pay else None,
                  estimate, bool(self_pay and self_pay.flagged), bold=True)
        for col in SLIP_COLUMNS:
            self.table.setColumnHidden(col, not has_slip)

    def _row(self, row: int, cells: list[str], slip: Decimal | None, estimate: Decimal, flagged: bool,
             *, grey: bool = False, bold: bool = False, tip: str = "") -> None:
        diff = None if slip is None else slip - estimate
        cells = [*cells, "" if slip is None else yuan(slip), "" if diff is None else signed(diff)]
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if col:
                item.setTextAlignment(RIGHT)
            if grey:
                item.setForeground(QColor(GREY))
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            if tip:
                item.setToolTip(tip)
            if flagged:
                item.setBackground(FLAG_BACKGROUND)
                if col == 6:
                    item.setForeground(QColor(RED))
                    item.setToolTip(self.tr("The slip differs from the estimate"))
            item.setData(Qt.ItemDataRole.UserRole, flagged if col == 6 else None)
            self.table.setItem(row, col, item)

    # --- text ---------------------------------------------------------------------------

    def explain(self, s: Settlement) -> list[str]:
        """The arithmetic line by line: costs, waivers, each layer's rule and notes, the totals."""
        c = s.claim
        lines = [self.tr("Total %1, out of catalogue %2, policy scope %3")
                 .replace("%1", yuan(s.total)).replace("%2", yuan(c.out_of_catalogue))
                 .replace("%3", yuan(c.total - c.out_of_catalogue))]
        for w in s.waivers:
            name = f"（{w.name}）" if w.name else ""
            lines.append(self.tr("Waived%1: %2 %3 × %4 = %5").replace("%1", name).replace("%2", w.fee)
                         .replace("%3", yuan(w.charged)).replace("%4", percent(w.ratio))
                         .replace("%5", yuan(w.amount)))
        for i, x in enumerate(s.layers, start=1):
            lines.append(f"{i}. {x.name}：{x.rule}")
            lines += [f"     {note}" for note in x.notes]
        paid = s.total - s.self_pay
        if s.waived:
            lines.append(self.tr("Self-pay: %1 − reimbursed %2 − waived %3 = %4")
                         .replace("%1", yuan(s.total)).replace("%2", yuan(s.reimbursed))
                         .replace("%3", yuan(s.waived)).replace("%4", yuan(s.self_pay)))
        else:
            lines.append(self.tr("Self-pay: %1 − %2 = %3").replace("%1", yuan(s.total))
                         .replace("%2", yuan(paid)).replace("%3", yuan(s.self_pay)))
        lines.append(self.tr("Actual ratio: %1 ÷ %2 = %3%").replace("%1", yuan(paid))
                     .replace("%2", yuan(s.total)).replace("%3", str(s.ratio_actual)))
        if s.target is None:
            lines.append(self.tr("County target: not applicable (%s)") % no_target_reason(s))
        else:
            text = self.tr("County target %1%: met") if s.target_met else self.tr(
                "County target %1%: not met")
            lines.append(text.replace("%1", f"{s.target.normalize():f}"))
        if s.pack.example:
            lines.append(self.tr("The pack holds example numbers, not any county's official policy."))
        lines.append(self.tr("This is an estimate; the hospital's settlement slip is authoritative."))
        return lines

    def _year_text(self, y: YearToDate) -> str:
        return (self.tr("Year %1 so far (with this one): %2 claims, %3 stays, reimbursed %4, "
                        "self-pay %5")
                .replace("%1", str(y.year or (self.settlement.claim.date.year if self.settlement else ""))).replace("%2", str(y.claims))
                .replace("%3", str(y.inpatient_stays)).replace("%4", yuan(y.reimbursed))
                .replace("%5", yuan(y.self_pay)))
