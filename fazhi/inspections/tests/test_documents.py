"""The 检查通知书 and 检查记录 (.docx, GB/T 9704 form): opened and read back."""

import datetime as dt
from io import BytesIO

from docx import Document

from fazhi.inspections import services
from fazhi.inspections.tests.helpers import enterprise, item
from fazhi.inspections.tests.test_inspections import _plan

D = dt.date


def _read(content: bytes):
    doc = Document(BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return doc, "\n".join([p.text for p in doc.paragraphs] + cells)


def test_notice_and_record_documents(cast, login):
    firm = enterprise(cast.a)
    inspection = _plan(cast, firm, day=D(2025, 6, 16), items=[item(cast.a)])
    client = login(cast.a_operator)
    base = f"/inspections/inspections/{inspection.pk}/docx/"
    assert client.get(base + "record/").status_code == 404  # not visited yet
    doc, text = _read(client.get(base + "notice/").content)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.top_margin.mm)) == (210, 37)
    assert doc.styles["Normal"].font.name == "仿宋_GB2312"
    assert "PAGE" in section.footer.paragraphs[0]._element.xml
    assert "涉企行政检查通知书" in text and f"{firm.name}：" in text
    assert inspection.code in text and "/gk/inspections/" in text
    assert "SJ-01 安全生产检查SJ-01（依据：《安全生产法》第六十五条" in text
    assert "执法证号" in text and "尚未审批（未经审批不得入企检查）" in text
    assert "2025年6月16日" in text and "{{" not in text
    inspection = services.approve_inspection(
        inspection, approver="王队长", approved_on=D(2025, 6, 13), actor=cast.a_operator
    )
    services.record_inspection(
        inspection,
        inspected_on=D(2025, 6, 16),
        findings="消防通道堵塞。\n灭火器过期。",
        hazards=[services.HazardInput("灭火器过期", "李厂长", D(2025, 6, 30))],
        actor=cast.a_operator,
    )
    doc, text = _read(client.get(base + "record/").content)
    assert "涉企行政检查记录" in text and firm.credit_code in text
    assert "王队长于2025年6月13日批准" in text
    assert "消防通道堵塞。" in text and "灭火器过期。" in text
    assert "灭火器过期（一般隐患；整改责任人：李厂长；整改期限：2025年6月30日）" in text
    page = client.get(f"/inspections/inspections/{inspection.pk}/").content.decode()
    assert "检查通知书（.docx）" in page and "检查记录（.docx）" in page
    assert client.get(base + "other/").status_code == 404
    assert login(cast.b_operator).get(base + "notice/").status_code == 404
