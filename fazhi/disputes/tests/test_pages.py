"""The dispute page and its actions, the grid worker's form, the statistics table."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from fazhi.core.models import ChangeRecord, Grid, GridAssignment, Staff
from fazhi.core.testing import act
from fazhi.disputes import services
from fazhi.disputes.models import Dispute, EarlyWarning
from fazhi.disputes.tests.helpers import D, party, register, valid_id
from fazhi.indicators import registry
from fazhi.indicators.registry import Period

ID = valid_id("41088319800101123")


def test_add_page_registers_parties_through_the_index(cast, login):
    response = login(cast.a_operator).post(
        "/disputes/disputes/add/",
        {
            "township": cast.a.pk,
            "received_on": "2025-03-03",
            "source": "walk_in",
            "kind": "homestead",
            "description": "宅基地边界争议",
            "village": cast.a1.pk,
            "risk_level": "low",
            "applicant_name": "张三",
            "applicant_phone": "13800000001",
            "applicant_id_number": ID,
            "respondent_name": "李四",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    dispute = Dispute.objects.get()
    assert dispute.number == "〔2025〕甲镇调字第1号"
    assert [(p.party.name, p.role) for p in dispute.dispute_parties.order_by("role")] == [
        ("张三", "applicant"),
        ("李四", "respondent"),
    ]


def test_dispute_page_masks_parties_and_offers_actions(cast, login):
    dispute = register(cast, parties=[party("张三", phone="13800000001", id_number=ID)])
    page = login(cast.a_operator).get(f"/disputes/disputes/{dispute.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert ID not in text and "13800000001" not in text and "138****0001" in text
    assert "受理调解" in text and "登记调解记录" in text
    viewer = login(cast.a_viewer).get(f"/disputes/disputes/{dispute.pk}/").content.decode()
    assert "dispute_accept" not in viewer and "/accept/" not in viewer and "不能办理" in viewer


def test_dispute_page_lists_the_parties_other_records_the_viewer_may_see(cast, login):
    from fazhi.petitions import services as petitions

    earlier = register(cast, parties=[party("张三", phone="13800000001")])
    elsewhere = register(cast, village=cast.a2, parties=[party("张三", phone="13800000001")])
    zhang = earlier.dispute_parties.get().party
    petition, _code = petitions.register_petition(
        cast.a, actor=None, channel="visit", received_on=D, petitioner=zhang,
        subject="宅基地边界", content="请求划定边界",
    )  # fmt: skip
    dispute = register(cast, parties=[party("张三", phone="13800000001"), party("李四")])
    html = login(cast.a_operator).get(f"/disputes/disputes/{dispute.pk}/").content.decode()
    others = html.split('id="other-records"')[1].split("</section>")[0]
    for number in (earlier.number, elsewhere.number, petition.receipt_no):
        assert number in others, number
    assert dispute.number not in others
    # a village mediator sees only what their village allows
    mediator = login(cast.a1_mediator).get(f"/disputes/disputes/{dispute.pk}/").content.decode()
    mediator_others = mediator.split('id="other-records"')[1].split("</section>")[0]
    assert earlier.number in mediator_others
    assert elsewhere.number not in mediator_others and petition.receipt_no not in mediator_others


def test_accept_and_conclude_through_the_page(cast, login):
    dispute = register(cast)
    client = login(cast.a1_mediator)
    url = f"/disputes/disputes/{dispute.pk}/accept/"
    assert act(client, url, dispute, {"on": "2025-03-03"}).status_code == 302
    response = act(
        client,
        f"/disputes/disputes/{dispute.pk}/conclude/",
        dispute,
        {"outcome": "succeeded", "on": "2025-03-10", "note": "双方和解"},
    )
    assert response.status_code == 302
    assert "已登记办结结果" in client.get(response.url).content.decode()
    assert Dispute.objects.get(pk=dispute.pk).status == "succeeded"


def test_illegal_transition_is_shown_in_chinese(cast, login):
    dispute = register(cast)
    response = act(
        login(cast.a_operator),
        f"/disputes/disputes/{dispute.pk}/conclude/",
        dispute,
        {"outcome": "succeeded", "on": "2025-03-10"},
    )
    assert response.status_code == 400 and "不能改为“调解成功”" in response.content.decode()
    assert Dispute.objects.get(pk=dispute.pk).status == "registered"


def test_actions_scope(cast, login):
    dispute = register(cast)
    url = f"/disputes/disputes/{dispute.pk}/accept/"
    assert act(login(cast.b_operator), url, dispute, {"on": "2025-03-03"}).status_code == 404
    assert act(login(cast.a_viewer), url, dispute, {"on": "2025-03-03"}).status_code == 403
    other_village = register(cast, village=cast.a2, parties=[party("王五")])
    other_url = f"/disputes/disputes/{other_village.pk}/accept/"
    response = act(login(cast.a1_mediator), other_url, other_village, {"on": "2025-03-03"})
    assert response.status_code == 404


def test_linkage_is_recorded_as_event(cast, login):
    from fazhi.core.models import DomainEvent

    dispute = register(cast)
    act(
        login(cast.a_operator),
        f"/disputes/disputes/{dispute.pk}/linkage/",
        dispute,
        {
            "channel": "admin_mediation",
            "direction": "out",
            "on": "2025-03-04",
            "counterpart": "县市场监管局",
            "note": "消费纠纷",
        },
    )
    event = DomainEvent.objects.get(kind="disputes.linkage")
    assert event.payload["counterpart"] == "县市场监管局" and "转出至县市场监管局" in event.label


def test_an_action_without_the_version_it_read_or_with_an_older_one_writes_nothing(cast, login):
    """Two clerks with the same dispute open: the second 受理 is refused (409), a post without the
    version is refused (400), and neither writes anything; the same on a record's own page
    (an early warning's 登记处置情况)."""
    dispute = register(cast)
    client = login(cast.a_operator)
    page = client.get(f"/disputes/disputes/{dispute.pk}/").content.decode()
    assert f'name="version" value="{dispute.version}"' in page
    url = f"/disputes/disputes/{dispute.pk}/accept/"
    before = ChangeRecord.objects.count()
    missing = client.post(url, {"on": "2025-03-03"})
    assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
    assert ChangeRecord.objects.count() == before
    stale = dispute.version
    assert client.post(url, {"on": "2025-03-03", "version": stale}).status_code == 302
    written = ChangeRecord.objects.count()
    again = client.post(url, {"on": "2025-03-04", "version": stale})
    assert again.status_code == 409 and "已被他人修改" in again.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == "mediating" and dispute.accepted_on == dt.date(2025, 3, 3)
    assert dispute.version == stale + 1 and ChangeRecord.objects.count() == written

    threat = register(cast, description="扬言报复", parties=[party("王五")])
    warning = EarlyWarning.objects.get(dispute=threat)
    handle = f"/disputes/warnings/{warning.pk}/handle/"
    page = client.get(f"/disputes/warnings/{warning.pk}/").content.decode()
    assert f'name="version" value="{warning.version}"' in page
    data = {"action": "visited", "on": "2025-03-04", "note": "包村干部已上门"}
    before = ChangeRecord.objects.count()
    missing = client.post(handle, data)
    assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
    EarlyWarning.objects.filter(pk=warning.pk).update(version=warning.version + 1)  # another save
    stale = client.post(handle, {**data, "version": warning.version})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    warning.refresh_from_db()
    assert warning.status == "open" and not warning.action
    assert ChangeRecord.objects.count() == before


# --- the grid worker's phone form -----------------------------------------------------------
@pytest.fixture
def grid(cast):
    grid = Grid.objects.create(township=cast.a, village=cast.a1, name="一组网格")
    staff = Staff.objects.create(township=cast.a, name="网格员小王", user=cast.a1_grid)
    GridAssignment.objects.create(
        township=cast.a, grid=grid, staff=staff, start=dt.date(2024, 1, 1)
    )
    return grid


def test_grid_form_is_prefilled_from_membership(cast, login, grid):
    form = login(cast.a1_grid).get("/disputes/report/").context["form"]
    assert form.fields["village"].initial == cast.a1.pk and form.fields["grid"].initial == grid.pk
    assert list(form.fields["village"].queryset) == [cast.a1]
    assert "applicant_id_number" not in form.fields


def test_grid_worker_reports_a_dispute(cast, login, grid):
    response = login(cast.a1_grid).post(
        "/disputes/report/",
        {
            "village": cast.a1.pk,
            "grid": grid.pk,
            "kind": "neighbour",
            "applicant_name": "张三",
            "applicant_phone": "13800000001",
            "respondent_name": "李四",
            "description": "两家因鸡鸭进菜园吵架，李四扬言要打人",
            "urgent": "on",
        },
    )
    assert response.status_code == 200 and "已上报" in response.content.decode()
    dispute = Dispute.objects.get()
    assert (dispute.source, dispute.grid, dispute.reported_by, dispute.risk_level) == (
        "grid",
        grid,
        cast.a1_grid,
        "medium",
    )
    assert EarlyWarning.objects.filter(dispute=dispute, kind="violence").exists()


def test_grid_worker_cannot_report_for_another_village(cast, login, grid):
    response = login(cast.a1_grid).post(
        "/disputes/report/",
        {"village": cast.a2.pk, "kind": "neighbour", "applicant_name": "张三", "description": "x"},
    )
    assert response.status_code == 400 and not Dispute.objects.exists()


def test_grid_form_needs_a_role(cast, login):
    assert login(cast.a_viewer).get("/disputes/report/").status_code == 403


# --- statistics ------------------------------------------------------------------------------
def _sample(cast):
    for kind, outcome in [
        ("neighbour", "succeeded"),
        ("neighbour", "failed"),
        ("homestead", "succeeded"),
        ("labour", None),
    ]:
        d = services.accept_dispute(
            register(cast, kind=kind, parties=[party(f"{kind}{outcome}")]), on=D, actor=None
        )
        if outcome:
            services.conclude_dispute(d, outcome, on=D, actor=None, note="已告知")


def test_statistics_table_matches_the_registry(cast, login):
    _sample(cast)
    response = login(cast.a_operator).get(
        "/disputes/statistics/", {"township": cast.a.pk, "start": "2025-01-01", "end": "2025-12-31"}
    )
    table = response.context["table"]
    rows = {r.label: r for r in table.by_type}
    assert rows["邻里纠纷"].received == 2 and rows["邻里纠纷"].cells == [1, 1, 0, 0, 0]
    assert rows["劳动争议纠纷"].cells == [0, 0, 0, 0, 1]
    figure = registry.compute("disputes.mediation_success_rate", cast.a, Period.year(2025))
    assert table.total.received == figure.denominator == 4
    assert table.total.cells[0] == figure.numerator == 2
    assert table.total.success_rate == "50.0%"


def test_statistics_export_to_excel(cast, login):
    _sample(cast)
    response = login(cast.a_operator).get(
        "/disputes/statistics/",
        {"township": cast.a.pk, "start": "2025-01-01", "end": "2025-12-31", "format": "xlsx"},
    )
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][:7] == (
        "纠纷类型",
        "受理纠纷数",
        "调解成功",
        "调解不成",
        "终止调解",
        "转诉讼·仲裁·行政处理",
        "尚未办结",
    )
    total = next(r for r in rows if r[0] == "合计")
    assert total[1:7] == (4, 2, 1, 0, 0, 1)


def test_statistics_other_township_is_refused(cast, login):
    response = login(cast.b_operator).get(
        "/disputes/statistics/", {"township": cast.a.pk, "start": "2025-01-01", "end": "2025-12-31"}
    )
    assert response.status_code == 400 and response.context["table"] is None
    assert login(cast.nobody).get("/disputes/statistics/").status_code == 403
