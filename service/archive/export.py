"""The river archive as a workbook (XLSX, through ``service.xlsxsafe``) and as an A4 print
view (HTML with print CSS)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Font

from service import xlsxsafe
from service.archive.schemas import ArchiveOut

LEVELS = {"city": "市级", "county": "县级", "township": "乡级", "village": "村级"}
CLASSES = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ"}

_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def basic_rows(a: ArchiveOut) -> list[tuple[str, object]]:
    """The archive's single-valued fields, labelled (zh-CN), in MWR's order."""

    def km(v: float | None) -> object:
        return v if v is not None else "—"

    return [
        ("河流编码", a.code or "—"),
        ("河流名称", a.name),
        ("河流等级", a.river_level or "—"),
        ("河流类别", a.river_class),
        ("所属流域", a.basin or "—"),
        ("河源", a.source or "—"),
        ("河口", a.mouth or "—"),
        ("河流长度（km）", km(a.total_length_km)),
        ("市内长度（km）", a.length_in_city_km),
        ("流域面积（km²）", km(a.catchment_area_km2)),
        ("流经县（市、区）", "、".join(c.name for c in a.counties) or "—"),
        ("流经乡镇（街道）", "、".join(t.name for t in a.townships) or "—"),
        ("主要问题", "；".join(a.main_problems) or "—"),
        ("备注", a.note or ""),
        ("档案日期", a.on.isoformat()),
    ]


def _sheet(wb: Workbook, title: str, header: list[str], rows: Sequence[Sequence[object]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)


def archive_xlsx(a: ArchiveOut) -> bytes:
    """One workbook: 基本信息, 河段与河长, 流经地区, 监测断面, 水功能区, 问题, 方案与清单."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "基本信息"
    for label, value in basic_rows(a):
        ws.append([label, value])
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 60
    _sheet(
        wb,
        "河段与河长",
        ["层级", "河段编码", "河段名称", "行政区", "长度（km）", "河长", "职务"],
        [
            [
                LEVELS.get(r.level, r.level),
                r.code,
                r.name,
                r.admin_name,
                r.length_km,
                "、".join(c.name for c in r.chiefs),
                "；".join(c.title or "" for c in r.chiefs),
            ]
            for r in a.reaches
        ],
    )
    _sheet(
        wb,
        "流经地区",
        ["类别", "代码", "名称", "河长（km）"],
        [["县（市、区）", c.code, c.name, c.length_km] for c in a.counties]
        + [["乡镇（街道）", t.code, t.name, t.length_km] for t in a.townships],
    )
    _sheet(
        wb,
        "监测断面",
        ["编码", "名称", "类型", "目标水质", "里程（km）"],
        [
            [s.code, s.name, s.kind, CLASSES.get(s.target_class, ""), s.measure_km]
            for s in a.sections
        ],
    )
    _sheet(
        wb,
        "水功能区",
        ["名称", "类型", "起始", "终止", "长度（km）", "水质目标"],
        [
            [z.name, z.kind, z.start, z.end, z.length_km, CLASSES.get(z.target_class or 0, "")]
            for z in a.water_function_zones
        ],
    )
    _sheet(
        wb,
        "问题",
        ["类别", "未办结问题点位"],
        [[p.label, p.open] for p in a.open_problems],
    )
    plans: list[list[object]] = [
        ["一河一策", f"{p.period_start}-{p.period_end}", p.title, p.state, "", "", "", ""]
        for p in a.plans
    ]
    lists: list[list[object]] = [
        [
            "四张清单",
            str(x.year),
            f"{x.year}年度四张清单",
            x.state,
            x.targets,
            x.problems,
            x.tasks,
            x.responsibilities,
        ]
        for x in a.annual_lists
    ]
    header = ["类别", "年度", "名称", "状态", "目标", "问题", "任务", "责任"]
    _sheet(wb, "方案与清单", header, plans + lists)
    return xlsxsafe.save(wb)


def archive_html(a: ArchiveOut) -> str:
    """The archive as one HTML page to print on A4 (``@page { size: A4 }``)."""
    return _env.get_template("print.html").render(
        a=a, basic=basic_rows(a), levels=LEVELS, classes=CLASSES
    )
