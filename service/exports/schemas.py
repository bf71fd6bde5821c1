"""API shapes of exports: the table a browser shows, to be written as XLSX."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from service.inputs import InputModel

#: Bounds of a table export: what one screen's table may reasonably hold.
MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_CELLS = 300_000
MAX_CELL_CHARS = 4000

CellText = Annotated[str, Field(max_length=MAX_CELL_CHARS)]
Cell = bool | int | float | CellText | None


class TableColumn(InputModel):
    """One column: ``type`` says how cells are written (text as string cells, numbers as
    numbers, dates as dates)."""

    key: str = Field(min_length=1, max_length=64)
    label: str = Field(min_length=1, max_length=200)
    type: Literal["text", "number", "date"] = "text"


class TableIn(InputModel):
    """``POST /exports/table.xlsx``: the columns and rows a table shows, in that order."""

    title: str = Field(min_length=1, max_length=100)
    columns: list[TableColumn] = Field(min_length=1, max_length=MAX_COLUMNS)
    rows: list[list[Cell]] = Field(max_length=MAX_ROWS)

    @model_validator(mode="after")
    def _shape(self) -> TableIn:
        width = len(self.columns)
        for i, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"rows.{i} has {len(row)} cells; there are {width} columns")
        if width * len(self.rows) > MAX_CELLS:
            raise ValueError(f"more than {MAX_CELLS} cells")
        return self
