"""The township's annual report: drafted from the registry, edited with history, signed into an
immutable version, sent and published on time, in four formats; other townships get 404."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fazhi.core.services import ConflictError
from fazhi.indicators.services import declare
from fazhi.reports import annual, generate, output
from fazhi.reports.models import ReportStatus, ReportVersion

YEAR = 2025


@pytest.fixture
def report(cast):
    return annual.start_report(cast.a, YEAR, actor=cast.a_admin)


def clear_blanks(report, actor):
    """What a clerk does: every 未记录 and 【请填写】 paragraph rewritten."""
    for p in report.paragraphs.all():
        rendered = generate.render_text(p.text, generate.Figures.compute(report.township, YEAR))
        if "【" in rendered:
            annual.edit_paragraph(
                p, "本项工作按计划推进。", actor=actor, expected_version=p.version
            )


@pytest.mark.django_db
def test_draft_has_the_five_sections_numbered_with_title_and_signature(report):
    r = annual.render(report)
    assert r.title == "甲镇2025年法治政府建设年度报告"
    headings = [p["text"] for p in r.paragraphs if p["level"] == 1]
    assert headings == [
        "一、2025年推进法治政府建设的主要举措和成效",
        "二、2025年存在的不足和原因",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "四、2026年推进法治政府建设的主要安排",
        "五、其他需要报告的情况",
    ]
    subs = [p["text"] for p in r.paragraphs if p["level"] == 2]
    assert subs and subs[0].startswith("（一）")
    assert r.signature[:2] == ["中共甲镇委员会", "甲镇人民政府"]


@pytest.mark.django_db
def test_figures_come_from_the_registry_and_blanks_are_marked_not_zero(report):
    r = annual.render(report)
    text = r.text
    assert "全镇共有村（社区、场）2个" in text  # core.villages, recorded
    assert "【未记录：排查矛盾纠纷件数" in text  # nothing recorded: marked, never 0
    assert "排查化解矛盾纠纷0件" not in text
    assert "排查矛盾纠纷件数" in r.blanks
    # the shortcomings section names the empty ledgers
    assert "台账记录不够完整" in text


@pytest.mark.django_db
def test_a_declared_nil_return_is_written_as_zero(cast, report):
    declare(
        cast.a, "disputes.screened", YEAR, "nil", "纠纷台账已建立，全年未发生", actor=cast.a_admin
    )
    text = annual.render(report).text
    assert "全镇排查化解矛盾纠纷0件" in text


@pytest.mark.django_db
def test_a_blank_or_a_checker_error_blocks_signing(cast, report):
    with pytest.raises(ValidationError) as error:
        annual.sign(report, "书记甲、镇长乙", actor=cast.a_admin, expected_version=report.version)
    assert any("未记录" in m for m in error.value.messages)
    assert not ReportVersion.objects.exists()


@pytest.mark.django_db
def test_sign_freezes_an_immutable_version_and_a_change_is_a_new_one(cast, report):
    clear_blanks(report, cast.a_admin)
    report.refresh_from_db()
    v1 = annual.sign(report, "书记甲、镇长乙", actor=cast.a_admin, expected_version=report.version)
    assert v1.number == 1 and len(v1.sha256) == 64
    assert v1.sha256 == annual.digest(v1.text, v1.figures)
    assert all(f["computed_at"] for f in v1.figures)
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNED
    v1.text = "篡改"
    with pytest.raises(ValidationError):
        v1.save()
    with pytest.raises(ValidationError):
        v1.delete()
    # a later edit: back to draft; the signed version is unchanged; signing again makes v2
    p = report.paragraphs.filter(level=0).last()
    annual.edit_paragraph(
        p, "无其他需要报告的情况。", actor=cast.a_admin, expected_version=p.version
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    v2 = annual.sign(report, "书记甲、镇长乙", actor=cast.a_admin, expected_version=report.version)
    assert v2.number == 2
    assert ReportVersion.objects.get(pk=v1.pk).text != "篡改"


@pytest.mark.django_db
def test_editing_keeps_history_and_refuses_a_stale_version(cast, report):
    p = report.paragraphs.filter(level=0).first()
    annual.edit_paragraph(p, "新的开头。", actor=cast.a_admin, expected_version=p.version)
    with pytest.raises(ConflictError):
        annual.edit_paragraph(p, "另一个开头。", actor=cast.a_admin, expected_version=p.version)
    with pytest.raises(ValidationError):
        annual.edit_paragraph(p, "{{nope.nothing}}", actor=cast.a_admin, expected_version=None)
    from fazhi.core.models import ChangeRecord

    assert ChangeRecord.objects.filter(object_id=str(p.pk)).count() >= 1


@pytest.mark.django_db
def test_submit_and_publish_are_timestamped_and_late_ones_counted(cast, report):
    clear_blanks(report, cast.a_admin)
    report.refresh_from_db()
    with pytest.raises(ValidationError):
        annual.submit(report, actor=cast.a_admin, expected_version=report.version)
    annual.sign(report, "书记甲", actor=cast.a_admin, expected_version=report.version)
    report.refresh_from_db()
    late = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))
    report = annual.submit(report, actor=cast.a_admin, expected_version=report.version, now=late)
    assert report.submitted_late and report.submitted_version == 1
    on_time = timezone.make_aware(dt.datetime(2026, 3, 30, 9, 0))
    report = annual.publish(
        report, [], actor=cast.a_admin, expected_version=report.version, now=on_time
    )
    assert report.status == ReportStatus.PUBLISHED and not report.published_late
    assert annual.submit_due(YEAR) == dt.date(2026, 3, 1)
    assert annual.publish_due(YEAR) == dt.date(2026, 4, 1)


@pytest.mark.django_db
def test_personal_data_must_be_cleared_before_publication(cast, report):
    from fazhi.parties.models import Party

    Party.objects.create(township=cast.a, name="王某某")
    clear_blanks(report, cast.a_admin)
    p = report.paragraphs.filter(level=0).first()
    annual.edit_paragraph(
        p,
        "王某某（电话13812345678，身份证号11010519491231002X）反映的问题已解决。",
        actor=cast.a_admin,
        expected_version=p.version,
    )
    report.refresh_from_db()
    annual.sign(report, "书记甲", actor=cast.a_admin, expected_version=report.version)
    report.refresh_from_db()
    findings = annual.privacy_findings(report, report.latest_version.text)
    assert {f.kind for f in findings} == {"身份证号", "电话号码", "当事人姓名"}
    with pytest.raises(ValidationError) as error:
        annual.publish(report, [], actor=cast.a_admin, expected_version=report.version)
    assert "13812345678" in " ".join(error.value.messages)
    report.refresh_from_db()
    assert report.published_at is None
    report = annual.publish(
        report, [f.key for f in findings], actor=cast.a_admin, expected_version=report.version
    )
    assert len(report.privacy_clearance) == 3


@pytest.mark.django_db
def test_four_formats(report):
    r = annual.render(report)
    txt = output.to_text(r)
    assert txt.startswith("甲镇2025年法治政府建设年度报告")
    html = output.to_html(r)
    assert 'data-metric="core.villages"' in html and "/indicators/t/" in html
    docx = output.to_docx(r)
    body = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "甲镇2025年法治政府建设年度报告" in body and "附件：数据来源" in body
    assert "core.villages" in body  # the appendix names each figure's metric
    assert (
        'w:fldCharType="begin"'
        in zipfile.ZipFile(io.BytesIO(docx)).read("word/footer1.xml").decode()
    )
    assert output.to_pdf(r).startswith(b"%PDF")


@pytest.mark.django_db
def test_command_line(cast, tmp_path):
    for fmt in ("txt", "docx", "html", "pdf"):
        out = tmp_path / f"r.{fmt}"
        call_command(
            "generate_report",
            township="甲镇",
            year=YEAR,
            format=fmt,
            output=str(out),
            stdout=io.StringIO(),
        )
        assert out.stat().st_size > 100
    assert "【未记录" in (tmp_path / "r.txt").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_pages_and_isolation(cast, login, report):
    client = login(cast.a_admin)
    detail = reverse("reports:annual_detail", args=[report.pk])
    page = client.get(detail)
    assert page.status_code == 200 and "从台账" not in page.content.decode()
    assert 'data-metric="core.villages"' in page.content.decode()
    p = report.paragraphs.filter(level=0).first()
    edit = reverse("reports:paragraph_edit", args=[p.pk])
    assert client.post(edit, {"text": "改写的开头。", "version": p.version}).status_code == 302
    assert client.post(edit, {"text": "过期的修改。", "version": p.version}).status_code == 409
    # the edit's change record, asked by the township it is filed under (none: a paragraph's)
    shown = client.get(edit).context["history"]
    assert [r.object_id for r in shown][:1] == [str(p.pk)] and "改写的开头" in str(shown[0].changes)
    assert (
        client.get(reverse("reports:annual_download", args=[report.pk, "docx"])).status_code == 200
    )
    other = login(cast.b_operator)
    for url in (
        detail,
        edit,
        reverse("reports:annual_download", args=[report.pk, "txt"]),
    ):
        assert other.get(url).status_code == 404, url
    for name in ("annual_sign", "annual_submit", "annual_publish"):
        assert other.post(reverse(f"reports:{name}", args=[report.pk])).status_code == 404
    assert (
        login(cast.a_viewer).post(reverse("reports:annual_sign", args=[report.pk])).status_code
        == 403
    )
    assert login(cast.a_operator).get(reverse("reports:county_board")).status_code == 403
    board = login(cast.supervisor).get(reverse("reports:county_board") + f"?year={YEAR}")
    assert board.status_code == 200 and "甲镇" in board.content.decode()


@pytest.mark.django_db
def test_county_batch_is_one_job_with_progress_and_a_zip(cast, login, settings, tmp_path):
    from fazhi.core import jobs
    from fazhi.core.models import Job

    settings.JOB_RESULT_DIR = str(tmp_path)
    client = login(cast.supervisor)
    response = client.post(
        reverse("reports:county_batch"), {"county": cast.county.pk, "year": YEAR}
    )
    job = Job.objects.get(kind="reports.batch")
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == "succeeded" and (job.progress, job.total) == (2, 2)
    names = zipfile.ZipFile(job.result_file).namelist()
    assert [n.split("_", 1)[1] for n in names] == [
        "乙镇2025年法治政府建设年度报告（草稿）.docx",
        "甲镇2025年法治政府建设年度报告（草稿）.docx",
    ]
    assert (
        login(cast.a_admin)
        .post(reverse("reports:county_batch"), {"county": cast.county.pk, "year": YEAR})
        .status_code
        == 404
    )
