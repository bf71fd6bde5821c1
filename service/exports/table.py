"""A table as the browser shows it, written as an XLSX workbook (issue 15).

Text goes into string cells through ``service.xlsxsafe`` (a cell starting with ``=`` stays
text, never a formula); ``number`` columns hold numbers (a cell that is not one stays text,
as shown); ``date`` columns hold dates, or local date-times for ISO times (Asia/Shanghai).
"""

from __future__ import annotations

import math
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font

from service import xlsxsafe
from service.exports.schemas import Cell, TableIn
from service.timeutil import LOCAL_TZ


def _number(value: Cell) -> Cell:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return value
    try:
        number = float(value.replace(",", "").strip())
    except ValueError:
        return value
    if not math.isfinite(number):
        return value
    return int(number) if number.is_integer() and "." not in value else number


def _date(value: Cell) -> Cell | date | datetime:
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return moment


def table_xlsx(table: TableIn) -> bytes:
    """One sheet: a header row of the labels (bold, frozen), then the rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "".join(c for c in table.title if c not in "[]:*?/\\")[:31] or "Sheet1"
    ws.append([c.label for c in table.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    kinds = [c.type for c in table.columns]
    for row in table.rows:
        values: list[object] = []
        for kind, value in zip(kinds, row, strict=True):
            if kind == "number":
                values.append(_number(value))
            elif kind == "date":
                values.append(_date(value))
            else:
                values.append(None if value is None else str(value))
        ws.append(values)
    for index, kind in enumerate(kinds, start=1):
        if kind != "date":
            continue
        for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    return xlsxsafe.save(wb)
