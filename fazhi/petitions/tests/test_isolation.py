"""Every page of the petitions app beyond the generic resource pages (those are covered by the
resource suites): another township's user can neither read nor change a record through it."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.models import ChangeRecord, DomainEvent
from fazhi.core.testing import act
from fazhi.petitions import services
from fazhi.petitions.choices import Action
from fazhi.petitions.models import Petition
from fazhi.petitions.tests.conftest import at

pytestmark = pytest.mark.django_db

D = dt.date
ACTIONS = [*Action.values, "refuse_repeat"]


def _state() -> tuple[int, int]:
    return ChangeRecord.objects.count(), DomainEvent.objects.count()


@pytest.fixture
def served(walk):
    return walk("served")


@pytest.mark.parametrize("action", ACTIONS)
def test_other_township_cannot_open_or_post_any_action(cast, login, served, head, action):
    client = login(cast.b_operator)
    url = reverse("petitions:petition_act", args=[served.pk, action])
    before, version = _state(), served.version
    payload = {"on": "2025-04-10", "satisfaction": "satisfied", "channel": "phone",
               "confirm": "on", "note": "x", "reason": "x", "owner": head.pk,
               "flagged_on": "2025-04-10", "target_on": "2025-06-30"}  # fmt: skip
    assert client.get(url).status_code == 404
    assert client.post(url, payload).status_code == 404
    assert _state() == before
    assert Petition.objects.get(pk=served.pk).version == version


def test_other_township_cannot_see_the_receipt_or_reissue_the_code(cast, login, served):
    client = login(cast.b_operator)
    response = client.get(reverse("petitions:petition_receipt", args=[served.pk]))
    assert response.status_code == 404
    assert served.receipt_no not in response.content.decode()
    assert services.code_matches(Petition.objects.get(pk=served.pk), served.test_code)


def test_other_township_cannot_download_the_opinion(cast, login, served):
    opinion = served.opinions.get()
    url = reverse("petitions:opinion_docx", args=[opinion.pk])
    assert login(cast.b_operator).get(url).status_code == 404
    assert login(cast.a_viewer).get(url).status_code == 200


def test_other_township_cannot_record_backlog_progress_or_resolve(cast, login, served, head):
    with at(D(2025, 4, 10)):
        case = services.flag_backlog(
            served, actor=cast.a_operator, owner=head, flagged_on=D(2025, 4, 10),
            target_on=D(2025, 6, 30),
        )  # fmt: skip
    client = login(cast.b_operator)
    before = _state()
    for name, payload in (
        ("petitions:backlog_add_progress", {"on": "2025-04-11", "note": "约谈"}),
        ("petitions:backlog_resolve", {"on": "2025-04-11", "resolution": "已化解"}),
    ):
        url = reverse(name, args=[case.pk])
        assert client.get(url).status_code == 404, name
        assert act(client, url, case, payload).status_code == 404, name
    assert _state() == before
    case.refresh_from_db()
    assert case.status == "open" and not case.progress.exists()


def test_other_township_cannot_read_the_statistics(cast, login, served):
    client = login(cast.b_operator)
    query = {"township": cast.a.pk, "year": 2025}
    assert client.get(reverse("petitions:stats"), query).status_code == 404
    assert client.get(reverse("petitions:stats_export"), query).status_code == 404
    cell = {**query, "column": "total"}
    assert client.get(reverse("petitions:stats_cell"), cell).status_code == 404
    own = client.get(reverse("petitions:stats"), {"year": 2025})
    assert own.status_code == 200 and own.context["township"] == cast.b
    assert login(cast.nobody).get(reverse("petitions:stats")).status_code == 403


def test_ledger_export_holds_only_the_users_township(cast, login, served):
    response = login(cast.b_operator).get(reverse("petitions:ledger_export"))
    assert response.status_code == 200
    values = [
        str(v) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
        for v in row if v is not None
    ]  # fmt: skip
    assert served.receipt_no not in values and "张明" not in values
    mine = login(cast.a_operator).get(reverse("petitions:ledger_export"))
    assert any(
        served.receipt_no == str(v)
        for row in load_workbook(BytesIO(mine.content)).active.iter_rows(values_only=True)
        for v in row
    )


def test_ledger_import_cannot_write_into_another_township(cast, login):
    from openpyxl import Workbook

    from fazhi.petitions import io

    template = load_workbook(BytesIO(io.template_workbook())).worksheets[0]
    headers = [c.value for c in template[1]]
    row = {h: "" for h in headers}
    row.update({"乡镇": "甲镇", "收到日期": "2025-03-03", "信访形式": "来信",
                "信访人": "外镇人", "信访事项摘要": "越权导入", "信访请求": "请求"})  # fmt: skip
    wb = Workbook()
    wb.active.append(headers)
    wb.active.append([row.get(h, "") for h in headers])
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "ledger.xlsx"
    response = login(cast.b_operator).post(reverse("petitions:ledger_import"), {"file": buffer})
    assert response.status_code == 400
    assert "无权向“甲镇”导入" in response.content.decode()
    assert not Petition.objects.exists()


def test_other_township_cannot_register_into_this_township(cast, login):
    response = login(cast.b_operator).post(
        reverse("petitions:petition_register"),
        {"township": cast.a.pk, "channel": "letter", "received_on": "2025-03-03",
         "source": "direct", "petitioner_name": "外镇人", "visitor_count": 1,
         "category": "other", "subject": "越权登记", "content": "请求", "level": "township"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Petition.objects.exists()
