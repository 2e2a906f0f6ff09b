"""render_docx escapes data: `&` and `<` in a record never corrupt the document."""

from __future__ import annotations

import zipfile
from io import BytesIO
from xml.etree import ElementTree

import docx
import pytest
from jinja2 import UndefinedError

from fazhi.core.docx import render_docx


@pytest.fixture
def template(tmp_path):
    document = docx.Document()
    document.add_heading("{{ title }}", level=1)
    document.add_paragraph("当事人：{{ party }}")
    document.add_paragraph("{% for item in items %}{{ item }}；{% endfor %}")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "事由"
    table.cell(0, 1).text = "{{ reason }}"
    path = tmp_path / "notice_v1.docx"
    document.save(path)
    return path


def text_of(data: bytes) -> str:
    reopened = docx.Document(BytesIO(data))
    paragraphs = [p.text for p in reopened.paragraphs]
    cells = [c.text for row in reopened.tables[0].rows for c in row.cells]
    return "\n".join(paragraphs + cells)


def test_ampersand_and_angle_brackets_give_a_valid_document(template):
    data = render_docx(
        template,
        {
            "title": "关于A&B公司<违法建设>的告知书",
            "party": "张三 & 李四 <代理人：王五>",
            "items": ["a < b", "c > d", "\"引号\" & 'single'"],
            "reason": "未批先建 & 拒不整改 <情节严重>",
        },
    )
    assert data[:2] == b"PK"
    with zipfile.ZipFile(BytesIO(data)) as package:  # strict XML: no recovery from bad markup
        ElementTree.fromstring(package.read("word/document.xml"))  # noqa: S314 (our own output)
    text = text_of(data)
    assert "关于A&B公司<违法建设>的告知书" in text
    assert "当事人：张三 & 李四 <代理人：王五>" in text
    assert "a < b；c > d；\"引号\" & 'single'；" in text
    assert "未批先建 & 拒不整改 <情节严重>" in text


def test_missing_data_is_an_error_not_a_gap(template):
    with pytest.raises(UndefinedError):
        render_docx(template, {"title": "标题", "items": []})


def test_lenient_rendering_when_asked(template):
    data = render_docx(template, {"title": "标题", "items": []}, strict=False)
    assert "当事人：" in text_of(data)
