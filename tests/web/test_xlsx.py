"""Workbooks we write: text stays text, sheet names are legal and unique, headers frozen."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from workcentre.xlsx import new_workbook, sheet, table, to_bytes

DANGEROUS = ['=HYPERLINK("http://evil.example","klikkaa")', "+1+1", "-2+3", "@SUM(A1)",
             "\t=1", "=cmd|' /C calc'!A0"]


def test_text_that_looks_like_a_formula_is_written_as_text():
    workbook = new_workbook()
    table(sheet(workbook, "Nimet"), ["Nimi", "Määrä"], [[text, 3] for text in DANGEROUS])
    data = to_bytes(workbook)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula element anywhere
    ws = load_workbook(io.BytesIO(data)).active
    assert [ws.cell(row=n + 2, column=1).value for n in range(len(DANGEROUS))] == DANGEROUS
    assert all(ws.cell(row=n + 2, column=1).data_type == "s" for n in range(len(DANGEROUS)))
    assert ws.cell(row=2, column=2).value == 3 and ws.freeze_panes == "B2"


def test_sheet_names_are_made_legal_and_unique():
    workbook = new_workbook()
    names = [sheet(workbook, title).title for title in
             ["Pakkaamo/Halli [1]", "Pakkaamo/Halli [1]", "x" * 40, ""]]
    assert names[0] == "Pakkaamo Halli  1" and names[1] == "Pakkaamo Halli  1 (2)"
    assert len(names[2]) == 31 and names[3] == "Sheet"
    assert len(set(names)) == 4
