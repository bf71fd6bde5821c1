"""A signboard's QR code (PNG, segno) and printable board (PDF, reportlab).

Why reportlab with WenQuanYi Zen Hei: reportlab embeds TrueType fonts only, as a subset of
the glyphs used, so a board's PDF carries its Chinese text and prints the same on any
printer; Debian's ``fonts-wqy-zenhei`` is TrueType (Noto CJK is OpenType/CFF, which
reportlab cannot embed). WeasyPrint would embed either but pulls in Pango, cairo and
GObject; reportlab is one pure-Python wheel (docs/signboards.md).
"""

from __future__ import annotations

import io
from functools import lru_cache

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from service.errors import ServiceBusy
from service.settings import get_settings
from service.signboards.schemas import BoardContent, Paper

FONT = "WenQuanYiZenHei"
PAGES = {"A4": A4, "A3": A3}


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """The QR code of ``url`` as a PNG (error correction M, quiet zone of 4 modules)."""
    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()


@lru_cache(maxsize=1)
def _register_font(path: str) -> str:
    try:
        pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
    except Exception as exc:  # a missing or unreadable font file: say which and how to fix
        raise ServiceBusy(
            f"the signboard font {path} cannot be read ({exc}); install fonts-wqy-zenhei "
            "or set RIVERCHIEF_SIGNBOARD_FONT_PATH to a TrueType font",
            code="signboard_font_missing",
        ) from exc
    return FONT


def _styles(k: float) -> dict[str, ParagraphStyle]:
    """Paragraph styles scaled by ``k`` (1 on A4, √2 on A3); CJK line breaking."""
    base = ParagraphStyle("base", fontName=FONT, fontSize=13 * k, leading=18 * k, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontSize=34 * k,
            leading=42 * k,
            alignment=TA_CENTER,
            textColor=colors.white,
        ),
        "river": ParagraphStyle(
            "river", parent=base, fontSize=22 * k, leading=30 * k, alignment=TA_CENTER
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=12 * k, leading=16 * k),
        "phone": ParagraphStyle(
            "phone", parent=base, fontSize=18 * k, leading=24 * k, alignment=TA_CENTER
        ),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=10 * k, leading=14 * k, alignment=TA_CENTER
        ),
    }


def board_pdf(content: BoardContent, number: str, paper: Paper) -> bytes:
    """The printable board: title, river and reach, its ends, the chiefs at every level with
    their titles, the supervision phone and the QR code of its public page."""
    _register_font(str(get_settings().signboard_font_path))
    size = PAGES[paper]
    k = size[0] / A4[0]
    s = _styles(k)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=size,
        leftMargin=15 * mm * k,
        rightMargin=15 * mm * k,
        topMargin=12 * mm * k,
        bottomMargin=12 * mm * k,
        title=f"河长公示牌 {content.reach_name}",
        author="乐山市河长制办公室",
    )
    width = size[0] - 30 * mm * k
    banner = Table([[Paragraph("河长公示牌", s["title"])]], colWidths=[width])
    banner.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#1f4e79")),
                ("TOPPADDING", (0, 0), (-1, -1), 8 * k),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10 * k),
            ]
        )
    )
    facts = Table(
        [
            [Paragraph(label, s["cell"]), Paragraph(value, s["cell"])]
            for label, value in (
                ("河流名称", content.river),
                ("河段名称", content.reach_name),
                ("河段编码", content.reach_code),
                ("河段起点", content.start),
                ("河段终点", content.end),
                ("河段长度", f"{content.length_km:.2f} km"),
            )
        ],
        colWidths=[28 * mm * k, width - 28 * mm * k],
    )
    grid = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#1f4e79")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef3f8")),
    ]
    facts.setStyle(TableStyle(grid))
    chief_rows = [[Paragraph(t, s["cell"]) for t in ("层级", "姓名", "职务", "负责河段")]] + [
        [
            Paragraph(c.level_label, s["cell"]),
            Paragraph(c.name, s["cell"]),
            Paragraph(c.title or "", s["cell"]),
            Paragraph(c.reach_name, s["cell"]),
        ]
        for c in content.chiefs
    ]
    chiefs = Table(
        chief_rows,
        colWidths=[w * mm * k for w in (24, 24, 80)] + [width - 128 * mm * k],
        repeatRows=1,
    )
    chiefs.setStyle(
        TableStyle([*grid, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f8"))])
    )
    qr = Image(io.BytesIO(qr_png(content.url)), width=48 * mm * k, height=48 * mm * k)
    story = [
        banner,
        Spacer(1, 6 * k),
        Paragraph(f"{content.river} · {content.reach_name}", s["river"]),
        Spacer(1, 4 * k),
        facts,
        Spacer(1, 8 * k),
        chiefs,
        Spacer(1, 8 * k),
        Paragraph(f"监督电话：{content.phone}", s["phone"]),
        Spacer(1, 4 * k),
        qr,
        Paragraph("扫码查看河段河长、巡河情况，一键举报河湖问题", s["small"]),
        Paragraph(f"{content.url} · 编号 {number}", s["small"]),
    ]
    doc.build(story)
    return buf.getvalue()
