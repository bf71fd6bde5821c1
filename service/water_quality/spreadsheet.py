"""Read the environment bureau's readings spreadsheets (CSV or XLSX) into domain rows.

Layout: one header row (row 1) in Chinese, then one row per sample. Columns:

- 断面编码 (section code) and 监测日期 (sampling day, or a month ``2026-03`` for a monthly
  value), both required; 监测类型 optional (例行/月度 = monthly, 加密/临时/应急 = ad hoc);
- parameters by their GB 3838 names (or the usual abbreviations): 溶解氧, 高锰酸盐指数,
  化学需氧量, 五日生化需氧量, 氨氮, 总磷, 总氮, pH. A header may carry its unit in brackets,
  ``溶解氧(mg/L)`` or ``溶解氧（mg/L）``; mg/L only (pH: none or 无量纲);
- informational columns that are read past: 序号, 断面名称, 河流名称, 所在区县, 备注 and the
  bureau's own 水质类别/目标类别 (the class is computed here, from the values).

A value ``0.01L`` or ``<0.01`` is below the detection limit 0.01 and is kept as half of it (the
评价办法's convention for means). An empty cell, ``-``, ``—`` or ``/`` is "not measured".

Parsing yields :class:`ParsedRow` s and :class:`BadRow` s (row number, column, code, reason);
nothing here touches the database, so the caller decides what a file may write.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from openpyxl import load_workbook

from service.bounds import EARLIEST_DAY, LATEST_DAY
from service.errors import BadRequest, UnsupportedMedia
from service.security.uploads import check_zip_expansion
from service.water_quality.standard import BY_CODE, PARAMETERS

#: Sampling days are bounded (service.bounds, and to today): a year 20260 is a typing mistake.
EARLIEST, LATEST = EARLIEST_DAY, LATEST_DAY
CODE_HEADER, DATE_HEADER, KIND_HEADER = "断面编码", "监测日期", "监测类型"
HEADER_ALIASES = {
    "断面编码": CODE_HEADER,
    "断面代码": CODE_HEADER,
    "监测日期": DATE_HEADER,
    "采样日期": DATE_HEADER,
    "监测时间": DATE_HEADER,
    "采样时间": DATE_HEADER,
    "监测类型": KIND_HEADER,
}
INFORMATIONAL = frozenset(
    {"序号", "断面名称", "河流名称", "河流", "所在区县", "所属区县", "备注", "水质类别", "目标类别"}
)
MG_PER_L = frozenset({"mg/l", "毫克/升", "mg·l-1", "mg·l⁻¹"})
UNITLESS = frozenset({"", "无量纲", "无单位", "-"})
NOT_MEASURED = frozenset({"", "-", "—", "－", "/", "--"})
KINDS = {
    "": "monthly",
    "monthly": "monthly",
    "例行": "monthly",
    "例行监测": "monthly",
    "月度": "monthly",
    "常规": "monthly",
    "adhoc": "adhoc",
    "加密": "adhoc",
    "加密监测": "adhoc",
    "临时": "adhoc",
    "应急": "adhoc",
    "应急监测": "adhoc",
}
_HEADER = re.compile(r"^(?P<name>[^()]*?)\s*(?:\((?P<unit>[^()]*)\))?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?$")
_BY_NAME: dict[str, str] = {}
for _p in PARAMETERS:
    for _n in (_p.name, *_p.aliases):
        _BY_NAME[_n.lower()] = _p.code


@dataclass(frozen=True)
class BadRow:
    row: int
    column: str | None
    code: str
    reason: str


@dataclass(frozen=True)
class ParsedRow:
    """One good data row: ``values`` parameter code -> mg/L (pH unitless)."""

    row: int
    section_code: str
    sampled_on: date
    kind: str
    values: dict[str, float]
    below_detection: tuple[str, ...]


@dataclass(frozen=True)
class Parsed:
    file_format: str
    rows: list[ParsedRow]
    bad: list[BadRow]


def _table(filename: str, content: bytes, limit: int) -> tuple[str, Iterator[list[Any]]]:
    """(format, the rows' cells), at most ``limit`` rows; 415 for a format not read here."""
    if content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise BadRequest("not an XLSX workbook (expected a zip container)")
        check_zip_expansion(content, what="workbook")
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = wb.worksheets[0]
        except Exception as exc:  # openpyxl raises many types for broken files
            raise BadRequest(f"cannot read the workbook: {exc}") from exc
        return "xlsx", (list(r) for r in islice(sheet.iter_rows(values_only=True), limit))
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or filename.lower().endswith(".xls"):
        raise UnsupportedMedia("old Excel .xls files are not read: save as .xlsx or CSV")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BadRequest("the CSV is neither UTF-8 nor GB18030 text")
    if "\x00" in text:
        raise UnsupportedMedia("not a CSV or XLSX file")
    return "csv", islice(csv.reader(io.StringIO(text)), limit)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _norm(text: str) -> str:
    return text.replace("（", "(").replace("）", ")").replace("　", " ").strip()


def parse_header(cells: list[Any]) -> tuple[dict[int, str], list[BadRow]]:
    """Column index -> what it holds (a parameter code or a fixed header), and header faults
    (reported as row 1)."""
    columns: dict[int, str] = {}
    bad: list[BadRow] = []
    for i, raw in enumerate(cells):
        text = _norm(_cell_text(raw))
        if not text:
            continue
        m = _HEADER.match(text)
        name, unit = (m["name"].strip(), m["unit"]) if m else (text, None)
        if name in HEADER_ALIASES and unit is None:
            what = HEADER_ALIASES[name]
        elif name in INFORMATIONAL:
            continue
        elif name.lower() in _BY_NAME:
            what = _BY_NAME[name.lower()]
            ok = UNITLESS if what == "ph" else MG_PER_L
            if unit is not None and unit.strip().lower().replace(" ", "") not in ok:
                expected = "no unit" if what == "ph" else "mg/L"
                bad.append(
                    BadRow(
                        1, text, "unknown_unit", f"unit {unit.strip()!r} of {name}: use {expected}"
                    )
                )
                continue
        else:
            bad.append(
                BadRow(1, text, "unknown_parameter", f"unknown column or parameter {text!r}")
            )
            continue
        if what in columns.values():
            bad.append(BadRow(1, text, "duplicate_column", f"{text!r} repeats another column"))
            continue
        columns[i] = what
    for required in (CODE_HEADER, DATE_HEADER):
        if required not in columns.values():
            bad.append(BadRow(1, required, "missing_column", f"column {required} is missing"))
    if not any(c in BY_CODE for c in columns.values()):
        bad.append(BadRow(1, None, "no_parameters", "no parameter columns"))
    return columns, bad


def parse_date(value: Any) -> date | None:
    """A sampling day: a date cell, ``2026-03-05``, ``2026/3/5``, ``2026年3月5日``, or a month
    (``2026-03``, ``2026年3月``: its first day); None when unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE.match(_cell_text(value))
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3] or 1))
    except ValueError:
        return None


def date_fault(day: date, today: date) -> tuple[str, str] | None:
    """(code, reason) when a sampling day cannot be right: before 2000 or in the future."""
    if day < EARLIEST:
        return "date_out_of_range", f"{day} is before {EARLIEST}"
    if (day.year, day.month) > (today.year, today.month):
        return "future_date", f"month {day:%Y-%m} is in the future"
    if day > today:
        return "future_date", f"{day} is after today ({today})"
    return None


def parse_value(code: str, raw: Any) -> tuple[float | None, bool, str | None]:
    """(value, below detection limit, fault) of one cell of parameter ``code``."""
    if isinstance(raw, bool):
        return None, False, "not a number"
    below = False
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = _cell_text(raw).replace(" ", "")
        if text in NOT_MEASURED:
            return None, False, None
        if text[-1:] in ("L", "l") or text[:1] == "<":
            below, text = True, text.strip("<Ll")
        try:
            value = float(text)
        except ValueError:
            return None, False, f"{_cell_text(raw)!r} is not a number"
    if not math.isfinite(value):
        return None, False, f"{_cell_text(raw)!r} is not a number"
    if value < 0:
        return None, False, "negative"
    info = BY_CODE[code]
    if value > info.max_plausible:
        return None, False, f"{value:g} is above the plausible {info.max_plausible:g}"
    return (value / 2 if below else value), below, None


def _row(
    r: int, cells: list[Any], columns: dict[int, str], known: Collection[str], today: date
) -> ParsedRow | list[BadRow]:
    got = {what: cells[i] if i < len(cells) else None for i, what in columns.items()}
    bad: list[BadRow] = []
    code = _cell_text(got.get(CODE_HEADER))
    if not code:
        bad.append(BadRow(r, CODE_HEADER, "missing_value", "no section code"))
    elif code not in known:
        bad.append(BadRow(r, CODE_HEADER, "unknown_section", f"unknown section code {code!r}"))
    day = parse_date(got.get(DATE_HEADER))
    raw_day = _cell_text(got.get(DATE_HEADER))
    if day is None:
        reason = f"{raw_day!r} is not a date (YYYY-MM-DD or YYYY-MM)" if raw_day else "no date"
        bad.append(BadRow(r, DATE_HEADER, "invalid_date", reason))
    elif (day_fault := date_fault(day, today)) is not None:
        bad.append(BadRow(r, DATE_HEADER, *day_fault))
    kind = KINDS.get(_cell_text(got.get(KIND_HEADER)).lower())
    if kind is None:
        bad.append(
            BadRow(
                r,
                KIND_HEADER,
                "invalid_kind",
                f"{_cell_text(got.get(KIND_HEADER))!r}: "
                "use 例行 (monthly) or 加密/临时/应急 (ad hoc)",
            )
        )
    values: dict[str, float] = {}
    below: list[str] = []
    for what, raw in got.items():
        if what not in BY_CODE:
            continue
        value, is_below, fault = parse_value(what, raw)
        name = BY_CODE[what].name
        if fault == "negative":
            bad.append(BadRow(r, name, "negative_value", f"{name} is negative ({_cell_text(raw)})"))
        elif fault is not None:
            bad.append(BadRow(r, name, "invalid_value", f"{name}: {fault}"))
        elif value is not None:
            values[what] = value
            if is_below:
                below.append(what)
    if not values and not any(b.code in ("negative_value", "invalid_value") for b in bad):
        bad.append(BadRow(r, None, "no_values", "no parameter value in the row"))
    if bad:
        return bad
    assert day is not None and kind is not None
    return ParsedRow(r, code, day, kind, values, tuple(below))


def parse(
    filename: str, content: bytes, known_codes: Collection[str], today: date, max_rows: int
) -> Parsed:
    """Every good row and every bad one (header faults as row 1); at most ``max_rows`` data
    rows (more is one bad row naming the limit)."""
    file_format, table = _table(filename, content, max_rows + 2)
    header = next(table, None)
    if header is None:
        return Parsed(file_format, [], [BadRow(1, None, "empty_file", "the file has no rows")])
    columns, bad = parse_header(header)
    held = set(columns.values())
    readable = {CODE_HEADER, DATE_HEADER} <= held and any(c in BY_CODE for c in held)
    rows: list[ParsedRow] = []
    seen: dict[tuple[str, date], int] = {}
    for r, cells in enumerate(table, start=2):
        if r > max_rows + 1:
            bad.append(BadRow(r, None, "too_many_rows", f"more than {max_rows} data rows"))
            break
        if all(_cell_text(c) == "" for c in cells):
            continue
        if not readable:
            continue  # no code, date or parameter column: the header's faults say it all
        result = _row(r, cells, columns, known_codes, today)
        if isinstance(result, list):
            bad.extend(result)
            continue
        key = (result.section_code, result.sampled_on)
        if key in seen:
            bad.append(
                BadRow(r, None, "duplicate_row", f"repeats row {seen[key]} (same section and day)")
            )
            continue
        seen[key] = r
        rows.append(result)
    return Parsed(file_format, rows, bad)
