"""The .docx writer copies template paragraphs and rows instead of formatting each paragraph, run
and cell through python-docx's objects (bench/bench_report.py); the document must be the one
python-docx writes, element for element. The reference below is the writer as it was."""

import io
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from fazhi.core.docx import page_number_footer
from fazhi.reports import annual, output
from fazhi.reports.output import _para, font_for, font_note

YEAR = 2025


def reference_docx(r) -> bytes:
    """The report written through python-docx's objects, paragraph by paragraph, cell by cell."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    page_number_footer(section, font_for("body")[0])
    _para(doc, r.title, "title", 22, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "", "body", 16, indent=False)
    for p in r.paragraphs:
        role = {1: "h1", 2: "h2"}.get(p["level"], "body")
        _para(doc, p["text"], role, 16, indent=True)
    _para(doc, "", "body", 16, indent=False)
    for line in r.signature:
        _para(doc, line, "body", 16, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.add_page_break()
    _para(doc, "附件：数据来源", "h1", 16, indent=False)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, head in zip(
        table.rows[0].cells, ["数据", "指标", "数值", "分子/分母", "计算时间"], strict=True
    ):
        cell.text = head
    for f in r.figures:
        counts = f"{f['numerator']}/{f['denominator']}" if f.get("kind") == "rate" else "—"
        row = table.add_row().cells
        row[0].text = f.get("phrase") or f["label"]
        row[1].text = f"{f['label']}（{f['code']}）"
        row[2].text = f"{f['display']}（{f.get('status_label', '')}）"
        row[3].text = counts
        row[4].text = str(f.get("computed_at", ""))
    note = font_note()
    if r.version is not None:
        note += (
            f"。第{r.version.number}版，签发人：{r.version.signed_by}，SHA-256：{r.version.sha256}"
        )
    _para(doc, note, "body", 10.5, indent=False)
    doc.core_properties.title = r.title
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    # docProps/core.xml carries the time of writing
    return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


@pytest.mark.django_db
def test_docx_is_the_python_docx_document(cast):
    r = annual.preview(cast.a, YEAR)
    assert len(r.figures) > 20 and len(r.paragraphs) > 10
    # text python-docx treats specially: tabs and line breaks, edge spaces, XML's own characters
    r.paragraphs[3]["text"] = " 前有空格\t制表符\n换行\r回车 <标签> & “引号” 后有空格 "
    r.paragraphs[4]["text"] = ""
    r.figures[0]["label"] = "a&b<c>\td"
    r.signature = [*r.signature, "  ", "\t"]
    fast, slow = parts(output.to_docx(r)), parts(reference_docx(r))
    assert fast.keys() == slow.keys()
    for name in fast:
        assert fast[name] == slow[name], name
    body = fast["word/document.xml"].decode()
    assert "前有空格" in body and "&lt;标签&gt; &amp;" in body and "a&amp;b&lt;c&gt;" in body
    assert body.count("<w:tr>") == len(r.figures) + 1
