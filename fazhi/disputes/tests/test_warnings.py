"""Early warnings: violence words, group disputes, repeat parties (across modules, through the
party index), overdue cases; routed to the village's 分包领导 with a record of the action."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fazhi.core.models import Notification, Staff, VillageContact
from fazhi.core.testing import act
from fazhi.disputes import services
from fazhi.disputes.models import EarlyWarning, WarningSettings
from fazhi.disputes.tests.helpers import D, party, register
from fazhi.parties import registry


@pytest.fixture
def leader(cast):
    staff = Staff.objects.create(
        township=cast.a, name="刘副镇长", position="副镇长", user=cast.a_admin
    )
    VillageContact.objects.create(
        township=cast.a, village=cast.a1, staff=staff, start=dt.date(2025, 1, 1)
    )
    return cast.a_admin


def test_violence_words_raise_a_warning_to_the_village_leader(cast, leader):
    dispute = register(
        cast, actor=cast.a1_grid, source="grid", description="李四扬言要持刀报复张三"
    )
    warning = EarlyWarning.objects.get(dispute=dispute, kind="violence")
    assert "持刀" in warning.detail and "报复" in warning.detail and "第二十五条" in warning.detail
    assert warning.routed_to == leader and "刘副镇长" in warning.routed_to_name
    assert Notification.objects.filter(user=leader, text__contains="预警").exists()


def test_keywords_are_configurable_per_township(cast, leader):
    WarningSettings.objects.create(township=cast.a, keywords="断水")
    assert not EarlyWarning.objects.filter(dispute=register(cast, description="扬言报复")).exists()
    assert EarlyWarning.objects.filter(dispute=register(cast, description="对方断水断电")).exists()


def test_group_dispute_warning_at_threshold(cast):
    people = [party(f"村民{i}", phone=f"1300000000{i}") for i in range(5)]
    dispute = register(
        cast, parties=people, kind="land_contract", description="五户土地承包费分配争议"
    )
    assert EarlyWarning.objects.filter(dispute=dispute, kind="group").exists()
    fewer = register(cast, parties=people[:4], description="四户")
    assert not EarlyWarning.objects.filter(dispute=fewer, kind="group").exists()


def test_repeat_party_within_window(cast):
    register(cast, received_on=dt.date(2025, 1, 10))
    again = register(cast, received_on=dt.date(2025, 5, 10))
    warning = EarlyWarning.objects.get(dispute=again, kind="repeat_party")
    assert "张三" in warning.detail and "2025-01-10" in warning.detail
    assert warning.party.name in ("张三", "李四")


def test_repeat_party_outside_window_is_quiet(cast):
    WarningSettings.objects.create(township=cast.a, repeat_window_days=30)
    register(cast, received_on=dt.date(2025, 1, 10))
    later = register(cast, received_on=dt.date(2025, 5, 10))
    assert not EarlyWarning.objects.filter(dispute=later, kind="repeat_party").exists()


def test_repeat_party_counts_other_modules_records(cast):
    """A petition (or any module registered with the party index) counts too."""

    def petitions(party_ids, user):
        from fazhi.parties.models import Party

        for p in Party.objects.filter(pk__in=party_ids, name="张三"):
            yield registry.PartyRecord(
                key=f"petitions.petition:{p.pk}",
                module="信访",
                title="〔2025〕甲镇信字第3号",
                url="",
                date=dt.date(2025, 2, 1),
                role="信访人",
                status="办理中",
                township_id=p.township_id,
            )

    from fazhi.parties.services import find_or_create_party

    find_or_create_party(cast.a, name="张三", phone="13800000001", actor=None)
    registry.register("test_petitions", "信访", petitions)
    try:
        dispute = register(cast, received_on=dt.date(2025, 3, 1))
    finally:
        registry.unregister("test_petitions")
    assert (
        "信访〔2025〕甲镇信字第3号"
        in EarlyWarning.objects.get(dispute=dispute, kind="repeat_party").detail
    )


def test_warnings_are_raised_once(cast):
    dispute = register(cast, description="扬言报复")
    services.check_warnings(dispute, actor=None)
    services.check_warnings(dispute, actor=None)
    assert EarlyWarning.objects.filter(dispute=dispute, kind="violence").count() == 1


def test_overdue_sweep_raises_overdue_warnings(cast, leader):
    dispute = services.accept_dispute(
        register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
    )
    assert services.sweep_overdue(dt.date(2025, 4, 3)) == 0
    assert services.sweep_overdue(dt.date(2025, 4, 8)) == 1
    warning = EarlyWarning.objects.get(dispute=dispute, kind="overdue")
    assert warning.routed_to == leader and "逾期5天" in warning.detail
    assert services.sweep_overdue(dt.date(2025, 4, 9)) == 0


def test_warning_sweep_job_runs(cast):
    from fazhi.core import jobs
    from fazhi.disputes.jobs import WARNING_SWEEP_JOB

    services.accept_dispute(register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator)
    job = jobs.enqueue(WARNING_SWEEP_JOB, params={"today": "2025-05-01"})
    jobs.run(jobs.claim())
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["raised"] == 1


def test_without_village_leader_the_warning_goes_to_the_justice_office(cast):
    Staff.objects.create(
        township=cast.a,
        name="司法所长",
        position="司法所所长",
        department=cast.justice_a,
        user=cast.a_officer,
    )
    dispute = register(cast, description="扬言报复", village=cast.a2)
    warning = EarlyWarning.objects.get(dispute=dispute)
    assert warning.routed_to == cast.a_officer and "未配置分包领导" in warning.routed_to_name


def test_village_leader_without_a_login_routes_to_the_justice_office(cast):
    Staff.objects.create(
        township=cast.a, name="司法所长", position="司法所所长", department=cast.justice_a,
        user=cast.a_officer,
    )  # fmt: skip
    offline = Staff.objects.create(township=cast.a, name="周委员", position="党委委员")
    VillageContact.objects.create(
        township=cast.a, village=cast.a1, staff=offline, start=dt.date(2025, 1, 1)
    )
    warning = EarlyWarning.objects.get(dispute=register(cast, description="扬言报复"))
    assert warning.routed_to == cast.a_officer
    assert "周委员未开通平台账号" in warning.routed_to_name
    assert Notification.objects.filter(user=cast.a_officer, text__contains="预警").exists()


def test_handling_records_the_action(cast, leader):
    dispute = register(cast, description="扬言报复")
    warning = EarlyWarning.objects.get(dispute=dispute)
    with pytest.raises(ValidationError):
        services.handle_warning(warning, action="reported_police", note="", on=D, actor=leader)
    services.handle_warning(
        warning, action="reported_police", note="已报派出所出警稳控", on=D, actor=leader
    )
    warning.refresh_from_db()
    assert warning.status == "handled" and warning.handled_by == leader
    with pytest.raises(ValidationError):
        services.handle_warning(warning, action="visited", note="再次", on=D, actor=leader)


def test_warning_page_handle_form(cast, login, leader):
    dispute = register(cast, description="扬言报复")
    warning = EarlyWarning.objects.get(dispute=dispute)
    response = act(
        login(cast.a_operator),
        f"/disputes/warnings/{warning.pk}/handle/",
        warning,
        {"action": "visited", "on": "2025-03-04", "note": "包村干部已上门"},
    )
    assert response.status_code == 302
    assert EarlyWarning.objects.get(pk=warning.pk).status == "handled"
    assert (
        act(login(cast.b_operator), f"/disputes/warnings/{warning.pk}/handle/", warning).status_code
        == 404
    )


def test_warning_page_shows_the_thresholds_in_force_and_whether_they_are_defaults(cast, login):
    warning = EarlyWarning.objects.get(dispute=register(cast, description="扬言报复"))
    page = login(cast.a_operator).get(f"/disputes/warnings/{warning.pk}/").content.decode()
    shown = page.split('id="thresholds"')[1].split("</dd>")[0]
    assert "180天" in shown and "5人" in shown and "系统默认值" in shown
    WarningSettings.objects.create(township=cast.a, repeat_window_days=90, keywords="报复")
    page = login(cast.a_operator).get(f"/disputes/warnings/{warning.pk}/").content.decode()
    shown = page.split('id="thresholds"')[1].split("</dd>")[0]
    assert "90天" in shown and "本乡镇的预警设置" in shown
