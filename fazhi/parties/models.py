"""The party index: one entry per person or organisation per township, shared by every module
(disputes, petitions, and later enforcement and reviews), so that repeat parties, 民转刑 risk and
long-running conflicts are visible across modules (DESIGN.md §2.10)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from fazhi.core.models import ScopedQuerySet, TownshipScoped, township_field
from fazhi.parties import pii
from fazhi.parties.choices import Gender, PartyKind


class PartyQuerySet(ScopedQuerySet):
    def active(self) -> PartyQuerySet:
        """Entries that are not aliases of another (merged) entry."""
        return self.filter(merged_into__isnull=True)


class Party(TownshipScoped):
    """A party (当事人): matched by ID number when given, else by name and phone.

    `id_key` and `match_key` are hashes of the normalised ID number and of name+phone, so the
    number itself is stored only once. A merged entry stays as an alias (`merged_into` set):
    it keeps its keys, so a later registration with its ID or phone still finds the survivor,
    and the merge can be split again (see services.merge_parties / split_party).
    """

    # first, where TownshipScoped's stands (the field order: forms, the history's lines)
    township = township_field(db_index=False)  # the indexes below lead with it
    kind = models.CharField("类型", max_length=20, choices=PartyKind, default=PartyKind.PERSON)
    name = models.CharField("姓名(名称)", max_length=100)
    gender = models.CharField("性别", max_length=10, choices=Gender, blank=True)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    id_number = models.CharField(
        "证件号码",
        max_length=30,
        blank=True,
        help_text="居民身份证号码；单位填统一社会信用代码。列表与导出中脱敏显示。",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("住址(住所地)", max_length=200, blank=True)
    representative = models.CharField(
        "法定代表人(负责人)", max_length=50, blank=True, help_text="单位当事人填写"
    )
    note = models.CharField("备注", max_length=200, blank=True)
    # no index of their own: every query asks them within a township, which the indexes
    # `party_match_key` and `party_unique_id_number` (led by the township) serve
    id_key = models.CharField(max_length=64, blank=True, editable=False)
    match_key = models.CharField(max_length=64, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="已合并至",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="aliases",
    )

    objects = PartyQuerySet.as_manager()

    history_masked_fields = frozenset({"id_number", "phone", "address", "id_key", "match_key"})

    class Meta:
        verbose_name = verbose_name_plural = "当事人"
        ordering = ["township_id", "name", "pk"]
        indexes = [
            models.Index(fields=["township", "match_key"], name="party_match_key"),
            models.Index(fields=["township", "name"], name="party_name"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "id_key"],
                condition=~Q(id_key=""),
                name="party_unique_id_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # --- keys and validation -----------------------------------------------------------------
    def refresh_keys(self) -> None:
        self.id_key = pii.id_key(self.id_number)
        self.match_key = pii.contact_key(self.name, self.phone)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.name = pii.normalise_text(self.name)
        self.id_number = pii.normalise_id(self.id_number)
        self.phone = pii.normalise_text(self.phone)
        self.address = pii.normalise_text(self.address)
        if not self.name:
            errors["name"] = "请填写当事人姓名或单位名称。"
        problem = pii.id_problem(self.id_number, self.kind)
        if problem:
            errors["id_number"] = f"证件号码{problem}。"
        problem = pii.phone_problem(self.phone)
        if problem:
            errors["phone"] = f"联系电话{problem}。"
        if pii.is_masked(self.address):
            errors["address"] = "住址含有脱敏字符，请填写完整住址或留空。"
        if self.merged_into_id and self.merged_into_id == self.pk:
            errors["merged_into"] = "不能合并到自身。"
        self.refresh_keys()
        if self.id_key and not errors.get("id_number") and self.township_id:
            clash = (
                Party.objects.filter(township_id=self.township_id, id_key=self.id_key)
                .exclude(pk=self.pk)
                .first()
            )
            if clash is not None:
                errors["id_number"] = (
                    f"该证件号码已登记为当事人“{clash.name}”（编号{clash.pk}），"
                    "如为同一人请使用“合并”。"
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "_pii_masked", False):
            raise ValueError("a masked party copy must not be saved")
        self.refresh_keys()
        super().save(*args, **kwargs)

    # --- display ----------------------------------------------------------------------------
    def masked(self, field: str) -> str:
        return pii.mask(field, getattr(self, field))

    @property
    def id_number_masked(self) -> str:
        return pii.mask_id(self.id_number)

    id_number_masked.fget.short_description = "证件号码"  # type: ignore[attr-defined]

    @property
    def id_number_shown(self) -> str:
        """The masked ID number for lists, or 未登记 (an empty cell reads as a display fault)."""
        return pii.mask_id(self.id_number) or "未登记"

    id_number_shown.fget.short_description = "证件号码"  # type: ignore[attr-defined]

    @property
    def phone_shown(self) -> str:
        return pii.mask_phone(self.phone) or "未登记"

    phone_shown.fget.short_description = "联系电话"  # type: ignore[attr-defined]

    @property
    def phone_masked(self) -> str:
        return pii.mask_phone(self.phone)

    phone_masked.fget.short_description = "联系电话"  # type: ignore[attr-defined]

    @property
    def address_masked(self) -> str:
        return pii.mask_address(self.address)

    address_masked.fget.short_description = "住址(住所地)"  # type: ignore[attr-defined]

    @property
    def status_label(self) -> str:
        if self.merged_into_id:
            return f"已合并至“{self.merged_into}”"
        return "有效"

    status_label.fget.short_description = "状态"  # type: ignore[attr-defined]

    def root(self) -> Party:
        """The surviving entry (follows merges)."""
        party, seen = self, {self.pk}
        while party.merged_into_id and party.merged_into_id not in seen:
            seen.add(party.merged_into_id)
            party = Party.objects.get(pk=party.merged_into_id)
        return party

    def family_ids(self) -> list[int]:
        """This entry and every alias merged into it (directly or through other aliases)."""
        ids = [self.pk]
        frontier = [self.pk]
        while frontier:
            frontier = list(
                Party.objects.filter(merged_into_id__in=frontier)
                .exclude(pk__in=ids)
                .values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids


class PartyMerge(TownshipScoped):
    """One merge of an entry (alias) into another (survivor), with the references it moved,
    so that the merge can be split again exactly."""

    survivor = models.ForeignKey(
        Party, verbose_name="保留的当事人", on_delete=models.PROTECT, related_name="merges_in"
    )
    alias = models.ForeignKey(
        Party, verbose_name="被合并的当事人", on_delete=models.PROTECT, related_name="merges_out"
    )
    reason = models.CharField("合并理由", max_length=200)
    moved = models.JSONField(
        "迁移的引用", default=list, help_text="[{model, pk, field}]：拆分时据此迁回"
    )
    kept = models.JSONField(
        "未迁移的引用", default=list, help_text="迁移会与已有记录重复的引用（仍指向被合并者）"
    )
    split_on = models.DateTimeField("拆分时间", null=True, blank=True)
    split_reason = models.CharField("拆分理由", max_length=200, blank=True)

    history_parent = "survivor"

    class Meta:
        verbose_name = verbose_name_plural = "当事人合并记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.alias.name} → {self.survivor.name}"

    @property
    def is_split(self) -> bool:
        return self.split_on is not None
