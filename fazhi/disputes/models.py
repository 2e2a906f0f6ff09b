"""Disputes and people's mediation (矛盾纠纷排查化解, 人民调解, 积案): 《人民调解法》 and practice.

A dispute (纠纷) is registered from a screening campaign, a grid worker's report, a walk-in or a
transfer; its parties are entries of the shared party index. It is mediated in sessions, ends
with an outcome from the transition table (choices.TRANSITIONS), and when mediation succeeds
the 调解协议书 carries the statutory contents (第二十九条), its signed scan, the court
confirmation reminder (第三十三条) and follow-up visits (回访). Early warnings go to the
village's 分包领导 with a record of the action taken. Backlog cases (积案) are kept apart.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from fazhi.core.models import TownshipScoped, township_field
from fazhi.disputes import choices as c
from fazhi.disputes import rules


class MediationCommittee(TownshipScoped):
    """A people's mediation committee (人民调解委员会), village- or township-level."""

    name = models.CharField("名称", max_length=80, help_text="如：寺庄村人民调解委员会")
    level = models.CharField("层级", max_length=20, choices=c.CommitteeLevel)
    village = models.ForeignKey(
        "core.Village",
        verbose_name="所在村(社区)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="村级调委会必填",
    )
    director = models.CharField("主任", max_length=30, blank=True)
    established_on = models.DateField("成立(换届)日期", null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(
        "任期(年)", default=3, help_text="《人民调解法》第九条：每届任期三年"
    )
    address = models.CharField("办公地点", max_length=120, blank=True)
    is_active = models.BooleanField("在用", default=True)

    scope_village_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "人民调解委员会"
        ordering = ["township_id", "level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="committee_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.level == c.CommitteeLevel.VILLAGE and not self.village_id:
            errors["village"] = "村级人民调解委员会须选择所在村(社区)。"
        if self.level == c.CommitteeLevel.TOWNSHIP and self.village_id:
            errors["village"] = "乡镇级人民调解委员会不属于某个村，请清空“所在村(社区)”。"
        if errors:
            raise ValidationError(errors)


class Mediator(TownshipScoped):
    """A mediator (人民调解员) or an invited helper (法律明白人, 乡贤, 驻村律师; 第二十条)."""

    name = models.CharField("姓名", max_length=30)
    kind = models.CharField("类别", max_length=20, choices=c.MediatorKind)
    committee = models.ForeignKey(
        MediationCommittee,
        verbose_name="所属调委会",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediators",
    )
    staff = models.ForeignKey(
        "core.Staff",
        verbose_name="对应工作人员",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text="镇村干部兼任的，选择其工作人员记录（用于期限提醒）",
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)
    appointed_on = models.DateField("聘任日期", null=True, blank=True)
    is_active = models.BooleanField("在岗", default=True)
    note = models.CharField("备注", max_length=200, blank=True)

    scope_village_field = "committee__village"
    history_masked_fields = frozenset({"phone"})
    pii_fields = frozenset({"phone"})

    class Meta:
        verbose_name = verbose_name_plural = "调解员"
        ordering = ["township_id", "name"]
        indexes = [models.Index(fields=["township", "name"], name="mediator_township_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def user(self):
        return self.staff.user if self.staff_id and self.staff.user_id else None


class MediatorTraining(TownshipScoped):
    """A training of mediators (调解员培训): one session counts once."""

    held_on = models.DateField("培训日期")
    topic = models.CharField("培训主题", max_length=120)
    organiser = models.CharField("组织单位", max_length=60, blank=True, default="司法所")
    place = models.CharField("地点", max_length=80, blank=True)
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1, null=True, blank=True)
    attendee_count = models.PositiveIntegerField(
        "参训人数", default=0, help_text="已勾选参训调解员的，不足部分按勾选人数计"
    )
    attendees = models.ManyToManyField(Mediator, verbose_name="参训调解员", blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "调解员培训"
        ordering = ["township_id", "-held_on"]
        indexes = [models.Index(fields=["township", "held_on"], name="training_township_date")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    @property
    def participants(self) -> int:
        return max(self.attendee_count, self.attendees.count()) if self.pk else self.attendee_count


class ScreeningCampaign(TownshipScoped):
    """A screening campaign (矛盾纠纷排查) over a date range: disputes it finds link to it."""

    name = models.CharField(
        "排查活动名称", max_length=100, help_text="如：2025年春节前矛盾纠纷集中排查"
    )
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    village = models.ForeignKey(
        "core.Village",
        verbose_name="排查范围(村)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="不选为全镇",
    )
    organiser = models.CharField("组织单位", max_length=60, blank=True)
    summary = models.TextField("排查情况", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "矛盾纠纷排查活动"
        ordering = ["township_id", "-start"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = "结束日期早于开始日期。"
        if errors:
            raise ValidationError(errors)


class Dispute(TownshipScoped):
    """One dispute (矛盾纠纷) and its mediation case file (调解登记, 第二十七条)."""

    township = township_field(db_index=False)  # the indexes below lead with it
    number = models.CharField("受理编号", max_length=40, blank=True, editable=False)
    received_on = models.DateField("登记日期")
    source = models.CharField("来源", max_length=20, choices=c.DisputeSource)
    source_ref = models.CharField(
        "来源单号", max_length=60, blank=True, help_text="信访件编号、公安警情号、法院委派号等"
    )
    campaign = models.ForeignKey(
        ScreeningCampaign,
        verbose_name="排查活动",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
    )
    kind = models.CharField("纠纷类型", max_length=20, choices=c.DisputeType)
    title = models.CharField(
        "纠纷名称", max_length=120, blank=True, help_text="不填则按当事人和类型生成"
    )
    description = models.TextField("纠纷简要情况")
    claims = models.TextField("当事人申请事项", blank=True)
    village = models.ForeignKey(
        "core.Village", verbose_name="所在村(社区)", on_delete=models.PROTECT, null=True, blank=True
    )
    grid = models.ForeignKey(
        "core.Grid", verbose_name="网格", on_delete=models.PROTECT, null=True, blank=True
    )
    committee = models.ForeignKey(
        MediationCommittee,
        verbose_name="受理调委会",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
    )
    mediator = models.ForeignKey(
        Mediator,
        verbose_name="主持调解员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
    )
    risk_level = models.CharField(
        "风险等级", max_length=10, choices=c.RiskLevel, default=c.RiskLevel.LOW
    )
    amount = models.DecimalField(
        "涉及金额(元)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    people_count = models.PositiveIntegerField("涉及人数", null=True, blank=True)
    parties = models.ManyToManyField(
        "parties.Party", through="DisputeParty", verbose_name="当事人", blank=True
    )
    status = models.CharField(
        "办理状态",
        max_length=20,
        choices=c.DisputeStatus,
        default=c.DisputeStatus.REGISTERED,
        editable=False,
    )
    accepted_on = models.DateField("受理调解日期", null=True, blank=True, editable=False)
    concluded_on = models.DateField("办结日期", null=True, blank=True, editable=False)
    transfer_route = models.CharField(
        "转出途径", max_length=20, choices=c.TransferRoute, blank=True, editable=False
    )
    termination_reason = models.CharField(
        "终止原因", max_length=20, choices=c.TerminationReason, blank=True, editable=False
    )
    outcome_note = models.TextField("办结情况", blank=True, editable=False)
    archived_on = models.DateField("归档日期", null=True, blank=True, editable=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上报人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    scope_village_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "矛盾纠纷"
        ordering = ["township_id", "-received_on", "-pk"]
        indexes = [
            models.Index(fields=["township", "received_on"], name="dispute_township_received"),
            models.Index(fields=["township", "status"], name="dispute_township_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "number"],
                condition=~Q(number=""),
                name="dispute_unique_number",
            )
        ]

    def __str__(self) -> str:
        return self.number or self.title or f"纠纷{self.pk}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.grid_id and "grid" not in errors:
            if not self.village_id:
                self.village = self.grid.village
            elif self.grid.village_id != self.village_id:
                errors["grid"] = "所选网格不在该村(社区)。"
        if self.campaign_id and "campaign" not in errors and self.received_on:
            campaign = self.campaign
            if not campaign.start <= self.received_on <= campaign.end:
                errors["campaign"] = (
                    f"登记日期不在排查活动期间（{campaign.start:%Y-%m-%d}至{campaign.end:%Y-%m-%d}）。"
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in c.OPEN_STATUSES

    @property
    def party_names(self) -> str:
        return "、".join(
            dp.party.name
            for dp in self.dispute_parties.select_related("party").order_by("role", "pk")
        )

    party_names.fget.short_description = "当事人"  # type: ignore[attr-defined]


class DisputeParty(TownshipScoped):
    """A party of a dispute (申请人 / 被申请人 / 第三人): an entry of the party index."""

    #: no index of its own: `dispute_party_unique` leads with it
    dispute = models.ForeignKey(
        Dispute,
        verbose_name="纠纷",
        on_delete=models.CASCADE,
        related_name="dispute_parties",
        db_index=False,
    )
    party = models.ForeignKey(
        "parties.Party",
        verbose_name="当事人",
        on_delete=models.PROTECT,
        related_name="dispute_links",
    )
    role = models.CharField("身份", max_length=20, choices=c.PartyRole)
    note = models.CharField("备注", max_length=100, blank=True)

    scope_village_field = "dispute__village"
    history_parent = "dispute"

    class Meta:
        verbose_name = verbose_name_plural = "纠纷当事人"
        ordering = ["dispute_id", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "party"], name="dispute_party_unique")
        ]

    def __str__(self) -> str:
        # get_role_display, without building the choices' dict again (the history of a
        # ledger import names every link it writes)
        return f"{self.party.name}（{_ROLE_LABELS.get(self.role, self.role)}）"


_ROLE_LABELS = dict(c.PartyRole.choices)


class MediationSession(TownshipScoped):
    """One mediation session and its record (调解工作记录, 第二十七条)."""

    dispute = models.ForeignKey(
        Dispute, verbose_name="纠纷", on_delete=models.PROTECT, related_name="sessions"
    )
    held_on = models.DateField("调解日期")
    place = models.CharField("调解地点", max_length=100, blank=True)
    mediators = models.ManyToManyField(Mediator, verbose_name="调解员", blank=True)
    helpers = models.CharField(
        "邀请参与人员",
        max_length=200,
        blank=True,
        help_text="经当事人同意邀请的亲属、邻里、法律明白人、乡贤等（第二十条）",
    )
    attendees = models.CharField("到场当事人", max_length=200, blank=True)
    record = models.TextField("调解记录", help_text="纠纷事实、各方意见、调解过程")
    result = models.CharField(
        "本次结果", max_length=20, choices=c.SessionResult, default=c.SessionResult.CONTINUE
    )

    scope_village_field = "dispute__village"
    history_parent = "dispute"

    class Meta:
        verbose_name = verbose_name_plural = "调解记录"
        ordering = ["dispute_id", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute} {self.held_on:%Y-%m-%d}调解"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.dispute_id and self.held_on and self.held_on < self.dispute.received_on:
            errors["held_on"] = "调解日期早于纠纷登记日期。"
        if errors:
            raise ValidationError(errors)


class MediationAgreement(TownshipScoped):
    """The 调解协议书 with its statutory contents (《人民调解法》第二十九条; 司法部令第75号
    第三十五条 adds the place of performance). It takes effect when the parties and the mediator
    have signed and the committee's seal is affixed (第二十九条第二款)."""

    dispute = models.OneToOneField(
        Dispute, verbose_name="纠纷", on_delete=models.PROTECT, related_name="agreement"
    )
    number = models.CharField("协议书编号", max_length=40, blank=True, editable=False)
    made_on = models.DateField("制作日期")
    place = models.CharField("调解地点", max_length=100)
    facts = models.TextField("纠纷主要事实、争议事项", help_text="第二十九条第一款第（二）项")
    responsibilities = models.TextField("各方当事人的责任")
    terms = models.TextField("当事人达成调解协议的内容", help_text="逐条写明")
    performance_method = models.CharField("履行方式", max_length=200)
    performance_deadline = models.DateField("履行期限")
    performance_place = models.CharField("履行地点", max_length=100, blank=True)
    copies = models.PositiveSmallIntegerField(
        "份数", null=True, blank=True, help_text="不填则为当事人人数加一份(调委会留存)"
    )
    effective_on = models.DateField(
        "生效日期",
        null=True,
        blank=True,
        help_text="各方签名、盖章或按指印，调解员签名并加盖调委会印章之日",
    )
    signed_scan = models.ForeignKey(
        "core.Attachment",
        verbose_name="签字盖章扫描件",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    template_version = models.CharField("文书模板版本", max_length=20, blank=True, editable=False)
    court_confirmation = models.CharField(
        "司法确认", max_length=20, choices=c.CourtConfirmation, default=c.CourtConfirmation.NOT_YET
    )
    court_applied_on = models.DateField("申请司法确认日期", null=True, blank=True)
    court_name = models.CharField("受理法院", max_length=60, blank=True)
    court_result_on = models.DateField("法院裁定日期", null=True, blank=True)
    performance = models.CharField(
        "履行情况", max_length=20, choices=c.Performance, default=c.Performance.PENDING
    )
    performed_on = models.DateField("履行完毕日期", null=True, blank=True)

    scope_village_field = "dispute__village"
    history_parent = "dispute"

    class Meta:
        verbose_name = verbose_name_plural = "调解协议书"
        ordering = ["township_id", "-made_on"]

    def __str__(self) -> str:
        return self.number or f"{self.dispute}调解协议书"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.effective_on and self.made_on and self.effective_on < self.made_on:
            errors["effective_on"] = "生效日期早于协议制作日期。"
        if self.performance_deadline and self.made_on and self.performance_deadline < self.made_on:
            errors["performance_deadline"] = "履行期限早于协议制作日期。"
        court = self.court_confirmation
        if court in (
            c.CourtConfirmation.APPLIED,
            c.CourtConfirmation.CONFIRMED,
            c.CourtConfirmation.REJECTED,
        ):
            if not self.effective_on:
                errors["court_confirmation"] = "协议生效后才能申请司法确认。"
            if not self.court_applied_on:
                errors["court_applied_on"] = "请填写申请司法确认的日期。"
        if (
            court in (c.CourtConfirmation.CONFIRMED, c.CourtConfirmation.REJECTED)
            and not self.court_result_on
        ):
            errors["court_result_on"] = "请填写法院裁定日期。"
        if (
            self.court_applied_on
            and self.effective_on
            and self.court_applied_on < self.effective_on
        ):
            errors["court_applied_on"] = "申请日期早于协议生效日期。"
        if self.performance == c.Performance.DONE and not self.performed_on:
            errors["performed_on"] = "请填写履行完毕日期。"
        if errors:
            raise ValidationError(errors)


class FollowUpVisit(TownshipScoped):
    """A follow-up visit (回访) on how an agreement is performed (第三十一条 监督履行)."""

    dispute = models.ForeignKey(
        Dispute, verbose_name="纠纷", on_delete=models.PROTECT, related_name="follow_ups"
    )
    visited_on = models.DateField("回访日期")
    method = models.CharField("回访方式", max_length=10, choices=c.VisitMethod)
    visitor = models.ForeignKey(
        Mediator, verbose_name="回访人", on_delete=models.PROTECT, null=True, blank=True
    )
    performance = models.CharField("履行情况", max_length=20, choices=c.Performance)
    notes = models.TextField("回访情况", blank=True)

    scope_village_field = "dispute__village"
    history_parent = "dispute"

    class Meta:
        verbose_name = verbose_name_plural = "回访记录"
        ordering = ["dispute_id", "visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute} {self.visited_on:%Y-%m-%d}回访"


class WarningSettings(TownshipScoped):
    """A township's early-warning thresholds (defaults in rules.py, all [U])."""

    repeat_window_days = models.PositiveIntegerField(
        "反复涉纠纷观察期(天)",
        default=rules.REPEAT_WINDOW_DAYS,
        help_text="同一当事人在此期间内另有纠纷或信访记录即预警",
    )
    group_threshold = models.PositiveIntegerField(
        "群体性纠纷人数", default=rules.GROUP_THRESHOLD, help_text="当事人达到此人数即预警"
    )
    keywords = models.TextField(
        "风险关键词",
        default="、".join(rules.VIOLENCE_KEYWORDS),
        help_text="纠纷情况中出现即按暴力或民转刑风险预警；用顿号、逗号或换行分隔",
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预警设置"
        ordering = ["township_id"]
        constraints = [
            models.UniqueConstraint(fields=["township"], name="warning_settings_one_per_township")
        ]

    def __str__(self) -> str:
        return f"{self.township}预警设置"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.repeat_window_days:
            errors["repeat_window_days"] = "观察期须大于0天。"
        if self.group_threshold is not None and self.group_threshold < 2:
            errors["group_threshold"] = "群体性纠纷人数至少为2。"
        if not self.keyword_list():
            errors["keywords"] = "请至少填写一个风险关键词。"
        if errors:
            raise ValidationError(errors)

    def keyword_list(self) -> list[str]:
        import re

        return [w.strip() for w in re.split(r"[、,，;；\s]+", self.keywords or "") if w.strip()]


class EarlyWarning(TownshipScoped):
    """An early warning (预警), routed to the village's 分包领导, with the action taken."""

    kind = models.CharField("预警类型", max_length=20, choices=c.WarningKind)
    dispute = models.ForeignKey(
        Dispute,
        verbose_name="纠纷",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warnings",
    )
    party = models.ForeignKey(
        "parties.Party",
        verbose_name="当事人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_warnings",
    )
    village = models.ForeignKey(
        "core.Village", verbose_name="所在村(社区)", on_delete=models.PROTECT, null=True, blank=True
    )
    raised_on = models.DateField("预警日期")
    detail = models.TextField("预警内容")
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="推送至",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    routed_to_name = models.CharField("分包领导", max_length=60, blank=True, editable=False)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=c.WarningStatus,
        default=c.WarningStatus.OPEN,
        editable=False,
    )
    action = models.CharField(
        "处置措施", max_length=20, choices=c.WarningAction, blank=True, editable=False
    )
    action_note = models.TextField("处置情况", blank=True, editable=False)
    handled_on = models.DateField("处置日期", null=True, blank=True, editable=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处置人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    scope_village_field = "village"
    history_parent = "dispute"

    class Meta:
        verbose_name = verbose_name_plural = "矛盾纠纷预警"
        ordering = ["township_id", "-raised_on", "-pk"]
        indexes = [models.Index(fields=["township", "raised_on"], name="warning_township_raised")]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "kind"],
                condition=Q(dispute__isnull=False),
                name="warning_once_per_dispute_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.dispute or self.party or self.detail[:20]}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.dispute_id and "dispute" not in errors and self.dispute.village_id:
            if self.village_id and self.village_id != self.dispute.village_id:
                errors["village"] = "所在村与纠纷所在村不一致。"
            self.village_id = self.dispute.village_id
        if errors:
            raise ValidationError(errors)


class BacklogCase(TownshipScoped):
    """A backlog case (积案): a long-running dispute collected for clearing, resolved on site
    or by visits, then archived once its file is complete (登记, 记录, 协议书, 回访)."""

    title = models.CharField("积案名称", max_length=120)
    description = models.TextField("基本情况")
    village = models.ForeignKey(
        "core.Village", verbose_name="所在村(场)", on_delete=models.PROTECT, null=True, blank=True
    )
    party_names = models.CharField("当事人", max_length=200, blank=True)
    dispute = models.ForeignKey(
        Dispute,
        verbose_name="关联纠纷",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="backlog_cases",
        help_text="已在平台登记的纠纷；其登记、调解记录、协议书、回访自动计入卷宗",
    )
    intake = models.CharField("收理方式", max_length=20, choices=c.BacklogIntake)
    collected_on = models.DateField("收理日期")
    meeting = models.CharField("座谈会(动员会)", max_length=100, blank=True)
    handler = models.CharField(
        "包案责任人", max_length=60, blank=True, help_text="如：镇干部、驻村律师"
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=c.BacklogStatus,
        default=c.BacklogStatus.PENDING,
        editable=False,
    )
    resolution = models.CharField(
        "化解方式", max_length=20, choices=c.BacklogResolution, blank=True, editable=False
    )
    resolved_on = models.DateField("化解日期", null=True, blank=True, editable=False)
    resolution_note = models.TextField("化解情况", blank=True, editable=False)
    archived_on = models.DateField("归档日期", null=True, blank=True, editable=False)
    has_registration = models.BooleanField("卷宗：登记表", default=False)
    has_record = models.BooleanField("卷宗：调解(化解)记录", default=False)
    has_agreement = models.BooleanField("卷宗：协议书", default=False)
    has_follow_up = models.BooleanField("卷宗：回访记录", default=False)

    scope_village_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "积案"
        ordering = ["township_id", "-collected_on", "-pk"]
        indexes = [models.Index(fields=["township", "collected_on"], name="backlog_township_date")]

    def __str__(self) -> str:
        return self.title
