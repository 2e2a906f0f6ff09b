"""Attachments: hashed and checked on upload, served only through the scope gate, and refused
when the stored file no longer matches its hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from fazhi.core import attachments
from fazhi.core.audit import history_for
from fazhi.core.models import Attachment, ChangeRecord, DomainEvent

PDF = b"%PDF-1.4 \xe6\xb3\x95\xe6\xb2\xbb test content\n" * 20


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "attachments"
    return Path(settings.MEDIA_ROOT)


def upload(name="现场检查笔录.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def store(cast, obj=None, **kwargs):
    obj = obj or cast.a1
    return attachments.store(
        kwargs.pop("file", None) or upload(),
        township=obj.township,
        obj=obj,
        actor=kwargs.pop("actor", cast.a_operator),
        **kwargs,
    )


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.django_db
class TestStore:
    def test_upload_is_hashed_sized_and_stored_under_the_attachment_dir(self, cast, media):
        a = store(cast, description="询问笔录")
        assert a.sha256 == hashlib.sha256(PDF).hexdigest()
        assert a.size == len(PDF)
        assert a.original_name == "现场检查笔录.pdf"
        assert a.mime_type == "application/pdf"
        assert a.township == cast.a and a.object_id == str(cast.a1.pk)
        path = attachments.file_path(a.file.name)
        assert media.resolve() in path.parents
        assert path.read_bytes() == PDF
        assert a.sha256 in a.file.name and "现场" not in a.file.name
        assert stored_files(media) == [path]

    def test_upload_writes_history_on_the_record_and_an_event(self, cast, media):
        a = store(cast)
        record = history_for(cast.a1).get(object_id=str(a.pk))
        assert record.action == "create" and record.actor == cast.a_operator
        assert record.parent_object_id == str(cast.a1.pk)
        event = DomainEvent.objects.get(kind="core.attachment_added")
        assert event.object_id == str(cast.a1.pk) and event.payload["sha256"] == a.sha256

    def test_disallowed_type_is_refused_naming_the_field(self, cast, media):
        with pytest.raises(ValidationError) as exc:
            store(cast, file=upload("病毒.exe", b"MZ..."))
        message = exc.value.message_dict["file"][0]
        assert "文件类型 .exe 不允许上传" in message and ".pdf" in message
        assert not Attachment.objects.exists() and not stored_files(media)

    def test_name_without_extension_is_refused(self, cast, media):
        with pytest.raises(ValidationError, match="无扩展名"):
            store(cast, file=upload("README", b"x"))

    def test_too_large_file_is_refused(self, cast, media, settings):
        settings.ATTACHMENT_MAX_BYTES = 100
        with pytest.raises(ValidationError) as exc:
            store(cast, file=upload("大文件.pdf", b"x" * 101))
        assert exc.value.message_dict["file"][0].startswith("文件过大")
        assert not Attachment.objects.exists() and not stored_files(media)

    def test_size_is_enforced_while_streaming_not_trusted_from_the_client(
        self, cast, media, settings
    ):
        settings.ATTACHMENT_MAX_BYTES = 1000

        class Lying:
            name = "说谎.pdf"
            size = 10

            def chunks(self, chunk_size=None):
                for _ in range(5):
                    yield b"y" * 300

        with pytest.raises(ValidationError, match="文件过大"):
            attachments.store(Lying(), township=cast.a, actor=cast.a_operator)
        assert not stored_files(media)

    def test_empty_file_is_refused(self, cast, media):
        with pytest.raises(ValidationError, match="文件为空"):
            store(cast, file=upload("空.pdf", b""))

    def test_other_township_record_is_404_and_viewer_is_403(self, cast, media):
        with pytest.raises(Http404):
            store(cast, actor=cast.b_operator)
        with pytest.raises(PermissionDenied):
            store(cast, actor=cast.a_viewer)
        assert not Attachment.objects.exists()

    def test_township_must_match_the_record(self, cast, media):
        with pytest.raises(ValidationError, match="乡镇"):
            attachments.store(upload(), township=cast.b, obj=cast.a1, actor=None)

    def test_open_verified_returns_the_content(self, cast, media):
        a = store(cast)
        with attachments.open_verified(a) as f:
            assert f.read() == PDF

    def test_open_verified_refuses_a_changed_file(self, cast, media):
        a = store(cast)
        attachments.file_path(a.file.name).write_bytes(PDF.replace(b"test", b"TEST"))
        with pytest.raises(attachments.AttachmentTampered) as exc:
            attachments.open_verified(a)
        assert "SHA-256" in str(exc.value) and exc.value.actual

    def test_open_verified_refuses_a_missing_file(self, cast, media):
        a = store(cast)
        attachments.file_path(a.file.name).unlink()
        with pytest.raises(attachments.AttachmentTampered, match="丢失"):
            attachments.open_verified(a)

    def test_paths_cannot_leave_the_attachment_dir(self, media):
        for bad in ("../x.pdf", "/etc/passwd", "a/../../x", ""):
            with pytest.raises(ValueError):
                attachments.file_path(bad)


@pytest.mark.django_db
class TestDownload:
    def url(self, a):
        return reverse("core:attachment_download", args=[a.pk])

    def test_download_serves_the_file_with_its_chinese_name(self, cast, media, login):
        a = store(cast)
        response = login(cast.a_viewer).get(self.url(a))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=utf-8''%E7%8E%B0%E5%9C%BA%E6%A3%80%E6%9F%A5%E7%AC%94%E5%BD%95.pdf" in (
            disposition
        )
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-SHA256"] == a.sha256

    def test_county_supervisor_may_download(self, cast, media, login):
        a = store(cast)
        assert login(cast.supervisor).get(self.url(a)).status_code == 200

    def test_other_township_and_no_role_get_404(self, cast, media, login):
        a = store(cast)
        assert login(cast.b_operator).get(self.url(a)).status_code == 404
        assert login(cast.nobody).get(self.url(a)).status_code == 404

    def test_anonymous_is_sent_to_login(self, cast, media, client):
        a = store(cast)
        response = client.get(self.url(a))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_village_role_cannot_download_from_a_record_it_cannot_see(self, cast, media, login):
        mine, theirs = store(cast, obj=cast.a1), store(cast, obj=cast.a2)
        client = login(cast.a1_mediator)
        assert client.get(self.url(mine)).status_code == 200
        assert client.get(self.url(theirs)).status_code == 404

    def test_tampered_file_is_not_served(self, cast, media, login):
        a = store(cast)
        attachments.file_path(a.file.name).write_bytes(b"%PDF forged")
        response = login(cast.a_operator).get(self.url(a))
        assert response.status_code == 409
        body = response.content.decode()
        assert "附件校验失败" in body and "可能已被篡改" in body
        assert "forged" not in body and "Content-Disposition" not in response
        event = DomainEvent.objects.get(kind="core.attachment_tampered")
        assert event.payload["expected"] == a.sha256
        assert event.payload["actual"] == hashlib.sha256(b"%PDF forged").hexdigest()

    def test_missing_file_is_a_clear_error(self, cast, media, login):
        a = store(cast)
        attachments.file_path(a.file.name).unlink()
        response = login(cast.a_operator).get(self.url(a))
        assert response.status_code == 409
        assert "文件已丢失" in response.content.decode()


@pytest.mark.django_db
class TestPanel:
    url = staticmethod(lambda: reverse("core:attachment_upload"))

    def target(self, obj):
        return attachments.panel_target(obj)

    def test_panel_lists_the_records_attachments_only(self, cast, media, login):
        mine = store(cast, obj=cast.a1, file=upload("甲一村.pdf"))
        store(cast, obj=cast.a2, file=upload("甲二村.pdf"))
        client = login(cast.a_operator)
        response = client.get(self.url(), {"target": self.target(cast.a1)}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert list(response.context["attachments"]) == [mine]
        body = response.content.decode()
        assert "甲一村.pdf" in body and "甲二村.pdf" not in body
        assert "<html" not in body and 'name="file"' in body  # a partial with the form
        assert attachments.panel_url(cast.a1).startswith(self.url() + "?target=core.village%3A")

    def test_panel_as_a_page(self, cast, media, login):
        response = login(cast.a_operator).get(self.url(), {"target": self.target(cast.a1)})
        assert response.status_code == 200 and "<html" in response.content.decode()

    def test_htmx_upload_returns_the_refreshed_panel(self, cast, media, login):
        client = login(cast.a_operator)
        response = client.post(
            self.url(),
            {
                "target": self.target(cast.a1),
                "file": upload("调解协议书.pdf"),
                "description": "正本",
            },
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert "调解协议书.pdf" in response.content.decode()
        a = Attachment.objects.get()
        assert (a.description, a.created_by, a.object_id) == (
            "正本",
            cast.a_operator,
            str(cast.a1.pk),
        )

    def test_plain_upload_redirects_back_to_next(self, cast, media, login):
        response = login(cast.a_operator).post(
            self.url(),
            {"target": self.target(cast.a1), "file": upload(), "next": "/villages/1/"},
        )
        assert response.status_code == 302 and response["Location"] == "/villages/1/"

    def test_bad_upload_shows_the_error_in_chinese(self, cast, media, login):
        client = login(cast.a_operator)
        data = {"target": self.target(cast.a1), "file": upload("a.exe", b"MZ")}
        response = client.post(self.url(), data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200  # htmx swaps only 2xx
        assert "文件类型 .exe 不允许上传" in response.content.decode()
        data = {"target": self.target(cast.a1), "file": upload("a.exe", b"MZ")}
        assert client.post(self.url(), data).status_code == 400
        response = client.post(self.url(), {"target": self.target(cast.a1)})
        assert "请选择要上传的文件" in response.content.decode()
        assert not Attachment.objects.exists()

    def test_viewer_sees_no_form_and_cannot_upload(self, cast, media, login):
        store(cast)
        client = login(cast.a_viewer)
        response = client.get(self.url(), {"target": self.target(cast.a1)})
        assert response.status_code == 200 and 'name="file"' not in response.content.decode()
        data = {"target": self.target(cast.a1), "file": upload()}
        assert client.post(self.url(), data).status_code == 403
        assert Attachment.objects.count() == 1

    def test_other_township_record_is_404(self, cast, media, login):
        client = login(cast.b_operator)
        assert client.get(self.url(), {"target": self.target(cast.a1)}).status_code == 404
        data = {"target": self.target(cast.a1), "file": upload()}
        assert client.post(self.url(), data).status_code == 404
        assert not Attachment.objects.exists()

    @pytest.mark.parametrize(
        "target", ["", "core.village", "core.village:x", "nope.model:1", "auth.user:1"]
    )
    def test_nonsense_targets_are_404(self, cast, media, login, target):
        assert login(cast.admin).get(self.url(), {"target": target}).status_code == 404

    def test_change_record_of_upload_is_scoped_like_the_record(self, cast, media):
        a = store(cast)
        record = ChangeRecord.objects.get(object_id=str(a.pk), content_type__model="attachment")
        assert record.township_id == cast.a.pk

    def test_a_township_itself_can_carry_attachments(self, cast, media, login):
        data = {"target": self.target(cast.a), "file": upload("年度计划.pdf")}
        response = login(cast.a_operator).post(self.url(), data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "年度计划.pdf" in response.content.decode()
        a = Attachment.objects.get()
        assert a.township == cast.a and a.object_id == str(cast.a.pk)
        assert (
            login(cast.a_viewer).get(reverse("core:attachment_download", args=[a.pk])).status_code
            == 200
        )
        assert (
            login(cast.b_operator).get(reverse("core:attachment_download", args=[a.pk])).status_code
            == 404
        )
        data = {"target": self.target(cast.a), "file": upload()}
        assert login(cast.b_operator).post(self.url(), data).status_code == 404


def test_a_village_mediator_attaches_to_disputes_of_their_village_only(cast):
    from fazhi.core import attachments as att
    from fazhi.disputes.tests.helpers import raw_dispute

    mine = raw_dispute(cast, cast.a, village=cast.a1)
    theirs = raw_dispute(cast, cast.a, village=cast.a2)
    assert att.can_upload(cast.a1_mediator, mine)  # may change it, though not add township-wide
    assert not att.can_upload(cast.a1_mediator, theirs)
    assert not att.can_upload(cast.a_viewer, mine)
