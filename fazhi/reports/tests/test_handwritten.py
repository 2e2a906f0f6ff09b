"""Reports written outside the platform: uploaded by the township, bounded before parsing, checked
like a draft, kept with the findings and shown on the county's collection board."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.core.models import Attachment
from fazhi.reports import handwritten
from fazhi.reports.checker import UnreadableReport
from fazhi.reports.models import HandwrittenReport

YEAR = 2025
TEXT = """甲镇2025年法治政府建设年度报告
一、2025年推进法治政府建设的主要举措和成效
全镇排查化解矛盾纠纷58件，成功化解55件，化解成功率98%。
三、存在的不足和原因
台账记录不够完整。
"""


def _docx(text: str) -> bytes:
    from docx import Document

    doc = Document()
    for line in text.splitlines():
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _pdf(text: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("STSong-Light", 12)
    for i, line in enumerate(text.splitlines()):
        page.drawString(40, 800 - 18 * i, line)
    page.save()
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "make"), [("甲镇报告.docx", _docx), ("甲镇报告.pdf", _pdf)])
def test_a_docx_or_pdf_is_read_checked_and_kept_with_its_findings(cast, login, media, name, make):
    client = login(cast.a_admin)
    assert client.get(reverse("reports:handwritten_upload")).status_code == 200
    response = client.post(
        reverse("reports:handwritten_upload"),
        {"township": cast.a.pk, "year": YEAR, "file": SimpleUploadedFile(name, make(TEXT))},
    )
    row = HandwrittenReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:handwritten_detail", args=[row.pk])
    assert row.township == cast.a and row.year == YEAR
    assert "排查化解矛盾纠纷58件" in row.text
    assert row.title == "甲镇2025年法治政府建设年度报告"
    # the checker's findings: the numbering skips 二、; 55/58 is not 98%
    kinds = {d["kind"] for d in row.defects}
    assert {"numbering", "rate_mismatch"} <= kinds
    assert row.errors >= 1 and row.summary.startswith(f"{row.errors} 处错误")
    assert row.attachment.original_name == name and len(row.attachment.sha256) == 64
    detail = client.get(reverse("reports:handwritten_detail", args=[row.pk])).content.decode()
    assert "比率不符" in detail and name in detail

    board = login(cast.supervisor).get(reverse("reports:county_board") + f"?year={YEAR}")
    page = board.content.decode()
    assert board.status_code == 200
    assert reverse("reports:handwritten_detail", args=[row.pk]) in page
    assert f"错误{row.errors}" in page
    # another township's user cannot open it
    other = login(cast.b_operator)
    assert other.get(reverse("reports:handwritten_detail", args=[row.pk])).status_code == 404


@pytest.mark.django_db
def test_bounds_are_checked_before_parsing_and_nothing_is_written(cast, login, media, monkeypatch):
    client = login(cast.a_admin)

    def post(name: str, data: bytes):
        return client.post(
            reverse("reports:handwritten_upload"),
            {"township": cast.a.pk, "year": YEAR, "file": SimpleUploadedFile(name, data)},
        )

    monkeypatch.setattr(handwritten, "MAX_UPLOAD_BYTES", 2048)
    parsed = []
    monkeypatch.setattr(handwritten, "docx_text", lambda data: parsed.append(1) or "")
    big = post("大.docx", _docx(TEXT) + b"0" * 50_000)
    assert big.status_code == 400 and "文件过大" in big.content.decode()
    assert parsed == []  # not parsed

    monkeypatch.setattr(handwritten, "MAX_UPLOAD_BYTES", 10 * 2**20)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" * (70 * 2**20))
    response = post("炸弹.docx", bomb.getvalue())
    assert response.status_code == 400 and "解压后过大" in response.content.decode()
    assert parsed == []

    for name, data, message in [
        ("报告.doc", b"\xd0\xcf\x11\xe0", "不支持"),
        ("坏.pdf", b"%PDF-1.4 garbage", "无法读取该 PDF"),
        ("图片.pdf", _pdf(""), "没有可提取的文字"),
    ]:
        response = post(name, data)
        assert response.status_code == 400, name
        assert message in response.content.decode(), name
    assert not HandwrittenReport.objects.exists() and not Attachment.objects.exists()


def test_pdf_pages_are_bounded_before_any_page_is_read(monkeypatch):
    monkeypatch.setattr(handwritten, "MAX_PDF_PAGES", 1)
    two = _pdf("第一页")
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    page = PdfReader(io.BytesIO(two)).pages[0]
    writer.add_page(page)
    writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UnreadableReport, match="页数过多"):
        handwritten.read_upload("两页.pdf", None, io.BytesIO(out.getvalue()))


@pytest.mark.django_db
def test_only_a_township_writer_uploads_for_its_own_townships(cast, login, media):
    data = _docx(TEXT)
    assert login(cast.supervisor).get(reverse("reports:handwritten_upload")).status_code == 403
    response = login(cast.b_operator).post(
        reverse("reports:handwritten_upload"),
        {"township": cast.a.pk, "year": YEAR, "file": SimpleUploadedFile("甲.docx", data)},
    )
    assert response.status_code == 400  # 甲镇 is not among its choices
    assert not HandwrittenReport.objects.exists()
