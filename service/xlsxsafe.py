"""Workbooks the service writes keep text as text: never a formula (issue 14).

openpyxl stores a string that starts with ``=`` as a formula, so ``=HYPERLINK(...)`` typed
by a liaison unit into an annual list became a live link in the county's download; and
spreadsheet programs re-read cells starting with ``+``, ``-``, ``@``, a tab or a carriage
return as formulas when someone edits them. :func:`save` walks every cell before saving:
strings become string cells (``t="inlineStr"``), those starting with one of those
characters also get Excel's quote prefix (what a leading apostrophe sets), so editing them
keeps them text. Numbers, dates and booleans stay what they are. The text itself is not
changed, so a workbook exported and imported back gives the same data.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

#: First characters that make a spreadsheet program read text as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_safe(cell: Cell) -> None:
    """Make a cell holding text a string cell (never a formula)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_START):
            cell.quotePrefix = True


def save(wb: Workbook) -> bytes:
    """The workbook as bytes, every text cell made safe first (this service writes no
    formulas of its own)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell, Cell):
                    text_safe(cell)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
