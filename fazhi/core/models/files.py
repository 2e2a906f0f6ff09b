"""Attachments (SHA-256 on upload, served only through the scope gate) and the evidence chain."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from fazhi.core.models.audit import AppendOnly
from fazhi.core.models.base import TownshipScoped


class Attachment(TownshipScoped):
    """An uploaded file. Stored under ATTACHMENT dir by its hash; checked again on download."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    file = models.FileField("文件", upload_to="%Y/%m/", max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    mime_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["township", "content_type", "object_id"], name="attachment_object")
        ]

    def __str__(self) -> str:
        return self.original_name


class EvidenceEntry(AppendOnly):
    """One entry of an append-only, hash-chained evidence ledger.

    `chain` names the ledger (e.g. "enforcement.case:42"); `seq` counts from 1 within it.
    `entry_hash` = SHA-256 over the canonical JSON of (chain, seq, township, kind, content,
    attachment hashes, actor, recorded_at, prev_hash). See fazhi.core.evidence.
    """

    township = models.ForeignKey("core.Township", on_delete=models.PROTECT, related_name="+")
    chain = models.CharField("证据链", max_length=120)
    seq = models.PositiveIntegerField("序号")
    kind = models.CharField("记录类型", max_length=60)
    content = models.JSONField("内容", default=dict)
    attachment_hashes = models.JSONField("附件哈希", default=list)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField("记录人", max_length=150, blank=True)
    recorded_at = models.DateTimeField("记录时间")
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)
    #: which fields the hash covers: 1 = entries written before actor id and version were
    #: hashed (verified under the old rule); 2 = every field, plus an HMAC `seal`
    hash_version = models.PositiveSmallIntegerField("哈希版本", default=1)
    #: HMAC-SHA256 of entry_hash under FAZHI_EVIDENCE_KEY (a key kept outside the database)
    seal = models.CharField("签名", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "证据记录"
        ordering = ["township_id", "chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["township", "chain", "seq"], name="evidence_chain_seq")
        ]

    @property
    def kind_label(self) -> str:
        """The entry's kind in a clerk's words (see core.evidence_display)."""
        from fazhi.core.evidence_display import kind_label

        return kind_label(self.kind)

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq}"


class EvidenceCheckpoint(AppendOnly):
    """A signed snapshot of every evidence chain head of a township (count and head hash per
    chain), signed with FAZHI_EVIDENCE_KEY. Exported and shown on the portal so that the
    chains are anchored outside the database. See fazhi.core.evidence."""

    township = models.ForeignKey("core.Township", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("时间")
    #: {chain: [count, head_hash]}
    heads = models.JSONField("各链头", default=dict)
    chains = models.PositiveIntegerField("证据链数", default=0)
    entries = models.PositiveIntegerField("记录数", default=0)
    digest = models.CharField("汇总哈希", max_length=64)
    signature = models.CharField("签名", max_length=64)
    key_id = models.CharField("密钥标识", max_length=12)

    class Meta:
        verbose_name = verbose_name_plural = "证据链检查点"
        ordering = ["township_id", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.township_id}@{self.created_at:%Y-%m-%d %H:%M}"


class Counter(models.Model):
    """Per-township, per-year, per-kind counter behind receipt and case numbers."""

    township = models.ForeignKey("core.Township", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, help_text="如：信、调、罚")
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号计数器"
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "kind"], name="counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.township_id}/{self.year}/{self.kind}={self.value}"
