"""History: change records and domain events are written by services in the same transaction,
are append-only, carry the request or job id, mask PII, and the history panel of a record
shows its children's changes but nothing of another township."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse

from fazhi.core import jobs, services
from fazhi.core.audit import MASK, history_for, record_event
from fazhi.core.choices import ChangeAction
from fazhi.core.context import audit_context
from fazhi.core.models import (
    AppendOnlyError,
    ChangeRecord,
    DomainEvent,
    LeadingGroup,
    LeadingGroupMember,
    Staff,
    Village,
)
from fazhi.core.testing import form_payload


@transaction.atomic
def rename_village(village, name, *, actor, fail=False):
    """A module-style service: change + event in one transaction."""
    village = services.update_object(
        village, {"name": name}, actor=actor, expected_version=village.version
    )
    record_event(
        "core.village_renamed",
        f"村更名为{name}",
        township=village.township,
        actor=actor,
        obj=village,
        payload={"name": name},
    )
    if fail:
        raise RuntimeError("a later step of the service failed")
    return village


@jobs.handler("tests.create_village")
def _create_village(job):
    from fazhi.core.models import Township

    village = services.create_object(
        Village,
        {"township": Township.objects.get(pk=job.params["township"]), "name": "任务新建村"},
        actor=job.actor,
    )
    return {"village": village.pk}


@pytest.mark.django_db
class TestSameTransaction:
    def test_service_writes_change_and_event_together(self, cast):
        with audit_context(request="req-1"):
            rename_village(cast.a1, "甲一新村", actor=cast.a_operator)
        change = history_for(cast.a1).get()
        event = DomainEvent.objects.get(kind="core.village_renamed")
        assert change.action == ChangeAction.UPDATE
        assert change.changes["name"] == {"label": "名称", "before": "甲一村", "after": "甲一新村"}
        assert (change.actor, change.actor_name) == (cast.a_operator, "a_operator")
        assert change.request_id == event.request_id == "req-1"
        assert event.object_id == str(cast.a1.pk) and event.township_id == cast.a.pk

    def test_a_failing_service_rolls_back_change_event_and_data(self, cast):
        with pytest.raises(RuntimeError):
            rename_village(cast.a1, "不该保存", actor=cast.a_operator, fail=True)
        assert Village.objects.get(pk=cast.a1.pk).name == "甲一村"
        assert not history_for(cast.a1).exists()
        assert not DomainEvent.objects.filter(kind="core.village_renamed").exists()

    def test_an_update_that_changes_nothing_writes_no_change_record(self, cast):
        services.update_object(
            cast.a1, {"name": "甲一村"}, actor=cast.a_operator, expected_version=cast.a1.version
        )
        assert not history_for(cast.a1).exists()

    def test_create_and_delete_are_recorded_with_values(self, cast):
        village = services.create_object(
            Village, {"township": cast.a, "name": "临时村", "households": 30}, actor=cast.a_operator
        )
        services.delete_object(village, actor=cast.a_operator, expected_version=village.version)
        records = list(
            ChangeRecord.objects.filter(
                content_type=ContentType.objects.get_for_model(Village), object_id=str(village.pk)
            ).order_by("id")
        )
        assert [r.action for r in records] == [ChangeAction.CREATE, ChangeAction.DELETE]
        assert records[0].changes["households"]["after"] == 30
        assert records[1].changes["name"]["before"] == "临时村"


@pytest.mark.django_db
class TestAppendOnly:
    @pytest.fixture
    def rows(self, cast):
        rename_village(cast.a1, "甲一新村", actor=cast.a_operator)
        return history_for(cast.a1).get(), DomainEvent.objects.get(kind="core.village_renamed")

    def test_change_records_refuse_save_and_delete(self, rows):
        change, _ = rows
        change.object_repr = "篡改"
        with pytest.raises(AppendOnlyError):
            change.save()
        with pytest.raises(AppendOnlyError):
            change.delete()
        assert ChangeRecord.objects.get(pk=change.pk).object_repr != "篡改"

    def test_domain_events_refuse_save_and_delete(self, rows):
        _, event = rows
        event.label = "篡改"
        with pytest.raises(AppendOnlyError):
            event.save()
        with pytest.raises(AppendOnlyError):
            event.delete()
        assert DomainEvent.objects.get(pk=event.pk).label != "篡改"


@pytest.mark.django_db
class TestCause:
    def test_request_id_comes_from_the_middleware(self, cast, login):
        client = login(cast.a_operator)
        payload = form_payload(
            {"township": cast.a, "name": "请求改名村", "kind": "village", "households": ""},
            version=cast.a1.version,
        )
        url = reverse("core:villages_edit", args=[cast.a1.pk])
        response = client.post(url, payload, HTTP_X_REQUEST_ID="req-abc-123")
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["X-Request-ID"] == "req-abc-123"
        assert history_for(cast.a1).get().request_id == "req-abc-123"

    def test_a_request_without_id_gets_one(self, cast, login):
        client = login(cast.a_operator)
        payload = form_payload(
            {"township": cast.a, "name": "自动编号村", "kind": "village", "households": ""},
            version=cast.a1.version,
        )
        response = client.post(reverse("core:villages_edit", args=[cast.a1.pk]), payload)
        rid = history_for(cast.a1).get().request_id
        assert len(rid) == 16 and response["X-Request-ID"] == rid

    def test_job_id_is_recorded_inside_jobs(self, cast):
        job = jobs.enqueue(
            "tests.create_village",
            actor=cast.a_operator,
            township=cast.a,
            params={"township": cast.a.pk},
        )
        jobs.run_pending()
        job.refresh_from_db()
        assert job.status == "succeeded", job.error
        record = ChangeRecord.objects.get(object_id=str(job.result["village"]), action="create")
        assert record.job_id == str(job.pk) and record.request_id == ""
        assert record.actor == cast.a_operator

    def test_commands_without_request_or_job_record_neither(self, cast):
        services.update_object(
            cast.a1, {"households": 99}, actor=cast.a_operator, expected_version=cast.a1.version
        )
        record = history_for(cast.a1).get()
        assert (record.request_id, record.job_id) == ("", "")


@pytest.mark.django_db
class TestMasking:
    def test_staff_phone_is_masked_in_history(self, cast):
        staff = services.create_object(
            Staff,
            {"township": cast.a, "name": "张三", "phone": "13800138000"},
            actor=cast.a_operator,
        )
        services.update_object(
            staff, {"phone": "13900139000"}, actor=cast.a_operator, expected_version=staff.version
        )
        records = list(history_for(staff).order_by("id"))
        assert records[0].changes["phone"] == {"label": "联系电话", "before": "", "after": MASK}
        assert records[1].changes["phone"] == {"label": "联系电话", "before": MASK, "after": MASK}
        dumped = str([r.changes for r in records])
        assert "13800138000" not in dumped and "13900139000" not in dumped

    def test_masked_field_is_masked_on_the_page(self, cast, login):
        staff = services.create_object(
            Staff,
            {"township": cast.a, "name": "李四", "phone": "13800138000"},
            actor=cast.a_operator,
        )
        body = login(cast.a_admin).get(reverse("core:staff_history", args=[staff.pk])).content
        assert "13800138000" not in body.decode() and MASK in body.decode()


@pytest.mark.django_db
class TestHistoryPanel:
    @pytest.fixture
    def group(self, cast):
        return services.create_object(
            LeadingGroup,
            {"township": cast.a, "established_on": dt.date(2025, 1, 1)},
            actor=cast.a_admin,
        )

    def test_panel_shows_changes_of_children(self, cast, login, group):
        staff = Staff.objects.create(township=cast.a, name="王五")
        member = services.create_object(
            LeadingGroupMember,
            {
                "township": cast.a,
                "group": group,
                "staff": staff,
                "role": "leader",
                "term_start": dt.date(2025, 1, 1),
            },
            actor=cast.a_admin,
        )
        response = login(cast.a_viewer).get(reverse("core:leading-groups_detail", args=[group.pk]))
        assert response.status_code == 200
        shown = list(response.context["history"])
        assert {r.object_id for r in shown if r.content_type.model == "leadinggroupmember"} == {
            str(member.pk)
        }
        assert "王五（组长）" in response.content.decode()
        full = login(cast.a_viewer).get(reverse("core:leading-groups_history", args=[group.pk]))
        assert any(r.object_id == str(member.pk) for r in full.context["page"])

    def test_panel_shows_nothing_of_another_township(self, cast, login, group):
        # a record of township B that (wrongly) names A's group as parent
        ChangeRecord.objects.create(
            township=cast.b,
            content_type=ContentType.objects.get_for_model(LeadingGroupMember),
            object_id="999",
            object_repr="乙镇的秘密成员",
            action=ChangeAction.CREATE,
            changes={"staff": {"label": "成员", "before": None, "after": "乙镇某人"}},
            parent_content_type=ContentType.objects.get_for_model(LeadingGroup),
            parent_object_id=str(group.pk),
            actor_name="b_operator",
        )
        for user in (cast.a_operator, cast.a_viewer):
            client = login(user)
            detail = client.get(reverse("core:leading-groups_detail", args=[group.pk]))
            history = client.get(reverse("core:leading-groups_history", args=[group.pk]))
            for response in (detail, history):
                assert response.status_code == 200
                assert "乙镇的秘密成员" not in response.content.decode()
        assert (
            login(cast.b_operator)
            .get(reverse("core:leading-groups_history", args=[group.pk]))
            .status_code
            == 404
        )

    def test_attachment_uploads_appear_in_the_records_history(
        self, cast, login, group, settings, tmp_path
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from fazhi.core import attachments

        settings.MEDIA_ROOT = tmp_path
        attachments.store(
            SimpleUploadedFile("成立文件.pdf", b"%PDF"),
            township=cast.a,
            obj=group,
            actor=cast.a_admin,
        )
        body = (
            login(cast.a_viewer)
            .get(reverse("core:leading-groups_detail", args=[group.pk]))
            .content.decode()
        )
        assert "附件 成立文件.pdf" in body


def test_many_to_many_changes_are_recorded_with_names(cast):
    """Links Django manages itself (no through model) show in history, by name."""
    import datetime as dt

    from fazhi.core import services
    from fazhi.core.models import ChangeRecord
    from fazhi.disputes.models import Mediator, MediatorTraining

    one = Mediator.objects.create(township=cast.a, name="调解员甲")
    two = Mediator.objects.create(township=cast.a, name="调解员乙")
    training = services.create_object(
        MediatorTraining,
        {"township": cast.a, "held_on": dt.date(2025, 3, 1), "topic": "民法典", "attendees": [one]},
        actor=cast.a_operator,
    )
    created = ChangeRecord.objects.get(
        object_id=str(training.pk), action="create", content_type__model="mediatortraining"
    )
    assert created.changes["attendees"]["after"] == "调解员甲"
    services.update_object(
        training,
        {"attendees": [one, two]},
        actor=cast.a_operator,
        expected_version=training.version,
    )
    updated = ChangeRecord.objects.get(
        object_id=str(training.pk), action="update", content_type__model="mediatortraining"
    )
    assert updated.changes["attendees"] == {
        "label": "参训调解员",
        "before": "调解员甲",
        "after": "调解员乙、调解员甲",  # names in sorted order
    }


def test_a_records_history_is_asked_by_its_township(cast):
    """The history tables' indexes lead with the township: `history_for` and `events_for` ask
    by the record's (a village's, a township's own), and a record of no township by its type
    and id alone (a county's)."""
    from fazhi.core.audit import events_for

    for obj, township_id in ((cast.a1, cast.a.pk), (cast.a, cast.a.pk), (cast.a.county, None)):
        for query in (history_for(obj).query, events_for(obj).query):
            where = str(query).split(" WHERE ")[1]
            if township_id is None:
                assert "township_id" not in where, where
            else:
                assert f'"township_id" = {township_id}' in where, where
