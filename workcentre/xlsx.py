"""Workbooks people open in Excel or LibreOffice: readable, and never a formula from text."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .hygiene import clean_text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def sheet(workbook: Workbook, title: str) -> Worksheet:
    """A sheet with a legal, unique name (Excel allows 31 characters and no []:*?/\\)."""
    base = clean_text(title).translate(SHEET_NAME_FORBIDDEN).strip()[:31] or "Sheet"
    name, n = base, 2
    while name in workbook.sheetnames:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return workbook.create_sheet(name)


def write_row(ws: Worksheet, row: int, values: list[Any], *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column)
        # Control characters are illegal in a workbook: old data must not break an export.
        cell.value = clean_text(value)
        if isinstance(value, str):
            # Text stays text: "=HYPERLINK(...)" typed into a form must never run as a formula.
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))


def table(ws: Worksheet, header: list[str], rows: list[list[Any]],
          widths: list[int] | None = None) -> None:
    """A header row (frozen, bold) and the rows below it, with readable column widths."""
    write_row(ws, 1, header, bold=True)
    for n, values in enumerate(rows, start=2):
        write_row(ws, n, values)
    ws.freeze_panes = "B2"
    for column in range(1, len(header) + 1):
        longest = max([len(str(header[column - 1]))]
                      + [len(str(r[column - 1])) for r in rows if r[column - 1] is not None])
        width = widths[column - 1] if widths else min(max(10, longest + 2), 45)
        ws.column_dimensions[get_column_letter(column)].width = width


def to_bytes(workbook: Workbook) -> bytes:
    properties = workbook.properties
    for name in ("title", "subject", "creator", "description", "keywords"):
        setattr(properties, name, clean_text(getattr(properties, name)))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
