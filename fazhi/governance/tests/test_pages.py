"""Workflow pages: another township's user cannot read them."""

import datetime as dt

import pytest
import time_machine

from fazhi.core.models import Deadline, Staff
from fazhi.governance.models import Meeting, Target, Task

pytestmark = pytest.mark.django_db


def test_frequencies_and_progress_pages_are_scoped(cast, login):
    Meeting.objects.create(
        township=cast.a, held_on=dt.date(2025, 2, 10), kind="quarterly_report", title="甲镇汇报"
    )
    Target.objects.create(
        township=cast.a, year=2025, metric_code="outreach.events", value=6, wording="甲镇普法目标"
    )
    mine = login(cast.a_operator)
    assert "甲镇" in mine.get("/governance/frequencies/?year=2025").content.decode()
    assert "甲镇普法目标" in mine.get("/governance/progress/?year=2025").content.decode()
    other = login(cast.b_operator)
    for url in ("/governance/frequencies/", "/governance/progress/"):
        response = other.get(f"{url}?year=2025&township={cast.a.pk}")
        assert response.status_code == 200
        assert "甲镇普法目标" not in response.content.decode()
        assert response.context["township"] is None
    assert login(cast.nobody).get("/governance/progress/").status_code == 403


def test_township_home_shows_the_years_target_progress(cast, login):
    Target.objects.create(
        township=cast.a, year=2025, metric_code="outreach.events", value=6, wording="甲镇普法目标"
    )
    page = login(cast.a_operator).get(f"/t/{cast.a.pk}/?year=2025").content.decode()
    assert "2025年度目标进度" in page and "甲镇普法目标" in page


@time_machine.travel(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False)
def test_a_meetings_decision_becomes_a_follow_up_task_with_owner_and_due_date(cast, login):
    meeting = Meeting.objects.create(
        township=cast.a,
        held_on=dt.date(2025, 2, 10),
        kind="half_year",
        title="法治建设专题会议",
        decisions="制定年度普法责任清单\n完善村规民约",
    )
    owner = Staff.objects.create(township=cast.a, name="司法所长", user=cast.a_officer)
    b_staff = Staff.objects.create(township=cast.b, name="乙镇人员")
    client = login(cast.a_operator)
    detail = client.get(f"/governance/meetings/{meeting.pk}/").content.decode()
    assert f"/governance/meetings/{meeting.pk}/followup/" in detail
    form = client.get(f"/governance/meetings/{meeting.pk}/followup/")
    assert form.context["form"]["title"].initial == "制定年度普法责任清单"
    url = f"/governance/meetings/{meeting.pk}/followup/"
    data = {"title": "制定年度普法责任清单", "department": cast.justice_a.pk, "due": "2025-03-31"}
    missing_owner = client.post(url, data)
    assert missing_owner.status_code == 400 and "owner" in missing_owner.context["form"].errors
    foreign_owner = client.post(url, {**data, "owner": b_staff.pk})
    assert foreign_owner.status_code == 400 and not Task.objects.exists()
    response = client.post(url, {**data, "owner": owner.pk})
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.meeting, task.owner, task.due, task.year) == (
        meeting,
        owner,
        dt.date(2025, 3, 31),
        2025,
    )
    deadline = Deadline.objects.get(object_id=str(task.pk), rule_code="governance.task")
    assert deadline.responsible == cast.a_officer and deadline.due_date == task.due
    assert (
        "制定年度普法责任清单" in client.get(f"/governance/meetings/{meeting.pk}/").content.decode()
    )
    # another township's clerk can neither open the form nor create a task from the meeting
    other = login(cast.b_operator)
    assert other.get(url).status_code == 404
    assert other.post(url, {**data, "owner": owner.pk}).status_code == 404
    assert login(cast.a_viewer).get(url).status_code == 403
    assert Task.objects.count() == 1
