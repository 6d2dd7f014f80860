"""Reading and writing .xlsx workbooks with openpyxl: find the header, undo merges, keep IDs as text."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from app.core.errors import ImportFileError
from app.core.text import clean
from app.storage.outputs import write_atomically

HEADER_SEARCH_ROWS = 10
MIN_RECOGNISED_HEADERS = 3
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')


@dataclass
class Sheet:
    """A sheet's table: its header texts and its data rows, each with its Excel row number."""

    title: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


# What openpyxl, zipfile and the XML parsers raise on a damaged workbook (a broken part's XML is a
# SyntaxError subclass; a bad deflate stream a zlib.error; odd attribute values Value/TypeError).
_DAMAGED = (InvalidFileException, zipfile.BadZipFile, zlib.error, SyntaxError, KeyError, IndexError,
            ValueError, TypeError, AttributeError, EOFError, OSError)


def _open(path: Path, *, read_only: bool) -> Any:
    if not path.exists():
        raise ImportFileError(f"找不到文件：{path}")
    if path.is_dir():
        raise ImportFileError(f"{path} 是一个文件夹，不是 .xlsx 文件")
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=True)
    except _DAMAGED as exc:
        raise ImportFileError(
            f"无法读取 {path.name}：不是有效的 .xlsx 文件（.xls 或 .et 文件请先在表格软件中另存为 .xlsx）"
        ) from exc


def _merged_ranges(workbook: Any, sheet: Any) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range, read from the sheet's XML.

    Read-only sheets do not expose merges, and the merge list sits after all the rows.
    """
    source = workbook._archive.open(sheet._worksheet_path)
    with source:
        data = source.read()
    return [tuple(range_boundaries(m.decode())) for m in _MERGE_REF.findall(data)]


def read_table(path: Path | str, is_header: Callable[[object], bool]) -> Sheet:
    """The first sheet with a header row (≥3 recognised column names in its first 10 rows)."""
    p = Path(path)
    workbook = _open(p, read_only=True)
    try:
        return _first_table(p, workbook, is_header)
    except _DAMAGED as exc:
        raise ImportFileError(f"无法读取 {p.name}：文件已损坏，其中的工作表读不出来（{type(exc).__name__}）；"
                              "请在表格软件中打开后重新另存为 .xlsx") from exc
    finally:
        workbook.close()


def _first_table(p: Path, workbook: Any, is_header: Callable[[object], bool]) -> Sheet:
    for sheet in workbook.worksheets:
        if not hasattr(sheet, "_worksheet_path"):
            continue  # a chart sheet
        sheet.reset_dimensions()
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        found = _find_header(values, is_header)
        if found is None:
            continue
        merges = _merged_ranges(workbook, sheet)
        return _table(sheet.title, values, found, merges)
    raise ImportFileError(
        f"{p.name} 中没有找到表头：前{HEADER_SEARCH_ROWS}行里没有一行包含至少"
        f"{MIN_RECOGNISED_HEADERS}个可识别的列名（如 姓名、证件号码、与户主关系）"
    )


def _find_header(values: list[list[Any]], is_header: Callable[[object], bool]) -> int | None:
    for index, row in enumerate(values[:HEADER_SEARCH_ROWS]):
        if sum(1 for v in row if is_header(v)) >= MIN_RECOGNISED_HEADERS:
            return index
    return None


def _table(title: str, values: list[list[Any]], header_index: int,
           merges: list[tuple[int, int, int, int]]) -> Sheet:
    width = max((len(r) for r in values), default=0)
    for row in values:
        row.extend([None] * (width - len(row)))
    header_row = header_index + 1  # Excel numbers rows from 1
    headers = [clean(v) for v in values[header_index]]
    # Headers merged across several columns, with sub-headers below (帮扶责任人 / 姓名 · 电话),
    # take two rows: the sub-header is named after its parent.
    spans = [m for m in merges if m[1] == header_row and m[2] > m[0]]
    if spans and header_index + 1 < len(values):
        below = values[header_index + 1]
        if any(clean(below[c - 1]) for m in spans for c in range(m[0], m[2] + 1)):
            for min_col, _, max_col, _ in spans:
                parent = headers[min_col - 1]
                for c in range(min_col, max_col + 1):
                    child = clean(below[c - 1])
                    if child:
                        headers[c - 1] = child if child.startswith(parent) else parent + child
            header_row += 1
    # Cells merged down a column (one 户编号 or 村 for all of a household's rows) repeat the
    # value on every row; merges across columns keep the value in their first column only.
    for min_col, min_row, _, max_row in merges:
        if max_row <= header_row or max_row == min_row:
            continue
        start = max(min_row, header_row + 1)
        top = values[min_row - 1][min_col - 1]
        for r in range(start, max_row + 1):
            if r - 1 < len(values):
                values[r - 1][min_col - 1] = top
    rows = [(n + 1, values[n]) for n in range(header_row, len(values))]
    return Sheet(title=title, header_row=header_row, headers=headers, rows=rows)


# --- writing -------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)


def write_table(
    path: Path | str,
    *,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    title: str = "",
    text_columns: Sequence[str] = (),
    widths: dict[str, int] | None = None,
    sheet_title: str = "Sheet1",
    extra_sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]] = (),
) -> None:
    """Write a workbook: an optional title row, a header row, then rows; `text_columns` as text."""
    workbook = openpyxl.Workbook(write_only=True)
    _write_sheet(workbook, sheet_title, headers, rows, title, text_columns, widths or {})
    for name, extra_headers, extra_rows in extra_sheets:
        _write_sheet(workbook, name, extra_headers, extra_rows, "", text_columns, widths or {})
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    data = io.BytesIO()       # built in memory: a failed write leaves openpyxl nothing half-done
    workbook.save(data)
    write_atomically(p, lambda tmp: tmp.write_bytes(data.getvalue()))


def _write_sheet(workbook: Any, name: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
                 title: str, text_columns: Sequence[str], widths: dict[str, int]) -> None:
    from openpyxl.cell import WriteOnlyCell

    sheet = workbook.create_sheet(name)
    for i, header in enumerate(headers, start=1):
        width = widths.get(header, max(8, 2 * len(header) + 2))
        sheet.column_dimensions[get_column_letter(i)].width = width
    if title:
        sheet.merged_cells.add(f"A1:{get_column_letter(len(headers))}1")
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = _TITLE
        cell.alignment = Alignment(horizontal="center")
        sheet.append([cell])
    head_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = _BOLD
        head_cells.append(cell)
    sheet.append(head_cells)
    text_at = {i for i, h in enumerate(headers) if h in text_columns}
    for row in rows:
        out: list[object] = []
        for i, value in enumerate(row):
            if i in text_at:
                cell = WriteOnlyCell(sheet, value=None if value in (None, "") else str(value))
                cell.number_format = "@"  # text: an 18-digit ID must never become a number
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
