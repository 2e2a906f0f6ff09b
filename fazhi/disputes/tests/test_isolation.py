"""Every page of the disputes app beyond the generic resource pages (those are covered by the
resource suites): another township's user can neither read nor change a record through it."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from fazhi.core.models import ChangeRecord, DomainEvent
from fazhi.core.testing import act
from fazhi.disputes import services
from fazhi.disputes.models import BacklogCase, Dispute, EarlyWarning, MediationAgreement
from fazhi.disputes.tests.helpers import D, committee, register

pytestmark = pytest.mark.django_db


def _state() -> tuple[int, int]:
    return ChangeRecord.objects.count(), DomainEvent.objects.count()


@pytest.fixture
def dispute(cast):
    return register(cast)


ACTIONS = {
    "accept": {"on": "2025-03-04"},
    "conclude": {"outcome": "terminated", "on": "2025-03-04", "reason": "refused"},
    "extend": {"days": 10, "reason": "双方同意"},
    "escalate": {"on": "2025-03-04", "reason": "村级调解未果"},
    "linkage": {
        "channel": "court_docking",
        "direction": "out",
        "on": "2025-03-04",
        "counterpart": "县人民法院",
    },  # fmt: skip
    "archive": {"on": "2025-03-04"},
}


@pytest.mark.parametrize("action", ACTIONS)
def test_other_township_cannot_act_on_a_dispute(cast, login, dispute, action):
    payload = dict(ACTIONS[action])
    if action == "escalate":
        payload["committee"] = committee(cast, level="township").pk
    before, version = _state(), dispute.version
    client = login(cast.b_operator)
    url = f"/disputes/disputes/{dispute.pk}/{action}/"
    assert act(client, url, dispute, payload).status_code == 404
    assert client.get(f"/disputes/disputes/{dispute.pk}/").status_code == 404
    assert _state() == before
    assert Dispute.objects.get(pk=dispute.pk).version == version


def test_other_township_cannot_upload_a_scan_or_print_the_agreement(
    cast, login, dispute, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    dispute = services.accept_dispute(dispute, on=D, actor=None)
    agreement = services.create_agreement(
        MediationAgreement,
        {"dispute": dispute, "made_on": D, "place": "村委会", "facts": "事实", "responsibilities": "各半",
         "terms": "一、赔偿500元。", "performance_method": "现金", "performance_deadline": D},
        actor=None,
    )  # fmt: skip
    client = login(cast.b_operator)
    before = _state()
    upload = SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = act(
        client, f"/disputes/agreements/{agreement.pk}/upload/", agreement, {"file": upload}
    )
    assert response.status_code == 404
    assert client.get(f"/disputes/agreements/{agreement.pk}/docx/").status_code == 404
    assert client.get(f"/disputes/agreements/{agreement.pk}/").status_code == 404
    assert _state() == before
    agreement.refresh_from_db()
    assert agreement.signed_scan is None


def test_other_township_cannot_handle_a_warning(cast, login):
    dispute = register(cast, description="对方扬言要打人")
    warning = EarlyWarning.objects.get(dispute=dispute, kind="violence")
    client = login(cast.b_operator)
    payload = {"action": "visited", "on": "2025-03-04", "note": "上门稳控"}
    assert client.get(f"/disputes/warnings/{warning.pk}/").status_code == 404
    assert (
        act(client, f"/disputes/warnings/{warning.pk}/handle/", warning, payload).status_code == 404
    )
    warning.refresh_from_db()
    assert warning.status == "open" and not warning.action


def test_other_township_cannot_resolve_or_archive_a_backlog_case(cast, login):
    case = BacklogCase.objects.create(
        township=cast.a, title="多年宅基地纠纷", description="十余年未决", intake="collected",
        collected_on=D, has_registration=True, has_record=True, has_agreement=True,
        has_follow_up=True,
    )  # fmt: skip
    client = login(cast.b_operator)
    before = _state()
    resolve = {"how": "on_site", "on": "2025-03-05", "note": "现场化解"}
    assert act(client, f"/disputes/backlog/{case.pk}/resolve/", case, resolve).status_code == 404
    archive = {"on": "2025-03-06"}
    assert act(client, f"/disputes/backlog/{case.pk}/archive/", case, archive).status_code == 404
    assert client.get(f"/disputes/backlog/{case.pk}/").status_code == 404
    assert _state() == before
    case.refresh_from_db()
    assert case.status == "pending"


def test_other_township_cannot_report_into_this_townships_village(cast, login):
    response = login(cast.b_operator).post(
        "/disputes/report/",
        {"village": cast.a1.pk, "kind": "neighbour", "applicant_name": "张三",
         "description": "越权上报"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Dispute.objects.exists()


def test_other_township_cannot_import_a_ledger_into_this_township(cast, login):
    from fazhi.disputes import io

    headers = [col.header for col in io.COLUMNS]
    row = {"乡镇": "甲镇", "登记日期": "2025-03-03", "纠纷类型": "邻里纠纷", "申请人": "张三",
           "纠纷简要情况": "越权导入"}  # fmt: skip
    wb = Workbook()
    wb.active.append(headers)
    wb.active.append([row.get(h, "") for h in headers])
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "ledger.xlsx"
    response = login(cast.b_operator).post("/disputes/ledger/import/", {"file": buffer})
    assert response.status_code == 400
    assert "无权向“甲镇”导入" in response.content.decode()
    assert not Dispute.objects.exists()


def test_statistics_and_export_of_another_township_are_refused(cast, login, dispute):
    query = {"township": cast.a.pk, "start": "2025-01-01", "end": "2025-12-31"}
    client = login(cast.b_operator)
    for extra in ({}, {"format": "xlsx"}):
        response = client.get("/disputes/statistics/", {**query, **extra})
        assert response.status_code == 400 and response.context["table"] is None
        assert not response["Content-Type"].startswith("application/vnd")


def test_dispute_of_another_township_is_not_listed_on_the_party_page(cast, login, dispute):
    party = dispute.dispute_parties.first().party
    assert login(cast.b_operator).get(f"/parties/parties/{party.pk}/").status_code == 404
    assert (
        dispute.number
        in login(cast.a_operator).get(f"/parties/parties/{party.pk}/").content.decode()
    )


def test_dispute_created_later_in_the_other_township_does_not_show(cast, login, dispute):
    theirs = register(cast, township=cast.b, received_on=dt.date(2025, 3, 4))
    html = login(cast.a_operator).get("/disputes/disputes/").content.decode()
    assert dispute.number in html and theirs.number not in html
