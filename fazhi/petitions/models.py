"""Petitions (信访): the matter and its loop, reception days, joint meetings, backlog cases.

A petition's status changes only through `petitions.services` (transition table in
`choices.py`); the generic pages edit only the descriptive fields. Petitioners are entries of
the shared party index (`parties.Party`), where ID numbers and phones are stored once and masked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.models import TownshipScoped
from fazhi.petitions.choices import (
    BacklogStatus,
    Category,
    Channel,
    LegalRoute,
    Level,
    NotAcceptedReason,
    OpinionLevel,
    Outcome,
    PartyRole,
    RatingChannel,
    ReceptionKind,
    Satisfaction,
    ServiceMethod,
    Source,
    Status,
    TransferKind,
)

#: 《信访工作条例》第十九条: 多人采用走访形式提出共同的信访事项的，应当推选代表，代表人数不超过5人
MAX_REPRESENTATIVES = 5


class ReceptionDay(TownshipScoped):
    """A leader's reception day (领导接访) or visit to a village (领导下访)."""

    kind = models.CharField(
        "类型", max_length=12, choices=ReceptionKind, default=ReceptionKind.RECEPTION
    )
    leader = models.ForeignKey(
        "core.Staff", verbose_name="接访领导", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=100)
    village = models.ForeignKey(
        "core.Village",
        verbose_name="下访村(社区)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    visitor_count = models.PositiveIntegerField("接待群众人次", default=0)
    visitors = models.TextField("来访群众", blank=True, help_text="姓名等，仅内部可见")
    matters = models.TextField("反映事项", blank=True)
    outcome = models.TextField("处理情况", blank=True)

    scope_village_field = "village"
    history_masked_fields = frozenset({"visitors"})

    class Meta:
        verbose_name = verbose_name_plural = "领导接访下访"
        ordering = ["township_id", "-held_on"]
        indexes = [models.Index(fields=["township", "held_on"], name="petition_reception_day")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}（{self.leader.name}）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == ReceptionKind.VISIT and not self.village_id:
            errors["village"] = "领导下访请选择下访村(社区)。"
        if errors:
            raise ValidationError(errors)


class JointMeeting(TownshipScoped):
    """A petition joint meeting (信访工作联席会议, 条例第十三条) and its decisions."""

    held_on = models.DateField("会议日期")
    place = models.CharField("地点", max_length=100, blank=True)
    chair = models.ForeignKey(
        "core.Staff",
        verbose_name="主持人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attendees = models.TextField(
        "参会人员", help_text="单位及人员，如：派出所、司法所、各村支部书记"
    )
    topics = models.TextField("研究事项")
    decisions = models.TextField("议定事项", help_text="每条一行：事项、责任人、完成时限")
    petitions = models.ManyToManyField(
        "petitions.Petition", verbose_name="研究的信访事项", blank=True, related_name="meetings"
    )

    class Meta:
        verbose_name = verbose_name_plural = "信访联席会议"
        ordering = ["township_id", "-held_on"]
        indexes = [models.Index(fields=["township", "held_on"], name="petition_meeting_day")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} 信访联席会议"


class Petition(TownshipScoped):
    """A petition matter (信访事项) from registration to closure."""

    receipt_no = models.CharField("登记编号", max_length=60, editable=False)
    receipt_seq = models.PositiveIntegerField("序号", editable=False, default=0)
    year = models.PositiveSmallIntegerField("年度", editable=False)
    receipt_code_hash = models.CharField(
        "查询码(摘要)",
        max_length=200,
        editable=False,
        blank=True,
        help_text="空：没有查询码（导入的历史事项，补发查询码后可查询）",
    )

    channel = models.CharField("信访形式", max_length=10, choices=Channel)
    source = models.CharField("来源", max_length=10, choices=Source, default=Source.DIRECT)
    forwarded_by = models.CharField(
        "转送/交办机关", max_length=100, blank=True, help_text="上级转送、交办的事项填写"
    )
    forwarded_no = models.CharField("转送/交办文号", max_length=60, blank=True)
    received_on = models.DateField("收到日期")
    petitioner = models.ForeignKey(
        "parties.Party", verbose_name="信访人", on_delete=models.PROTECT, related_name="+"
    )
    is_group = models.BooleanField("集体访", default=False, help_text="多人就共同事项走访")
    visitor_count = models.PositiveIntegerField("来访人数", default=1)
    village = models.ForeignKey(
        "core.Village",
        verbose_name="涉及村(社区)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField("问题类别", max_length=20, choices=Category, default=Category.OTHER)
    subject = models.CharField("事项摘要", max_length=200)
    content = models.TextField("信访请求及事实理由")
    level = models.CharField("化解层级", max_length=10, choices=Level, default=Level.TOWNSHIP)
    department = models.ForeignKey(
        "core.Department",
        verbose_name="承办单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handler = models.ForeignKey(
        "core.Staff",
        verbose_name="承办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    leader = models.ForeignKey(
        "core.Staff",
        verbose_name="包案领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reception = models.ForeignKey(
        ReceptionDay,
        verbose_name="接访登记",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions",
    )
    same_matter_as = models.ForeignKey(
        "self",
        verbose_name="同一事项前次信访",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
        help_text="同一信访人就同一事项再次信访时填写（重复信访）",
    )

    status = models.CharField(
        "状态", max_length=16, choices=Status, default=Status.REGISTERED, editable=False
    )
    # 受理 / 告知 / 异议
    acceptance_due_on = models.DateField("受理告知期限", null=True, blank=True, editable=False)
    objection_due_on = models.DateField("异议期限", null=True, blank=True, editable=False)
    decided_on = models.DateField("告知日期", null=True, blank=True, editable=False)
    accepted_on = models.DateField("受理日期", null=True, blank=True, editable=False)
    decline_reason = models.CharField(
        "不予受理理由", max_length=20, choices=NotAcceptedReason, blank=True, editable=False
    )
    decision_note = models.TextField("告知/异议说明", blank=True, editable=False)
    # 办理 / 延期
    handling_due_on = models.DateField("办理期限", null=True, blank=True, editable=False)
    extension_days = models.PositiveIntegerField("延长天数", default=0, editable=False)
    extension_reason = models.TextField("延期理由", blank=True, editable=False)
    extension_approved_by = models.ForeignKey(
        "core.Staff",
        verbose_name="延期批准人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    extension_approved_on = models.DateField("延期批准日期", null=True, blank=True, editable=False)
    extension_notified_on = models.DateField(
        "延期告知信访人日期", null=True, blank=True, editable=False
    )
    # 办结 / 导入法定途径 / 归档
    concluded_on = models.DateField("办结日期", null=True, blank=True, editable=False)
    route = models.CharField(
        "导入的法定途径", max_length=20, choices=LegalRoute, blank=True, editable=False
    )
    route_note = models.TextField("导入说明", blank=True, editable=False)
    closed_on = models.DateField("终结归档日期", null=True, blank=True, editable=False)
    close_note = models.CharField("归档说明", max_length=200, blank=True, editable=False)
    # 复查 / 复核
    review_request_due_on = models.DateField("复查申请期限", null=True, blank=True, editable=False)
    review_requested_on = models.DateField("复查申请日期", null=True, blank=True, editable=False)
    review_body = models.CharField("复查机关", max_length=100, blank=True, editable=False)
    recheck_request_due_on = models.DateField("复核申请期限", null=True, blank=True, editable=False)
    recheck_requested_on = models.DateField("复核申请日期", null=True, blank=True, editable=False)
    recheck_body = models.CharField("复核机关", max_length=100, blank=True, editable=False)
    # 满意度评价
    rating_due_on = models.DateField("评价期限", null=True, blank=True, editable=False)
    satisfaction = models.CharField(
        "满意度", max_length=12, choices=Satisfaction, blank=True, editable=False
    )
    rated_on = models.DateField("评价日期", null=True, blank=True, editable=False)
    rating_channel = models.CharField(
        "评价方式", max_length=12, choices=RatingChannel, blank=True, editable=False
    )
    rating_comment = models.CharField("评价意见", max_length=500, blank=True, editable=False)

    scope_village_field = "village"
    history_masked_fields = frozenset({"receipt_code_hash"})

    class Meta:
        verbose_name = verbose_name_plural = "信访事项"
        ordering = ["township_id", "-received_on", "-receipt_seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "receipt_no"], name="petition_unique_receipt_no"
            ),
            models.CheckConstraint(
                condition=models.Q(extension_days__lte=90), name="petition_extension_bounded"
            ),
        ]
        indexes = [
            models.Index(fields=["township", "received_on"], name="petition_received"),
            models.Index(fields=["township", "accepted_on"], name="petition_accepted"),
            models.Index(fields=["township", "status"], name="petition_status"),
            models.Index(fields=["receipt_no"], name="petition_receipt_no"),
        ]

    def __str__(self) -> str:
        return self.receipt_no or f"信访事项#{self.pk}"

    @property
    def is_concluded(self) -> bool:
        from fazhi.petitions.choices import CONCLUDED

        return self.status in CONCLUDED

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.petitioner_id and self.petitioner.township_id != self.township_id:
            errors["petitioner"] = "信访人不属于该乡镇的当事人名录。"
        if self.same_matter_as_id and self.pk and self.same_matter_as_id == self.pk:
            errors["same_matter_as"] = "不能选择本事项。"
        if self.source in (Source.FORWARDED, Source.ASSIGNED) and not self.forwarded_by.strip():
            errors["forwarded_by"] = "上级转送、交办的事项请填写转送/交办机关。"
        if self.is_group and self.channel != Channel.VISIT:
            errors["is_group"] = "集体访仅适用于走访形式。"
        if self.visitor_count < 1:
            errors["visitor_count"] = "来访人数至少为1。"
        if self.is_group and self.visitor_count < 2:
            errors["visitor_count"] = "集体访的来访人数应为2人以上。"
        if errors:
            raise ValidationError(errors)


class PetitionParty(TownshipScoped):
    """A further petitioner or representative of a petition (the first is `Petition.petitioner`)."""

    petition = models.ForeignKey(
        Petition, verbose_name="信访事项", on_delete=models.CASCADE, related_name="party_links"
    )
    party = models.ForeignKey(
        "parties.Party", verbose_name="当事人", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        "身份", max_length=16, choices=PartyRole, default=PartyRole.REPRESENTATIVE
    )

    scope_village_field = "petition__village"
    history_parent = "petition"

    class Meta:
        verbose_name = verbose_name_plural = "信访人及代表"
        ordering = ["petition_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "party"], name="petition_party_unique")
        ]

    def __str__(self) -> str:
        # the role's label without `get_role_display` (it builds the choices' dict on every
        # call: the history of a ledger import names every link it writes)
        return f"{_LABELS['role'].get(self.role, self.role)}：{self.party}"


class PetitionOpinion(TownshipScoped):
    """A written opinion: 处理意见书 (by the township), 复查意见 or 复核意见 (by higher bodies).

    Content follows 条例第三十二条: the request, the facts and reasons, the outcome (支持 / 解释说明 /
    不予支持) and its legal basis. Once served it is part of the evidence chain and not edited.
    """

    petition = models.ForeignKey(
        Petition, verbose_name="信访事项", on_delete=models.CASCADE, related_name="opinions"
    )
    level = models.CharField("意见类别", max_length=10, choices=OpinionLevel)
    number = models.CharField("文书编号", max_length=80, blank=True)
    issued_by = models.CharField("出具机关", max_length=100)
    issued_on = models.DateField("出具日期")
    request = models.TextField("信访请求")
    facts = models.TextField("查明的事实和理由")
    outcome = models.CharField("处理结论", max_length=12, choices=Outcome)
    decision = models.TextField("处理意见")
    legal_basis = models.TextField("法律政策依据")
    served_on = models.DateField("送达日期", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=10, choices=ServiceMethod, blank=True)

    scope_village_field = "petition__village"
    history_parent = "petition"

    class Meta:
        verbose_name = verbose_name_plural = "信访处理(复查、复核)意见"
        ordering = ["petition_id", "issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "level"], name="petition_opinion_level")
        ]

    def __str__(self) -> str:
        return f"{self.petition}·{_LABELS['level'].get(self.level, self.level)}"


class PetitionTransfer(TownshipScoped):
    """A recorded move of the matter: 三级化解 escalation, transfer to mediation, legal channel."""

    petition = models.ForeignKey(
        Petition, verbose_name="信访事项", on_delete=models.PROTECT, related_name="transfers"
    )
    kind = models.CharField("流转类型", max_length=16, choices=TransferKind)
    on = models.DateField("日期")
    from_level = models.CharField("原层级", max_length=10, choices=Level, blank=True)
    to_level = models.CharField("接收层级", max_length=10, choices=Level, blank=True)
    to_unit = models.CharField("接收单位", max_length=100, blank=True)
    reason = models.TextField("理由")
    reference = models.CharField(
        "接收方记录", max_length=100, blank=True, help_text="如：调解案件编号"
    )

    scope_village_field = "petition__village"
    history_parent = "petition"

    class Meta:
        verbose_name = verbose_name_plural = "信访流转记录"
        ordering = ["petition_id", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()}"


class BacklogCase(TownshipScoped):
    """A long-running petition under the backlog-clearing campaign (信访积案“清零”)."""

    petition = models.OneToOneField(
        Petition, verbose_name="信访事项", on_delete=models.PROTECT, related_name="backlog"
    )
    owner = models.ForeignKey(
        "core.Staff", verbose_name="包案领导", on_delete=models.PROTECT, related_name="+"
    )
    flagged_on = models.DateField("列入日期")
    target_on = models.DateField("化解时限")
    plan = models.TextField("化解方案", blank=True)
    status = models.CharField(
        "化解状态", max_length=10, choices=BacklogStatus, default=BacklogStatus.OPEN, editable=False
    )
    resolved_on = models.DateField("化解日期", null=True, blank=True, editable=False)
    resolution = models.TextField("化解情况", blank=True, editable=False)

    scope_village_field = "petition__village"

    class Meta:
        verbose_name = verbose_name_plural = "信访积案"
        ordering = ["township_id", "status", "target_on"]
        indexes = [
            models.Index(fields=["township", "resolved_on"], name="petition_backlog_resolved")
        ]

    def __str__(self) -> str:
        return f"积案：{self.petition}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.target_on and self.flagged_on and self.target_on < self.flagged_on:
            errors["target_on"] = "化解时限不能早于列入日期。"
        if errors:
            raise ValidationError(errors)


class BacklogProgress(TownshipScoped):
    """One progress note of a backlog case (date, what was done)."""

    case = models.ForeignKey(
        BacklogCase, verbose_name="信访积案", on_delete=models.CASCADE, related_name="progress"
    )
    on = models.DateField("日期")
    note = models.TextField("工作进展")

    scope_village_field = "case__petition__village"
    history_parent = "case"

    class Meta:
        verbose_name = verbose_name_plural = "积案化解进展"
        ordering = ["case_id", "-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.note[:20]}"


#: the labels `__str__` shows, read once (as `get_FOO_display` shows them)
_LABELS = {
    "role": {k: str(v) for k, v in PetitionParty._meta.get_field("role").flatchoices},
    "level": {k: str(v) for k, v in PetitionOpinion._meta.get_field("level").flatchoices},
}
