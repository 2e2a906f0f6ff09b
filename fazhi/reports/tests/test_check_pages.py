"""The checker's page and API (the engine's own tests are test_checker_*)."""

from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document

from fazhi.indicators import registry
from fazhi.reports.checker import Claim
from fazhi.reports.records import match_metric

pytestmark = pytest.mark.django_db

MISSING = "2025年化工镇法治政府建设工作报告\n一、主要工作\n全年主持召开法治建设专题会议次，研究解决重点问题项。\n"


def seed(name: str) -> str:
    path = next(Path(settings.FAZHI_SEEDS_DIR).glob(f"{name}_*.txt"))
    return path.read_text(encoding="utf-8")


def test_page_highlights_defects_in_place(cast, login):
    response = login(cast.a_viewer).post("/reports/check/", {"text": MISSING})
    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_errors
    marked = [s for s in response.context["segments"] if s["defect"]]
    assert marked and all(s["text"] in MISSING for s in marked)
    assert "<mark" in response.content.decode()


def test_page_accepts_docx_upload(cast, login):
    document = Document()
    for line in MISSING.splitlines():
        document.add_paragraph(line)
    buffer = BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "报告.docx"
    response = login(cast.a_viewer).post("/reports/check/", {"file": buffer})
    assert response.status_code == 200
    assert response.context["result"].source == "报告.docx"


def test_page_rejects_binary_file_with_field_error(cast, login):
    upload = BytesIO(b"\x00\x01\x02" * 100)
    upload.name = "x.bin"
    response = login(cast.a_viewer).post("/reports/check/", {"file": upload})
    assert response.status_code == 400
    assert "文件" in response.content.decode()


def test_empty_submission_is_a_clear_error(cast, login):
    response = login(cast.a_viewer).post("/reports/check/", {"text": "  "})
    assert response.status_code == 400
    assert "请粘贴报告全文或上传报告文件" in response.content.decode()


def test_page_requires_login(client):
    assert client.get("/reports/check/").status_code == 302


def test_api_returns_claims_and_defects_for_a_seed(cast, api):
    response = api(cast.a_viewer).post("/api/reports/check/", {"text": seed("002")}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2025
    assert any(d["kind"] == "missing_number" for d in data["defects"])
    assert any(c["value"] == 121 for c in data["claims"])


def test_api_refuses_other_township_records(cast, api):
    response = api(cast.a_viewer).post(
        "/api/reports/check/", {"text": MISSING, "township": cast.b.pk}, format="json"
    )
    assert response.status_code == 400
    assert "township" in response.json()


def test_api_multipart_file(cast, api):
    upload = BytesIO(MISSING.encode("gb18030"))
    upload.name = "report.txt"
    response = api(cast.a_viewer).post("/api/reports/check/", {"file": upload}, format="multipart")
    assert response.status_code == 200
    assert response.json()["summary"]


def _claim(phrase: str, noun: str, unit: str) -> Claim:
    return Claim(
        id="c1",
        value=18,
        unit=unit,
        raw=f"18{unit}",
        noun=noun,
        phrase=phrase,
        qualifiers=[],
        bound="eq",
        kind="actual",
        start=0,
        end=1,
        line=1,
        sentence="",
        sentence_start=0,
        sentence_end=1,
        section=[],
        section_kind="",
    )


def test_claims_map_to_registry_metrics_by_words_and_unit():
    assert match_metric(_claim("划分成", "网格", "个")).code == "core.grids"
    assert match_metric(_claim("设置了", "专职网格员", "名")).code == "core.grid_workers"
    assert match_metric(_claim("", "网格", "%")) is None  # a rate never maps to a count


def test_record_mismatch_against_registry(cast, login):
    from fazhi.core.models import Grid

    for i in range(3):
        Grid.objects.create(township=cast.a, village=cast.a1, name=f"格{i}")
    text = "2025年甲镇法治政府建设工作报告\n一、2025年工作开展情况\n全镇划分成5个网格。\n"
    response = login(cast.a_viewer).post(
        "/reports/check/", {"text": text, "township": cast.a.pk, "year": 2025}
    )
    defects = [d for d in response.context["result"].defects if d.kind == "record_mismatch"]
    assert len(defects) == 1 and "系统记录3个" in defects[0].reason
    assert registry.compute("core.grids", cast.a, registry.Period.year(2025)).value == 3


def test_recorded_count_reads_as_an_integer(cast, login, monkeypatch):
    """The 台账记录 column showed "12.0" for a count of 12 (issue #8): counts read "12件",
    rates "105/121=86.8%"."""
    from fazhi.reports import services
    from fazhi.reports.checker import RecordFigure

    figures = {
        "件": RecordFigure("disputes.screened", "排查矛盾纠纷件数", 12.0, "件"),
        "%": RecordFigure("d.rate", "调解成功率", 86.8, "%", numerator=105.0, denominator=121.0),
    }

    class Source:
        def __init__(self, township):
            pass

        def lookup(self, claim, *, year):
            return figures.get(claim.unit)

    monkeypatch.setattr(services, "RegistrySource", Source)
    text = (
        "2025年化工镇法治政府建设工作报告\n一、主要工作\n全年排查矛盾纠纷12件，调解成功率86.8%。\n"
    )
    response = login(cast.a_viewer).post("/reports/check/", {"text": text, "township": cast.a.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "排查矛盾纠纷件数：12件" in html and "12.0" not in html
    assert "调解成功率：105/121=86.8%" in html
