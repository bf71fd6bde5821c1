"""The four annual lists as a printable workbook, and back.

One sheet per list (目标清单, 问题清单, 任务清单, 责任清单): a title row naming river and year,
a row with state and document number, Chinese column headers, then one row per item. The
same workbook imports back to the same data: the title must name the river and year it is
imported into, and the headers must be the ones written here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from service import xlsxsafe
from service.errors import BadRequest, InvalidInput
from service.governance.docflow import STATE_LABELS
from service.governance.lists.models import LIST_KINDS
from service.governance.lists.schemas import AnnualListsIn, ListItemIn
from service.security.uploads import check_zip_expansion

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    field: str | None  # None: the 序号 column
    width: int


COLUMNS: dict[str, tuple[Column, ...]] = {
    "targets": (
        Column("序号", None, 6),
        Column("目标类别", "category", 14),
        Column("目标内容", "content", 44),
        Column("指标值", "measure", 22),
        Column("完成时限", "due_date", 12),
        Column("备注", "note", 16),
    ),
    "problems": (
        Column("序号", None, 6),
        Column("问题类型", "category", 12),
        Column("问题描述", "content", 38),
        Column("所在县（市、区）", "county_code", 14),
        Column("问题点位编号", "problem_id", 12),
        Column("责任单位", "responsible_unit", 18),
        Column("整改措施", "measure", 28),
        Column("整改时限", "due_date", 12),
        Column("备注", "note", 12),
    ),
    "tasks": (
        Column("序号", None, 6),
        Column("任务类别", "category", 12),
        Column("任务内容", "content", 40),
        Column("责任单位", "responsible_unit", 18),
        Column("配合单位", "cooperating_units", 22),
        Column("完成时限", "due_date", 12),
        Column("备注", "note", 14),
    ),
    "responsibilities": (
        Column("序号", None, 6),
        Column("责任类别", "category", 14),
        Column("责任主体", "responsible_unit", 22),
        Column("责任人", "responsible_person", 18),
        Column("职责内容", "content", 48),
        Column("备注", "note", 14),
    ),
}
SHEET_NAMES = {
    "targets": "目标清单",
    "problems": "问题清单",
    "tasks": "任务清单",
    "responsibilities": "责任清单",
}
HEADER_ROW = 3
#: Bounds on an imported workbook: rows per list (as the JSON API); zip parts and inflated
#: size are bounded by ``check_zip_expansion``.
MAX_ROWS = 500
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def sheet_title(river_name: str, year: int, kind: str) -> str:
    return f"{river_name}{year}年度河湖长制{SHEET_NAMES[kind]}"


def export_workbook(
    river_name: str,
    year: int,
    state: str,
    number: str | None,
    data: AnnualListsIn,
    county_names: dict[str, str],
) -> bytes:
    """The workbook as bytes: A4 landscape, headers repeated on every printed page."""
    wb = Workbook()
    wb.remove(wb.active)
    for kind in LIST_KINDS:
        ws = wb.create_sheet(SHEET_NAMES[kind])
        cols = COLUMNS[kind]
        last = get_column_letter(len(cols))
        ws.merge_cells(f"A1:{last}1")
        ws["A1"] = sheet_title(river_name, year, kind)
        ws["A1"].font = Font(name="宋体", size=16, bold=True)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.merge_cells(f"A2:{last}2")
        ws["A2"] = f"状态：{STATE_LABELS.get(state, state)}　文号：{number or '（未印发）'}"
        for c, col in enumerate(cols, start=1):
            cell = ws.cell(row=HEADER_ROW, column=c, value=col.header)
            cell.font = Font(name="黑体", bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
            ws.column_dimensions[get_column_letter(c)].width = col.width
        for n, item in enumerate(getattr(data, kind), start=1):
            row = HEADER_ROW + n
            for c, col in enumerate(cols, start=1):
                value: Any = n if col.field is None else getattr(item, col.field)
                if col.field == "county_code" and value is not None:
                    value = county_names.get(str(value), value)
                cell = ws.cell(row=row, column=c, value=value)
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                cell.border = _BORDER
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    return xlsxsafe.save(wb)


def import_workbook(
    content: bytes, river_name: str, year: int, county_codes: dict[str, str]
) -> AnnualListsIn:
    """Parse a workbook written by :func:`export_workbook` (and edited) back into lists.

    ``county_codes`` maps county names and codes to codes. Every problem found is reported
    at once (sheet, row, column), so nothing is half-imported.
    """
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise BadRequest("not an XLSX workbook (expected a zip container)")
    check_zip_expansion(content, what="workbook")
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise BadRequest(f"cannot read the workbook: {exc}") from exc
    errors: list[str] = []
    grouped: dict[str, list[ListItemIn]] = {}
    for kind in LIST_KINDS:
        name = SHEET_NAMES[kind]
        if name not in wb.sheetnames:
            errors.append(f"sheet {name} is missing")
            continue
        rows = list(islice(wb[name].iter_rows(values_only=True), MAX_ROWS + HEADER_ROW + 1))
        if len(rows) > MAX_ROWS + HEADER_ROW:
            errors.append(f"{name}: more than {MAX_ROWS} rows")
            continue
        grouped[kind] = _parse_sheet(kind, name, rows, river_name, year, county_codes, errors)
    if errors:
        raise InvalidInput(
            "the workbook does not match the four lists: " + "; ".join(errors[:20]), errors=errors
        )
    return AnnualListsIn(**grouped)


def _parse_sheet(
    kind: str,
    name: str,
    rows: list[tuple[Any, ...]],
    river_name: str,
    year: int,
    county_codes: dict[str, str],
    errors: list[str],
) -> list[ListItemIn]:
    cols = COLUMNS[kind]
    expected_title = sheet_title(river_name, year, kind)
    title = rows[0][0] if rows and rows[0] else None
    if title != expected_title:
        errors.append(
            f"{name}: title is {title!r}, expected {expected_title!r} "
            "(a workbook of another river or year?)"
        )
        return []
    headers = [
        str(v).strip() if v is not None else ""
        for v in (rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else ())
    ][: len(cols)]
    if headers != [c.header for c in cols]:
        errors.append(f"{name}: headers are {headers}, expected {[c.header for c in cols]}")
        return []
    items: list[ListItemIn] = []
    for r, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        values = list(row[: len(cols)]) + [None] * (len(cols) - len(row))
        if all(v is None or str(v).strip() == "" for v in values[1:]):
            continue
        fields: dict[str, Any] = {}
        for col, value in zip(cols, values, strict=True):
            if col.field is None:
                continue
            try:
                fields[col.field] = _CONVERT.get(col.field, _text)(value, county_codes)
            except ValueError as exc:
                errors.append(f"{name} row {r} column {col.header}: {exc}")
        try:
            items.append(ListItemIn(**fields))
        except ValidationError as exc:
            for e in exc.errors():
                errors.append(f"{name} row {r}: {e['loc'][0]}: {e['msg']}")
    return items


def _text(value: Any, _: dict[str, str]) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value: Any, _: dict[str, str]) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def _int(value: Any, _: dict[str, str]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a whole number") from exc


def _county(value: Any, codes: dict[str, str]) -> str | None:
    text = _text(value, codes)
    if text is None:
        return None
    if text not in codes:
        raise ValueError(f"{text!r} is not a county of the city")
    return codes[text]


_CONVERT: dict[str, Callable[[Any, dict[str, str]], Any]] = {
    "due_date": _date,
    "problem_id": _int,
    "county_code": _county,
}
