"""Reading reports: UTF-8, GBK/GB18030, UTF-16, .docx (with tables), and refusing what is not a report."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.reports.checker import UnreadableReport, check_file, decode_bytes, docx_text, read_report

TEXT = (
    "甲镇2025年法治政府建设工作报告\n一、主要举措和成效\n全镇排查矛盾纠纷58件，调解成功率100%。\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_decode_bytes_in_common_encodings(encoding: str) -> None:
    assert decode_bytes(TEXT.encode(encoding)) == TEXT


def test_decode_gb18030_only_characters() -> None:
    text = TEXT + "䶮镕\n"  # outside GB2312
    assert decode_bytes(text.encode("gb18030")) == text


def test_decode_normalises_line_endings() -> None:
    assert decode_bytes(TEXT.replace("\n", "\r\n").encode("utf-8")) == TEXT


def _docx(path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("甲镇2025年法治政府建设工作报告")
    doc.add_paragraph("一、主要举措和成效")
    doc.add_paragraph("全镇排查矛盾纠纷58件，调解成功率100%。")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "项目"
    table.cell(0, 1).text = "数量"
    table.cell(1, 0).text = "普法活动"
    table.cell(1, 1).text = "开展普法活动12场"
    merged = doc.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "合并的单元格"
    doc.add_paragraph("二、存在的不足和原因")
    out = path / "report.docx"
    doc.save(str(out))
    return out


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    path = _docx(tmp_path)
    text = docx_text(path.read_bytes())
    assert text.split("\n") == [
        "甲镇2025年法治政府建设工作报告",
        "一、主要举措和成效",
        "全镇排查矛盾纠纷58件，调解成功率100%。",
        "项目",
        "数量",
        "普法活动",
        "开展普法活动12场",
        "合并的单元格",
        "二、存在的不足和原因",
    ]
    assert read_report(path) == text


def test_check_file_dispatches_on_content(tmp_path: Path) -> None:
    docx_path = _docx(tmp_path)
    renamed = tmp_path / "report.bin"
    renamed.write_bytes(docx_path.read_bytes())
    result = check_file(renamed)
    assert result.title == "甲镇2025年法治政府建设工作报告"
    assert [c.raw for c in result.claims] == ["58件", "100%", "12场"]
    assert result.source == str(renamed)

    gbk = tmp_path / "report.txt"
    gbk.write_bytes(TEXT.encode("gbk"))
    assert check_file(gbk).text == TEXT


def test_old_doc_and_binary_files_are_refused(tmp_path: Path) -> None:
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(UnreadableReport, match="不支持旧版"):
        read_report(doc)
    blob = tmp_path / "image.png"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(UnreadableReport, match="不是文本"):
        read_report(blob)


def test_damaged_docx_is_refused(tmp_path: Path) -> None:
    import zipfile

    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("word/document.xml", "<not-xml")
    with pytest.raises(UnreadableReport, match="无法读取"):
        read_report(bad)


def test_file_named_docx_that_is_not_one_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "report.docx"
    fake.write_bytes(b"PK\x03\x04 not really a docx")
    with pytest.raises(UnreadableReport, match="已损坏"):
        read_report(fake)
