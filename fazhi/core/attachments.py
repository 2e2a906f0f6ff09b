"""Attachments: stored with their SHA-256, size and type checked; served only through the scope
gate, and checked against their hash again on every download.

Files live under MEDIA_ROOT (FAZHI_ATTACHMENT_DIR) as ``YYYY/MM/<sha256>-<random><ext>``; the
original (Chinese) name is kept in the row and given back in Content-Disposition. The upload is
streamed to a temporary file while hashing, so a large file never sits in memory.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import secrets
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from fazhi.core import scope
from fazhi.core.audit import diff, record_event, snapshot
from fazhi.core.choices import ChangeAction
from fazhi.core.context import job_id, request_id
from fazhi.core.models import Attachment, ChangeRecord, Township
from fazhi.core.roles import ADD, CHANGE, VIEW

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
_TMP = ".incoming"


class AttachmentTampered(Exception):
    """The stored file is missing or no longer matches the SHA-256 recorded at upload."""

    def __init__(self, attachment: Attachment, actual: str | None) -> None:
        self.attachment = attachment
        self.actual = actual
        if actual is None:
            message = f"附件“{attachment.original_name}”的文件已丢失，无法提供下载。"
        else:
            message = (
                f"附件“{attachment.original_name}”的内容与上传时登记的 SHA-256 不一致，"
                "文件可能已被篡改或损坏，已停止下载。"
            )
        super().__init__(message)


# --- paths ----------------------------------------------------------------------------------
def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def file_path(name: str) -> Path:
    """Absolute path of a stored name, refusing anything that leaves MEDIA_ROOT."""
    root = media_root().resolve()
    rel = PurePosixPath(name)
    if rel.is_absolute() or ".." in rel.parts or not name:
        raise ValueError(f"附件存储路径无效：{name!r}")
    path = (root / rel).resolve()
    if root not in path.parents:
        raise ValueError(f"附件存储路径无效：{name!r}")
    return path


def sha256_of(fileobj: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


# --- validation -----------------------------------------------------------------------------
def allowed_types() -> list[str]:
    return [
        t.lower() if t.startswith(".") else f".{t.lower()}"
        for t in settings.ATTACHMENT_ALLOWED_TYPES
    ]


def _human(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def max_size_label() -> str:
    return _human(settings.ATTACHMENT_MAX_BYTES)


def _too_big(size: int | None = None) -> ValidationError:
    limit = _human(settings.ATTACHMENT_MAX_BYTES)
    got = f"（{_human(size)}）" if size else ""
    return ValidationError({"file": f"文件过大{got}：单个附件不能超过 {limit}。"})


def check_name(name: str) -> str:
    """The lower-case extension of an acceptable file name, or a ValidationError on field "file"."""
    base = os.path.basename(name or "").strip()
    if not base:
        raise ValidationError({"file": "文件：请选择要上传的文件。"})
    if len(base) > 255:
        raise ValidationError({"file": "文件名过长：不能超过255个字符。"})
    ext = os.path.splitext(base)[1].lower()
    allowed = allowed_types()
    if ext not in allowed:
        shown = ext or "（无扩展名）"
        raise ValidationError(
            {"file": f"文件类型 {shown} 不允许上传。允许的类型：{'、'.join(allowed)}。"}
        )
    return ext


# --- store ----------------------------------------------------------------------------------
def _target(obj: models.Model | None) -> tuple[ContentType | None, str]:
    if obj is None:
        return None, ""
    return ContentType.objects.get_for_model(obj), str(obj.pk)


def township_of(obj: models.Model) -> int | None:
    """The township id a record belongs to (a Township belongs to itself)."""
    if isinstance(obj, Township):
        return obj.pk
    return getattr(obj, "township_id", None)


def record_visible(user: Any, obj: models.Model) -> bool:
    """Is the record visible to the user through its model's scope gate (`visible_to`)?"""
    manager = type(obj)._default_manager
    if not hasattr(manager, "visible_to"):
        return False
    return manager.visible_to(user, VIEW).filter(pk=obj.pk).exists()


def _check_scope(actor: Any, township_id: int, obj: models.Model | None) -> None:
    if actor is None:  # system work (commands, jobs without a user)
        return
    if obj is not None and not record_visible(actor, obj):
        from django.http import Http404

        raise Http404("记录不存在或无权访问。")
    if obj is not None and hasattr(type(obj)._default_manager, "visible_to"):
        # whoever may change a record may attach files to it (a village mediator to a dispute of
        # their village), even without the right to add rows township-wide
        if scope.visible(actor, obj, CHANGE):
            return
    scope.ensure_township(actor, ADD, township_id, Attachment)


def _write_stream(uploaded: Any, ext: str) -> tuple[str, str, int]:
    """Stream the upload to MEDIA_ROOT/.incoming, hashing; return (stored name, sha256, size)."""
    limit = settings.ATTACHMENT_MAX_BYTES
    declared = getattr(uploaded, "size", None)
    if declared is not None and declared > limit:
        raise _too_big(declared)
    incoming = media_root() / _TMP
    incoming.mkdir(parents=True, exist_ok=True)
    tmp = incoming / f"{secrets.token_hex(8)}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with open(tmp, "xb") as out:
            chunks = uploaded.chunks(CHUNK) if hasattr(uploaded, "chunks") else None
            if chunks is None:
                chunks = iter(lambda: uploaded.read(CHUNK), b"")
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise _too_big()
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationError({"file": "文件为空：请选择有内容的文件。"})
        sha = digest.hexdigest()
        today = timezone.localdate()
        name = f"{today:%Y}/{today:%m}/{sha}-{secrets.token_hex(4)}{ext}"
        final = file_path(name)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        return name, sha, size
    finally:
        if tmp.exists():
            tmp.unlink()


