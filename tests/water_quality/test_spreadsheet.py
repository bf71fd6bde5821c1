"""Parsing the bureau's spreadsheets: headers, units, values, dates (no database)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from service.errors import UnsupportedMedia
from service.water_quality.spreadsheet import parse, parse_date

TODAY = date(2026, 3, 20)
KNOWN = {"S1", "S2"}


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


def test_headers_with_units_in_ascii_or_full_width_brackets() -> None:
    content = csv_bytes(
        "序号,断面编码,断面名称,监测日期,溶解氧（mg/L）,高锰酸盐指数(mg/L),"
        "氨氮 (mg/l),TP,pH(无量纲)",
        "1,S1,甲,2026-02-05,5.5,4.5,1.2,0.15,7.4",
    )
    parsed = parse("a.csv", content, KNOWN, TODAY, 100)
    assert parsed.bad == []
    (row,) = parsed.rows
    assert row.row == 2 and row.section_code == "S1" and row.sampled_on == date(2026, 2, 5)
    assert row.values == {"do": 5.5, "codmn": 4.5, "nh3n": 1.2, "tp": 0.15, "ph": 7.4}
    assert row.kind == "monthly"


def test_every_fault_has_its_row_number_and_reason() -> None:
    content = csv_bytes(
        "断面编码,监测日期,溶解氧(μg/L),氨氮(mg/L),总磷(mg/L),粪大肠菌群",
        "S1,2026-01-05,8,0.2,0.05,100",  # row 2: good
        "S9,2026-01-05,8,0.2,0.05,100",  # row 3: unknown section
        "S1,2026-02-05,8,-0.2,0.05,100",  # row 4: negative
        "S2,2026-04-05,8,0.2,0.05,100",  # row 5: a month in the future
        "S2,2026-03-25,8,0.2,0.05,100",  # row 6: after today
        "S2,2026-02-30,8,0.2,abc,100",  # row 7: no such day; not a number
        "S1,2026-01-05,8,0.3,0.05,100",  # row 8: repeats row 2
    )
    parsed = parse("a.csv", content, KNOWN, TODAY, 100)
    got = {(b.row, b.code) for b in parsed.bad}
    assert got == {
        (1, "unknown_unit"),  # 溶解氧 in μg/L
        (1, "unknown_parameter"),  # 粪大肠菌群
        (3, "unknown_section"),
        (4, "negative_value"),
        (5, "future_date"),
        (6, "future_date"),
        (7, "invalid_date"),
        (7, "invalid_value"),
        (8, "duplicate_row"),
    }
    reasons = {b.row: b.reason for b in parsed.bad if b.row > 1}
    assert "S9" in reasons[3] and "2026-04 is in the future" in reasons[5]
    assert [r.row for r in parsed.rows] == [2]


def test_below_detection_limit_is_half_the_limit() -> None:
    content = csv_bytes("断面编码,监测日期,氨氮,总磷", "S1,2026年2月,0.025L,<0.01")
    (row,) = parse("a.csv", content, KNOWN, TODAY, 100).rows
    assert row.sampled_on == date(2026, 2, 1)  # a month: its first day
    assert row.values == {"nh3n": 0.0125, "tp": 0.005}
    assert row.below_detection == ("nh3n", "tp")


def test_xlsx_with_date_cells_and_gb18030_csv() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["断面编码", "监测日期", "溶解氧(mg/L)", "总磷(mg/L)"])
    ws.append(["S2", date(2026, 3, 1), 6.5, 0.08])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse("x.xlsx", buf.getvalue(), KNOWN, TODAY, 100)
    assert parsed.file_format == "xlsx" and parsed.rows[0].values == {"do": 6.5, "tp": 0.08}
    gbk = "断面编码,监测日期,溶解氧\nS1,2026/3/2,7\n".encode("gb18030")
    assert parse("g.csv", gbk, KNOWN, TODAY, 100).rows[0].sampled_on == date(2026, 3, 2)


def test_row_limit_and_missing_columns() -> None:
    rows = ["断面编码,监测日期,溶解氧"] + [f"S1,2026-01-{d:02d},7" for d in range(1, 6)]
    parsed = parse("a.csv", csv_bytes(*rows), KNOWN, TODAY, 3)
    assert [(b.row, b.code) for b in parsed.bad] == [(5, "too_many_rows")]
    missing = parse("a.csv", csv_bytes("断面编码,溶解氧", "S1,7"), KNOWN, TODAY, 3)
    assert [(b.row, b.code) for b in missing.bad] == [(1, "missing_column")]


def test_old_xls_is_refused_as_a_format() -> None:
    with pytest.raises(UnsupportedMedia):
        parse("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, KNOWN, TODAY, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-05", date(2026, 3, 5)),
        ("2026/3/5", date(2026, 3, 5)),
        ("2026.03.05", date(2026, 3, 5)),
        ("2026年3月5日", date(2026, 3, 5)),
        ("2026-03", date(2026, 3, 1)),
        ("2026年3月", date(2026, 3, 1)),
        ("2026-13-01", None),
        ("45717", None),
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected
