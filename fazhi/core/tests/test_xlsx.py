"""`core.xlsx` reads what openpyxl's read-only mode reads: every kind of cell, row gaps, rows
cut at max_row, shared strings with runs and phonetic text, inline strings, a 1904 workbook."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from fazhi.core import xlsx
from fazhi.core.io import read_sheet

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _book(epoch1904: bool = False) -> bytes:
    wb = Workbook()
    if epoch1904:
        wb.epoch = dt.datetime(1904, 1, 1)
    ws = wb.active
    ws.append(["登记日期", "数", "文字", "真假", "公式"])
    ws.append([dt.date(2025, 3, 1), 12, "张三", True, "=1+1"])
    ws.append([dt.datetime(2025, 3, 1, 8, 30), 12.5, "  前后空格  ", False, None])
    ws.append([dt.time(9, 15), Decimal("3.25"), "换行\n第二行", None, "x005F_跳过"])
    ws.append([dt.timedelta(hours=30), -7, "'=SUM(A1)", "", 1e21])
    ws.cell(row=9, column=2, value="隔了几行")
    ws.cell(row=9, column=9, value="很宽的一列")
    ws.cell(row=11, column=1, value=CellRichText(["普通", TextBlock(InlineFont(b=True), "加粗")]))
    ws.cell(row=12, column=3, value=45000)
    ws.cell(row=12, column=3).number_format = "yyyy-mm-dd"
    ws.cell(row=13, column=1, value=2958466)  # past 9999-12-31: openpyxl's #VALUE!
    ws.cell(row=13, column=1).number_format = "yyyy-mm-dd"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _patched(data: bytes, sheet: str | None = None, strings: str | None = None) -> bytes:
    """The same package with the first sheet's and/or the shared strings' XML replaced."""
    src = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if sheet is not None and info.filename == "xl/worksheets/sheet1.xml":
                body = sheet.encode()
            if strings is not None and info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", SST_TYPE.encode() + b"</Types>")
            if strings is not None and info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", SST_REL.encode() + b"</Relationships>")
            dst.writestr(info, body)
        if strings is not None:  # openpyxl writes inline strings: a shared-strings part added
            dst.writestr("xl/sharedStrings.xml", strings.encode())
    return out.getvalue()


SST_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SST_REL = (
    '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)


HAND_SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{NS}"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
<row><c t="inlineStr"><is><t>行内</t><r><t>文字</t></r><rPh sb="0" eb="1"><t>pinyin</t></rPh></is></c><c t="str"><v>公式结果</v></c><c t="e"><v>#N/A</v></c></row>
<row r="4"><c r="C4" t="b"><v>1</v></c><c r="A4" t="d"><v>2025-03-01T08:00:00</v></c><c r="B4"><v></v></c></row>
<row r="5.0"><c r="A5" t="inlineStr"><is><t/></is></c><c r="B5" t="inlineStr"/><c r="C5"><f>1+1</f><v>2</v></c></row>
<row r="6"><c r="A6" s=""><v>1.5E3</v></c><c r="B6" t="s"><v>3</v></c><c r="C6" t="s"><v>4</v></c></row>
<row r="8"><c r="B8" t="s"><v>1</v></c></row>
</sheetData></worksheet>"""

HAND_STRINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{NS}" count="5" uniqueCount="5">
<si><t>甲</t></si>
<si><t xml:space="preserve"> 乙 </t></si>
<si><r><rPr><b/></rPr><t>丙</t></r><r><t>丁</t></r></si>
<si><t>戊</t><rPh sb="0" eb="1"><t>wu</t></rPh><r><t>己</t></r></si>
<si><t>a&amp;b&lt;c x005F_x000D_</t></si>
</sst>"""


def _openpyxl(data: bytes, **kw) -> list[tuple]:
    wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    try:
        return list(wb.worksheets[0].iter_rows(values_only=True, **kw))
    finally:
        wb.close()


def _ours(data: bytes, **kw) -> list[tuple]:
    wb = xlsx.open_workbook(BytesIO(data))
    try:
        assert wb.shared_strings == load_workbook(BytesIO(data), read_only=True).shared_strings
        return list(xlsx.values(wb.worksheets[0], **kw))
    finally:
        wb.close()


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date")
@pytest.mark.parametrize(
    "data",
    [
        _book(),
        _book(epoch1904=True),
        _patched(_book(), sheet=HAND_SHEET, strings=HAND_STRINGS),
    ],
    ids=["openpyxl", "1904", "hand-written"],
)
@pytest.mark.parametrize(
    "window",
    [
        {"min_row": 1, "max_row": 1, "max_col": 200},
        {"min_row": 2, "max_row": 200_002, "max_col": 5},
        {"min_row": 2, "max_row": 4, "max_col": 3},
        {"min_row": 3, "max_row": 20, "max_col": 12},
    ],
)
def test_the_values_are_openpyxls(data, window):
    assert _ours(data, **window) == _openpyxl(data, **window)


def test_a_document_type_declaration_is_refused():
    evil = f"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "甲甲甲甲">]>
<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c>
</row></sheetData></worksheet>"""
    head, rows = None, None
    with pytest.raises(ValueError):
        head, rows = read_sheet(BytesIO(_patched(_book(), sheet=evil)))
        list(rows)


def test_read_sheet_reads_the_same_rows():
    data = _patched(_book(), sheet=HAND_SHEET, strings=HAND_STRINGS)
    head, rows = read_sheet(BytesIO(data))
    assert head == ["甲", "乙", "丙丁"]
    got = list(rows)
    want = [
        (n, list(v))
        for n, v in enumerate(_openpyxl(data, min_row=2, max_row=200_002, max_col=3), start=2)
        if not all(x is None or x == "" for x in v)
    ]
    assert got == want
