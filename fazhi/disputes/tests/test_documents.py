"""The 调解协议书 .docx: statutory contents, autoescaping, PII only for those allowed (audited)."""

import datetime as dt
from io import BytesIO

import pytest
from docx import Document

from fazhi.core.models import DomainEvent
from fazhi.core.testing import act
from fazhi.disputes import documents, services
from fazhi.disputes.models import MediationAgreement
from fazhi.disputes.tests.helpers import D, party, register, valid_id

ID = valid_id("41088319800101123")


@pytest.fixture
def agreement(cast):
    dispute = register(
        cast,
        parties=[
            party("张三", phone="13800000001", id_number=ID, address="甲镇甲一村三组"),
            party("李四 & <王五>", "respondent", phone="13900000002"),
        ],
    )
    dispute = services.accept_dispute(dispute, on=D, actor=None)
    return services.create_agreement(
        MediationAgreement,
        {
            "dispute": dispute,
            "made_on": dt.date(2025, 3, 5),
            "place": "甲一村村委会",
            "facts": "两户因排水沟发生争执。\n李四堵塞排水沟。",
            "responsibilities": "李四负主要责任。",
            "terms": "一、李四于3日内疏通排水沟；\n二、张三不再追究。",
            "performance_method": "自行履行",
            "performance_deadline": dt.date(2025, 3, 8),
            "performance_place": "甲一村",
        },
        actor=None,
    )


def _text(content: bytes) -> str:
    doc = Document(BytesIO(content))
    return "\n".join(p.text for p in doc.paragraphs)


def test_cn_date():
    assert documents.cn_date(dt.date(2025, 3, 5)) == "二〇二五年三月五日"
    assert documents.cn_date(dt.date(2020, 10, 31)) == "二〇二〇年十月三十一日"


def test_context_has_the_statutory_contents(agreement):
    ctx = documents.agreement_context(agreement, unmasked=False)
    assert [p["role"] for p in ctx["parties"]] == ["申请人", "被申请人"]
    assert ctx["facts"] == ["两户因排水沟发生争执。", "李四堵塞排水沟。"]
    assert ctx["terms"][1] == "二、张三不再追究。"
    assert ctx["performance_deadline"] == "二〇二五年三月八日" and ctx["copies"] == "三"
    assert ID not in ctx["parties"][0]["line"] and "4108**********" in ctx["parties"][0]["line"]
    unmasked = documents.agreement_context(agreement, unmasked=True)
    assert (
        ID in unmasked["parties"][0]["line"]
        and "1980年1月1日出生" in unmasked["parties"][0]["line"]
    )


def test_docx_renders_escaped_and_complete(cast, agreement):
    text = _text(documents.render_agreement(agreement, user=cast.a_operator))
    for expected in (
        "人民调解协议书",
        agreement.number,
        "李四 & <王五>",
        "纠纷主要事实、争议事项",
        "各方当事人的责任",
        "履行方式：自行履行",
        "履行期限：二〇二五年三月八日前履行完毕",
        "履行地点：甲一村",
        "调解地点：甲一村村委会",
        "30日内共同向人民法院申请司法确认",
        "二〇二五年三月五日",
    ):
        assert expected in text, expected
    assert ID in text  # the operator may see PII: printed in full, and recorded
    assert DomainEvent.objects.filter(kind="parties.pii_viewed", actor=cast.a_operator).count() == 2
    agreement.refresh_from_db()
    assert agreement.template_version == documents.TEMPLATE_VERSION


def test_docx_carries_every_item_of_article_29(cast, agreement):
    """《人民调解法》第二十九条: (一) the parties' basic information; (二) the main facts, the
    matters in dispute and each party's responsibility; (三) the agreed terms and how and by
    when they are performed; effective on the parties' and the mediator's signatures and the
    committee's seal; one copy each and one kept by the committee."""
    text = _text(documents.render_agreement(agreement, user=cast.a_operator))
    for expected in (
        "当事人基本情况",
        "申请人：张三",
        "公民身份号码：" + ID,
        "住址：甲镇甲一村三组",
        "联系电话：13800000001",
        "被申请人：李四 & <王五>",
        "纠纷主要事实、争议事项",
        "两户因排水沟发生争执。",
        "各方当事人的责任",
        "李四负主要责任。",
        "各方当事人自愿达成如下协议",
        "一、李四于3日内疏通排水沟；",
        "履行方式：自行履行",
        "履行期限：二〇二五年三月八日前履行完毕",
        "当事人（签名、盖章或按指印）",
        "人民调解员（签名）",
        "（人民调解委员会印章）",
        "人民调解员签名并加盖人民调解委员会印章之日起生效",
        "本协议一式三份，当事人各执一份，人民调解委员会留存一份",
    ):
        assert expected in text, expected


def test_viewer_gets_a_masked_document_and_no_pii_event(cast, agreement):
    text = _text(documents.render_agreement(agreement, user=cast.a_viewer))
    assert ID not in text and "4108**********" in text
    assert not DomainEvent.objects.filter(kind="parties.pii_viewed").exists()


def test_download_page_scoped(cast, login, agreement):
    response = login(cast.a1_mediator).get(f"/disputes/agreements/{agreement.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        login(cast.b_operator).get(f"/disputes/agreements/{agreement.pk}/docx/").status_code == 404
    )


def test_template_is_committed_and_regenerates(tmp_path):
    assert documents.TEMPLATE_PATH.exists()
    rebuilt = documents.build_template(tmp_path / "t.docx")
    assert "{{ committee }}" in "\n".join(p.text for p in Document(str(rebuilt)).paragraphs)


def test_signed_scan_upload(cast, login, agreement, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = act(
        login(cast.a_operator),
        f"/disputes/agreements/{agreement.pk}/upload/",
        agreement,
        {
            "file": SimpleUploadedFile(
                "协议书扫描件.pdf", b"%PDF-1.4 signed", content_type="application/pdf"
            )
        },
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (
        agreement.signed_scan is not None
        and agreement.signed_scan.original_name == "协议书扫描件.pdf"
    )
