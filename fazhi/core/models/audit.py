"""Append-only history: field-level change records and typed domain events.

Both are written by services in the same transaction as the change (never by signals), and
carry the request id or job id of what caused them. Rows refuse update and delete.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from fazhi.core.choices import ChangeAction

#: a history row's reference: PROTECT as Django applies every on_delete (its deletion
#: collector), without a database constraint. A ledger import appends ~14 history rows per
#: row, and each constraint's check runs at COMMIT (Django's keys are DEFERRABLE INITIALLY
#: DEFERRED): with them, half of a large import's commit on PostgreSQL (docs/performance.md).
#: The ids written come from rows the writing transaction has just read; a township or
#: content type with history cannot be deleted through the ORM (ProtectedError), a user's
#: deletion empties `actor` and keeps `actor_name` (tests/test_history_keys.py).
_LOG_KEY: dict = {"on_delete": models.PROTECT, "related_name": "+", "db_constraint": False}
#: keys read only together with the township (history pages are scoped to it): the composite
#: indexes below (change_object, change_parent, event_object) serve them, no index of their own
#: (each index of a history table is paid by every row of an import: migration core 0012)
_WITH_TOWNSHIP: dict = {"db_index": False}


class AppendOnlyError(Exception):
    pass


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class ChangeRecord(AppendOnly):
    """One create/update/delete of one record, with before/after of each changed field."""

    township = models.ForeignKey("core.Township", null=True, **_LOG_KEY, **_WITH_TOWNSHIP)
    content_type = models.ForeignKey(ContentType, **_LOG_KEY, **_WITH_TOWNSHIP)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    action = models.CharField("操作", max_length=10, choices=ChangeAction)
    changes = models.JSONField(
        "变更内容", default=dict, help_text="{field: {label, before, after}}"
    )
    parent_content_type = models.ForeignKey(ContentType, null=True, **_LOG_KEY, **_WITH_TOWNSHIP)
    parent_object_id = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    job_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)  # read by record, not by time

    class Meta:
        verbose_name = verbose_name_plural = "变更记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["township", "content_type", "object_id"], name="change_object"),
            models.Index(
                fields=["township", "parent_content_type", "parent_object_id"], name="change_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def shown_changes(self) -> dict:
        """The changes a user reads: entries recorded before plumbing fields were left out of
        the history (labelled with an English field name such as "content type") are skipped."""
        from fazhi.core.audit import is_user_label

        return {k: v for k, v in (self.changes or {}).items() if is_user_label(v.get("label"))}


class DomainEvent(AppendOnly):
    """A typed business event (filed, accepted, extended, closed, report generated …)."""

    township = models.ForeignKey("core.Township", null=True, **_LOG_KEY, **_WITH_TOWNSHIP)
    kind = models.CharField("事件类型", max_length=80)  # indexed below (event_kind)
    label = models.CharField("事件", max_length=200)
    content_type = models.ForeignKey(ContentType, null=True, **_LOG_KEY, **_WITH_TOWNSHIP)
    object_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    job_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)  # read by record, not by time

    class Meta:
        verbose_name = verbose_name_plural = "业务事件"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["township", "content_type", "object_id"], name="event_object"),
            # `kind = …` and `kind LIKE 'core.%'` (an account's events) in one index
            models.Index(fields=["kind"], name="event_kind", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.label


class HistoryMark(models.Model):
    """How far a township's history has grown, on PostgreSQL: the change records and domain
    events inserted for it, summed over its rows. Written only by database triggers on those two
    tables (every insert, whatever writes it: a service's save, the bulk COPY of
    `core.audit.insert_rows`, raw SQL), in the inserting transaction; read by
    `core.audit.records_versions`. One row per insert statement and township (no row is
    updated, so concurrent writers never wait for each other); `records_versions` folds a
    township's rows into one when they pile up.

    Empty and unused on SQLite since migration core 0011: one writer at a time there, so
    `records_versions` reads the township's highest history ids instead (an index lookup), and
    inserting history costs no trigger (the per-row trigger of 0008 doubled it)."""

    township = models.ForeignKey("core.Township", on_delete=models.CASCADE, related_name="+")
    added = models.BigIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = "历史计数"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.township_id}+{self.added}"