def _record_created(attachment: Attachment, obj: models.Model | None, actor: Any) -> None:
    """A change record for the new attachment, with the record it is attached to as parent
    (so the parent's history panel shows it)."""
    authenticated = getattr(actor, "is_authenticated", False)
    ChangeRecord.objects.create(
        township_id=attachment.township_id,
        content_type=ContentType.objects.get_for_model(attachment),
        object_id=str(attachment.pk),
        object_repr=f"附件 {attachment.original_name}"[:200],
        action=ChangeAction.CREATE,
        changes=diff(attachment, None, snapshot(attachment)),
        parent_content_type=attachment.content_type,
        parent_object_id=attachment.object_id,
        actor=actor if authenticated else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if authenticated else "系统",
        request_id=request_id.get(),
        job_id=job_id.get(),
    )


def store(
    uploaded: Any,
    *,
    township: Any,
    obj: models.Model | None = None,
    actor: Any,
    description: str = "",
) -> Attachment:
    """Store an uploaded file (Django UploadedFile or any object with .name and .read/.chunks).

    Checks type and size (ValidationError on field "file", in Chinese), the actor's scope
    (may add in the township; the record it is attached to must be visible), computes SHA-256
    while streaming, and writes the row, its change record and a domain event in one transaction.
    """
    township_id = township.pk if isinstance(township, Township) else int(township)
    if obj is not None and township_of(obj) != township_id:
        raise ValidationError({"file": "附件所属乡镇与记录不一致。"})
    _check_scope(actor, township_id, obj)
    original = os.path.basename(getattr(uploaded, "name", "") or "").strip()
    ext = check_name(original)
    if len(description) > 200:
        raise ValidationError({"description": "说明不能超过200个字。"})
    name, sha, size = _write_stream(uploaded, ext)
    ct, object_id = _target(obj)
    mime = mimetypes.guess_type(original)[0] or "application/octet-stream"
    authenticated = getattr(actor, "is_authenticated", False)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                township_id=township_id,
                content_type=ct,
                object_id=object_id,
                file=name,
                original_name=original,
                mime_type=mime,
                size=size,
                sha256=sha,
                description=description,
                created_by=actor if authenticated else None,
                updated_by=actor if authenticated else None,
            )
            _record_created(attachment, obj, actor)
            record_event(
                "core.attachment_added",
                f"上传附件：{original}",
                township=township_id,
                actor=actor,
                obj=obj if obj is not None else attachment,
                payload={"attachment": attachment.pk, "sha256": sha, "size": size},
            )
    except BaseException:
        file_path(name).unlink(missing_ok=True)
        raise
    return attachment


# --- read -----------------------------------------------------------------------------------
def open_verified(attachment: Attachment) -> BinaryIO:
    """Open the stored file after checking its SHA-256; raises AttachmentTampered.

    The returned file is positioned at the start; the caller closes it (FileResponse does).
    """
    try:
        path = file_path(attachment.file.name)
        fileobj = open(path, "rb")  # handed to the caller
    except (OSError, ValueError):
        raise AttachmentTampered(attachment, None) from None
    try:
        actual, size = sha256_of(fileobj)
        if actual != attachment.sha256 or size != attachment.size:
            raise AttachmentTampered(attachment, actual)
        fileobj.seek(0)
    except BaseException:
        fileobj.close()
        raise
    return fileobj


def target_of(attachment: Attachment) -> models.Model | None:
    """The record an attachment belongs to (None when standalone or gone)."""
    if attachment.content_type_id is None or not attachment.object_id:
        return None
    model = attachment.content_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=attachment.object_id).first()


def visible_attachment(user: Any, pk: Any) -> Attachment:
    """The attachment if `user` may see it (its township and the record it belongs to), else 404."""
    from django.http import Http404

    try:
        attachment = (
            Attachment.objects.visible_to(user, VIEW).select_related("content_type").get(pk=pk)
        )
    except (Attachment.DoesNotExist, ValueError):
        raise Http404("附件不存在或无权访问。") from None
    target = target_of(attachment)
    if target is not None and not record_visible(user, target):
        raise Http404("附件不存在或无权访问。")
    return attachment


def for_object(obj: models.Model, user: Any) -> models.QuerySet:
    """Attachments of a record that `user` may see."""
    ct = ContentType.objects.get_for_model(obj)
    return Attachment.objects.visible_to(user, VIEW).filter(content_type=ct, object_id=str(obj.pk))


def can_upload(user: Any, obj: models.Model) -> bool:
    try:
        _check_scope(user, township_of(obj), obj)
    except Exception:  # Http404 or PermissionDenied
        return False
    return True


def panel_target(obj: models.Model) -> str:
    """The `target` parameter of the attachments panel for a record ("app.model:pk")."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}:{obj.pk}"


def panel_url(obj: models.Model) -> str:
    """URL of the htmx attachments panel of a record, to load into its detail page:

    <section hx-get="{{ attachments_url }}" hx-trigger="load" hx-swap="outerHTML"></section>
    """
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{reverse('core:attachment_upload')}?{urlencode({'target': panel_target(obj)})}"
