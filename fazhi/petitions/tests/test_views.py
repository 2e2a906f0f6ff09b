"""Workflow pages: registration with the printed receipt, the actions, the opinion document,
the petition page (PII masked), backlog actions, statistics and the rules page."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from fazhi.core.models import ChangeRecord, Staff
from fazhi.core.testing import act
from fazhi.petitions.models import BacklogCase, Petition
from fazhi.petitions.tests.conftest import OPINION, at

pytestmark = pytest.mark.django_db
D = dt.date


def test_registration_page_prints_the_code_once(cast, login):
    client = login(cast.a_operator)
    with at(D(2025, 3, 3)):
        response = client.post(
            reverse("petitions:petitions_add"),
            {
                "township": cast.a.pk,
                "channel": "visit",
                "received_on": "2025-03-03",
                "source": "direct",
                "petitioner_name": "周桂兰",
                "petitioner_id_number": "140581198001011231",
                "petitioner_phone": "13700001111",
                "representatives": "吴刚 13700002222\n郑强",
                "is_group": "on",
                "visitor_count": 8,
                "category": "land",
                "subject": "征地补偿款分配",
                "content": "要求公开征地补偿款分配方案。",
                "level": "township",
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        first = client.get(response["Location"]).content.decode()
        again = client.get(response["Location"]).content.decode()
    p = Petition.objects.get()
    assert response["Location"] == reverse("petitions:petition_receipt", args=[p.pk])
    assert p.petitioner.name == "周桂兰" and p.party_links.count() == 2
    code = first.split('letter-spacing:.2em">')[1].split("<")[0]
    assert len(code) == 8 and p.receipt_no in first and "2025年3月18日前书面告知" in first
    from fazhi.petitions import services

    assert services.code_matches(p, code)
    assert code not in again and "仅在登记" in again


def test_registration_with_six_representatives_shows_the_rule(cast, login):
    client = login(cast.a_operator)
    people = "\n".join(f"代表{i}" for i in range(5))
    response = client.post(
        reverse("petitions:petitions_add"),
        {
            "township": cast.a.pk, "channel": "visit", "received_on": "2025-03-03", "source": "direct",
            "petitioner_name": "领头人", "representatives": people, "is_group": "on",
            "visitor_count": 40, "category": "other", "subject": "s", "content": "c",
            "level": "township",
        },
    )  # fmt: skip
    assert response.status_code == 400
    assert "不超过5人" in response.content.decode()
    assert not Petition.objects.exists()


def test_petition_page_masks_personal_information(cast, login, walk, party):
    p = walk(
        "accepted", petitioner=party("周桂兰", id_number="140581198001011231", phone="13700001111")
    )
    html = (
        login(cast.a_operator)
        .get(reverse("petitions:petitions_detail", args=[p.pk]))
        .content.decode()
    )
    assert "140581198001011231" not in html and "13700001111" not in html
    assert "1405**********1231" in html and "137****1111" in html
    assert "办理期限" in html and "《信访工作条例》第三十四条" in html
    assert reverse("petitions:petition_act", args=[p.pk, "issue_opinion"]) in html


def test_viewer_sees_no_action_buttons_and_cannot_act(cast, login, walk):
    p = walk()
    client = login(cast.a_viewer)
    html = client.get(reverse("petitions:petitions_detail", args=[p.pk])).content.decode()
    assert reverse("petitions:petition_act", args=[p.pk, "accept"]) not in html
    assert client.get(reverse("petitions:petition_act", args=[p.pk, "accept"])).status_code == 403
    assert (
        login(cast.b_operator)
        .get(reverse("petitions:petition_act", args=[p.pk, "accept"]))
        .status_code
        == 404
    )


def test_accept_extend_reply_through_the_pages(cast, login, walk):
    head = Staff.objects.create(township=cast.a, name="赵镇长", position="镇长")
    p = walk()
    client = login(cast.a_operator)
    url = lambda action: reverse("petitions:petition_act", args=[p.pk, action])  # noqa: E731
    with at(D(2025, 3, 5)):
        assert act(client, url("accept"), p, {"on": "2025-03-05"}).status_code == 302
    with at(D(2025, 4, 30)):
        r = act(client, url("extend"), p, {"days": 30, "reason": "需实地测量", "approved_by": head.pk,
                                         "approved_on": "2025-04-30", "notified_on": "2025-04-30"})  # fmt: skip
        assert r.status_code == 302
        bad = act(client, url("extend"), p, {"days": 5, "reason": "再延", "approved_by": head.pk,
                                           "approved_on": "2025-04-30", "notified_on": "2025-04-30"})  # fmt: skip
        assert bad.status_code == 400 and "不得超过30日" in bad.content.decode()
    with at(D(2025, 6, 3)):
        r = act(client, url("issue_opinion"), p, {"on": "2025-06-03", **OPINION})
        assert r.status_code == 302
        assert (
            act(client, url("serve"), p, {"on": "2025-06-03", "method": "direct"}).status_code
            == 302
        )
    p.refresh_from_db()
    assert p.status == "served" and p.extension_days == 30
    opinion = p.opinions.get()
    response = client.get(reverse("petitions:opinion_docx", args=[opinion.pk]))
    assert response.status_code == 200 and response["Content-Type"].endswith(
        "wordprocessingml.document"
    )
    text = "\n".join(par.text for par in Document(BytesIO(response.content)).paragraphs)
    assert "信访事项处理意见书" in text and OPINION["legal_basis"] in text and "请求复查" in text
    assert (
        login(cast.b_operator).get(reverse("petitions:opinion_docx", args=[opinion.pk])).status_code
        == 404
    )


def test_invalid_action_is_404(cast, login, walk):
    p = walk()
    assert (
        login(cast.a_operator)
        .get(reverse("petitions:petition_act", args=[p.pk, "explode"]))
        .status_code
        == 404
    )


def test_illegal_step_is_explained_on_the_page(cast, login, walk):
    p = walk()
    with at(D(2025, 3, 5)):
        r = act(
            login(cast.a_operator),
            reverse("petitions:petition_act", args=[p.pk, "serve"]),
            p,
            {"on": "2025-03-05", "method": "direct"},
        )
    assert r.status_code == 400 and "不能执行“送达处理意见书”" in r.content.decode()


def test_reissue_code_shows_the_new_code_on_the_receipt(cast, login, walk):
    p = walk()
    client = login(cast.a_operator)
    r = act(
        client, reverse("petitions:petition_act", args=[p.pk, "reissue_code"]), p, {"confirm": "on"}
    )
    assert r.status_code == 302
    html = client.get(r["Location"]).content.decode()
    code = html.split('letter-spacing:.2em">')[1].split("<")[0]
    p.refresh_from_db()
    from fazhi.petitions import services

    assert services.code_matches(p, code) and not services.code_matches(
        p, p.test_code if hasattr(p, "test_code") else ""
    )


def test_backlog_progress_and_resolution_pages(cast, login, walk):
    p = walk("accepted")
    owner = Staff.objects.create(township=cast.a, name="孙副镇长")
    case = BacklogCase.objects.create(
        township=cast.a, petition=p, owner=owner, flagged_on=D(2025, 3, 6), target_on=D(2025, 9, 30)
    )
    client = login(cast.a_operator)
    progress = reverse("petitions:backlog_add_progress", args=[case.pk])
    resolve = reverse("petitions:backlog_resolve", args=[case.pk])
    with at(D(2025, 4, 1)):
        assert act(client, progress, case, {"on": "2025-04-01", "note": "约谈"}).status_code == 302
        assert (
            act(client, resolve, case, {"on": "2025-04-01", "resolution": "和解"}).status_code
            == 302
        )
    case.refresh_from_db()
    assert case.status == "resolved" and case.progress.count() == 1
    assert (
        login(cast.a_viewer).get(reverse("petitions:backlog_resolve", args=[case.pk])).status_code
        == 403
    )


def test_a_backlog_step_without_the_version_it_read_or_with_an_older_one_writes_nothing(
    cast, login, walk
):
    """化解销号 and 记录化解进展 carry the backlog case's version: missing → 400, a case changed
    since the page was read → 409, and nothing is written either way."""
    p = walk("accepted")
    owner = Staff.objects.create(township=cast.a, name="孙副镇长")
    case = BacklogCase.objects.create(
        township=cast.a, petition=p, owner=owner, flagged_on=D(2025, 3, 6), target_on=D(2025, 9, 30)
    )
    client = login(cast.a_operator)
    resolve = reverse("petitions:backlog_resolve", args=[case.pk])
    progress = reverse("petitions:backlog_add_progress", args=[case.pk])
    assert f'name="version" value="{case.version}"' in client.get(resolve).content.decode()
    before = ChangeRecord.objects.count()
    with at(D(2025, 4, 1)):
        for url, data in (
            (resolve, {"on": "2025-04-01", "resolution": "和解"}),
            (progress, {"on": "2025-04-01", "note": "约谈"}),
        ):
            missing = client.post(url, data)
            assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
        BacklogCase.objects.filter(pk=case.pk).update(version=case.version + 1)  # another save
        for url, data in (
            (resolve, {"on": "2025-04-01", "resolution": "和解"}),
            (progress, {"on": "2025-04-01", "note": "约谈"}),
        ):
            stale = client.post(url, {**data, "version": case.version})
            assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    case.refresh_from_db()
    assert case.status == "open" and not case.progress.exists()
    assert ChangeRecord.objects.count() == before


def test_statistics_page_export_and_cell(cast, login, walk):
    walk("served")
    client = login(cast.a_operator)
    page = client.get(reverse("petitions:stats"), {"township": cast.a.pk, "year": 2025})
    assert page.status_code == 200
    html = page.content.decode()
    assert "信访事项办理情况统计表" in html and "petitions.closure_rate" in html
    export = client.get(reverse("petitions:stats_export"), {"township": cast.a.pk, "year": 2025})
    ws = load_workbook(BytesIO(export.content)).active
    assert ws["A1"].value == "甲镇信访事项办理情况统计表（2025年）"
    assert ws["A3"].value == "走访" and ws["B3"].value == 1
    cell = client.get(
        reverse("petitions:stats_cell"),
        {"township": cast.a.pk, "year": 2025, "column": "concluded", "channel": "visit"},
    )
    assert cell.status_code == 200 and cell.context["total"] == 1
    assert client.get(reverse("petitions:stats"), {"township": cast.c.pk}).status_code == 404
    assert login(cast.nobody).get(reverse("petitions:stats")).status_code == 403


def test_rules_page_marks_unconfirmed_defaults(cast, login):
    html = login(cast.a_operator).get(reverse("petitions:rules")).content.decode()
    assert "《信访工作条例》第三十四条" in html and "待确认" in html and "满意度评价期限" in html


@pytest.mark.parametrize(
    ("until", "actions"),
    [
        (
            "registered",
            [
                "accept",
                "decline",
                "route",
                "hand_up",
                "to_mediation",
                "flag_backlog",
                "reissue_code",
            ],
        ),
        (
            "accepted",
            ["extend", "issue_opinion", "route", "hand_up", "to_mediation", "flag_backlog"],
        ),
        ("opinion_issued", ["serve"]),
        ("served", ["request_review", "close", "rate"]),
    ],
)
def test_every_action_form_renders(cast, login, walk, until, actions):
    p = walk(until)
    client = login(cast.a_operator)
    detail = client.get(reverse("petitions:petitions_detail", args=[p.pk])).content.decode()
    for action in actions:
        url = reverse("petitions:petition_act", args=[p.pk, action])
        assert client.get(url).status_code == 200, action
        assert url in detail, action


def test_list_and_navigation(cast, login, walk):
    walk()
    client = login(cast.a_operator)
    page = client.get(reverse("petitions:petitions_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "信访统计" in html and reverse("petitions:ledger_import") in html


def test_an_action_without_the_version_it_read_or_with_an_older_one_writes_nothing(
    cast, login, walk
):
    """Two clerks with the same petition open: the second 受理 is refused, not applied twice."""
    p = walk()
    client = login(cast.a_operator)
    url = reverse("petitions:petition_act", args=[p.pk, "accept"])
    page = client.get(url).content.decode()
    assert f'name="version" value="{p.version}"' in page
    with at(D(2025, 3, 5)):
        missing = client.post(url, {"on": "2025-03-05"})
        assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
        p.refresh_from_db()
        assert p.status == "registered"
        stale = p.version
        assert client.post(url, {"on": "2025-03-05", "version": stale}).status_code == 302
        again = client.post(url, {"on": "2025-03-05", "version": stale})
    assert again.status_code == 409 and "已被他人修改" in again.content.decode()
    p.refresh_from_db()
    assert p.status == "accepted" and p.version == stale + 1
