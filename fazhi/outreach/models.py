"""Outreach records (普法, 法律明白人, 公共法律服务).

普法 events with their key day, channel, target groups, materials by kind and audience; the
法律明白人 registry by village with awards; public legal service points, lawyer duty sessions
(律师坐班) and the consultations they answer.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.models import TownshipScoped
from fazhi.outreach import choices as c


def split_groups(text: str) -> list[str]:
    """ "青少年、老年人" → ["青少年", "老年人"] (also accepts , ， ; and spaces)."""
    for sep in (",", "，", ";", "；", " ", "/"):
        text = text.replace(sep, c.GROUP_SEPARATOR)
    return [part.strip() for part in text.split(c.GROUP_SEPARATOR) if part.strip()]


class Event(TownshipScoped):
    """A 普法 event: one activity on one day (a campaign spread over days is entered per day)."""

    held_on = models.DateField("活动日期")
    title = models.CharField("活动主题", max_length=120)
    key_day = models.CharField(
        "宣传节点", max_length=20, choices=c.KeyDay, blank=True, default=c.KeyDay.NONE
    )
    channel = models.CharField("形式(渠道)", max_length=20, choices=c.Channel)
    venue = models.CharField("地点", max_length=80, blank=True, help_text="如：寺庄集市、镇中心校")
    village = models.ForeignKey(
        "core.Village", verbose_name="所在村(社区)", on_delete=models.PROTECT, null=True, blank=True
    )
    organiser = models.ForeignKey(
        "core.Department",
        verbose_name="主办站所",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="谁执法谁普法：组织活动的站所",
    )
    laws = models.ManyToManyField("governance.Law", verbose_name="宣传的法律法规", blank=True)
    target_groups = models.CharField(
        "对象群体",
        max_length=120,
        blank=True,
        help_text="多项用“、”分隔：" + "、".join(c.TARGET_GROUPS),
    )
    audience = models.PositiveIntegerField("受教育人次", default=0)
    materials = models.PositiveIntegerField(
        "发放宣传资料(份)", default=0, help_text="含宣传册、宣传品"
    )
    leaflets = models.PositiveIntegerField("宣传彩页(份)", default=0)
    banners = models.PositiveIntegerField("悬挂横幅(条)", default=0)
    bulletin_boards = models.PositiveIntegerField("张贴宣传栏(个)", default=0)
    displays = models.PositiveIntegerField("展板(块)", default=0)
    consultations = models.PositiveIntegerField("现场解答咨询(人次)", default=0)
    responsibility = models.ForeignKey(
        "outreach.ResponsibilityItem",
        verbose_name="落实的普法责任",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    summary = models.TextField("活动简况", blank=True)

    scope_village_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "普法活动"
        ordering = ["township_id", "-held_on"]
        indexes = [models.Index(fields=["township", "held_on"], name="event_township_date")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def group_list(self) -> list[str]:
        return split_groups(self.target_groups)

    def clean(self) -> None:
        unknown = [g for g in self.group_list if g not in c.TARGET_GROUPS]
        if unknown:
            raise ValidationError(
                {
                    "target_groups": f"“{'、'.join(unknown)}”不是可选的对象群体（可选："
                    f"{'、'.join(c.TARGET_GROUPS)}）。"
                }
            )
        self.target_groups = c.GROUP_SEPARATOR.join(dict.fromkeys(self.group_list))


class LegalUnderstander(TownshipScoped):
    """A 法律明白人 of a village (registry)."""

    village = models.ForeignKey(
        "core.Village", verbose_name="所在村(社区)", on_delete=models.PROTECT
    )
    name = models.CharField("姓名", max_length=30)
    gender = models.CharField(
        "性别", max_length=2, choices=[("男", "男"), ("女", "女")], blank=True
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)
    occupation = models.CharField(
        "身份", max_length=40, blank=True, help_text="如：村干部、网格员、退休教师"
    )
    appointed_on = models.DateField("选聘日期")
    trained_hours = models.DecimalField(
        "年度培训学时", max_digits=5, decimal_places=1, null=True, blank=True
    )
    mediator = models.ForeignKey(
        "disputes.Mediator",
        verbose_name="对应调解员记录",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text="参与调解的，选择其在调解员名册中的记录（邀请参与调解的纠纷据此关联）",
    )
    is_active = models.BooleanField("在册", default=True)
    left_on = models.DateField("退出日期", null=True, blank=True)

    scope_village_field = "village"
    history_masked_fields = frozenset({"phone"})

    class Meta:
        verbose_name = verbose_name_plural = "法律明白人"
        ordering = ["township_id", "village_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "village", "name"], name="understander_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.village}）" if self.village_id else self.name

    def clean(self) -> None:
        if self.left_on and self.appointed_on and self.left_on < self.appointed_on:
            raise ValidationError({"left_on": "退出日期不能早于选聘日期。"})
        if self.left_on and self.is_active:
            raise ValidationError({"is_active": "已填写退出日期的，请取消“在册”。"})


class Award(TownshipScoped):
    """An award of a 法律明白人 (十佳法律明白人 …)."""

    understander = models.ForeignKey(
        LegalUnderstander,
        verbose_name="法律明白人",
        on_delete=models.CASCADE,
        related_name="awards",
    )
    title = models.CharField("荣誉名称", max_length=60, help_text="如：十佳法律明白人")
    level = models.CharField("级别", max_length=12, choices=c.AwardLevel)
    awarded_on = models.DateField("授予日期")
    issuer = models.CharField("授予单位", max_length=60, blank=True)

    history_parent = "understander"

    class Meta:
        verbose_name = verbose_name_plural = "法律明白人表彰"
        ordering = ["township_id", "-awarded_on"]

    def __str__(self) -> str:
        return f"{self.understander.name} {self.title}"


class ServicePoint(TownshipScoped):
    """A public legal service point: the township station or a village room."""

    name = models.CharField("名称", max_length=80)
    level = models.CharField("层级", max_length=12, choices=c.ServiceLevel)
    village = models.ForeignKey(
        "core.Village", verbose_name="所在村(社区)", on_delete=models.PROTECT, null=True, blank=True
    )
    address = models.CharField("地址", max_length=120, blank=True)
    hours = models.CharField(
        "服务时间", max_length=60, blank=True, help_text="如：每周三上午律师坐班"
    )
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "公共法律服务站点"
        ordering = ["township_id", "level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="service_point_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.level == c.ServiceLevel.VILLAGE and not self.village_id:
            raise ValidationError({"village": "村级服务室须选择所在村(社区)。"})


class DutySession(TownshipScoped):
    """A lawyer's duty session (律师坐班) at a service point."""

    held_on = models.DateField("坐班日期")
    point = models.ForeignKey(ServicePoint, verbose_name="服务站点", on_delete=models.PROTECT)
    lawyer = models.CharField("值班律师", max_length=30)
    firm = models.CharField("律师事务所", max_length=60, blank=True)
    hours = models.DecimalField("时长(小时)", max_digits=4, decimal_places=1, null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "律师坐班"
        ordering = ["township_id", "-held_on"]
        indexes = [models.Index(fields=["township", "held_on"], name="dutysession_tsp_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "point", "held_on", "lawyer"], name="dutysession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.lawyer}坐班"


class Consultation(TownshipScoped):
    """Consultations answered (by a duty lawyer or the 司法所): people received and questions
    answered. A duty session's consultations of one topic may be entered as one line."""

    held_on = models.DateField("咨询日期")
    session = models.ForeignKey(
        DutySession,
        verbose_name="律师坐班",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    point = models.ForeignKey(
        ServicePoint, verbose_name="服务站点", on_delete=models.PROTECT, null=True, blank=True
    )
    village = models.ForeignKey(
        "core.Village", verbose_name="咨询人所在村", on_delete=models.PROTECT, null=True, blank=True
    )
    topic = models.CharField("咨询事项", max_length=20, choices=c.ConsultationTopic)
    people = models.PositiveIntegerField("接待咨询(人次)")
    questions = models.PositiveIntegerField("解答问题(条)", default=0)
    answered_by = models.CharField("解答人", max_length=30, blank=True)
    summary = models.TextField("咨询及解答要点", blank=True)

    scope_village_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "法律咨询"
        ordering = ["township_id", "-held_on"]
        indexes = [models.Index(fields=["township", "held_on"], name="consultation_tsp_date")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_topic_display()}咨询{self.people}人次"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.people == 0:
            errors["people"] = "接待咨询人次须大于0。"
        if self.session_id and self.held_on and self.session.held_on != self.held_on:
            errors["held_on"] = "咨询日期须与所选律师坐班日期一致。"
        if errors:
            raise ValidationError(errors)


class CultureSite(TownshipScoped):
    """A rule-of-law culture site (法治文化阵地) of a village."""

    village = models.ForeignKey(
        "core.Village", verbose_name="所在村(社区)", on_delete=models.PROTECT
    )
    kind = models.CharField("类型", max_length=12, choices=c.SiteKind)
    name = models.CharField("名称", max_length=80)
    built_on = models.DateField("建成日期")
    description = models.CharField("内容与设施", max_length=200, blank=True)
    is_active = models.BooleanField("在用", default=True)

    scope_village_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "法治文化阵地"
        ordering = ["township_id", "village_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["township", "village", "name"], name="site_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ResponsibilityItem(TownshipScoped):
    """A line of the 普法 responsibility list (谁执法谁普法): a department, the laws it
    publicises and the activities it plans in the year. Events naming it are its fulfilment."""

    year = models.PositiveSmallIntegerField("年度")
    department = models.ForeignKey(
        "core.Department", verbose_name="责任站所", on_delete=models.PROTECT
    )
    laws = models.ManyToManyField("governance.Law", verbose_name="普法内容(法律法规)", blank=True)
    activities = models.TextField("计划开展的普法活动", help_text="如：赶集日宣传、以案释法进企业")
    planned = models.PositiveSmallIntegerField("计划场次", default=1)
    key_days = models.CharField("重点宣传节点", max_length=120, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "普法责任清单"
        ordering = ["township_id", "-year", "department_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "department"], name="responsibility_unique_dept"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.department}普法责任"


class NeedsSurvey(TownshipScoped):
    """A record of the needs survey (菜单式普法): what a group in a village asks to learn."""

    surveyed_on = models.DateField("调查日期")
    village = models.ForeignKey(
        "core.Village", verbose_name="所在村(社区)", on_delete=models.PROTECT, null=True, blank=True
    )
    group = models.CharField("对象群体", max_length=12, choices=[(g, g) for g in c.TARGET_GROUPS])
    respondents = models.PositiveIntegerField("受访人数")
    laws = models.ManyToManyField("governance.Law", verbose_name="希望了解的法律法规", blank=True)
    topics = models.CharField("需求事项", max_length=200, help_text="如：土地流转合同、欠薪维权")
    channel = models.CharField("希望的形式", max_length=20, choices=c.Channel, blank=True)
    method = models.CharField(
        "调查方式", max_length=30, blank=True, help_text="如：入户走访、座谈会"
    )

    scope_village_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "普法需求调查"
        ordering = ["township_id", "-surveyed_on"]

    def __str__(self) -> str:
        return f"{self.surveyed_on:%Y-%m-%d} {self.group}：{self.topics}"


class LegalAidApplication(TownshipScoped):
    """A legal-aid application received at the township (司法所/公共法律服务站) and forwarded to
    the county legal-aid centre, which decides (《法律援助法》第四十三条)."""

    number = models.CharField("受理编号", max_length=40, blank=True, editable=False)
    received_on = models.DateField("接收日期")
    applicant = models.CharField("申请人", max_length=30)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    village = models.ForeignKey(
        "core.Village", verbose_name="所在村(社区)", on_delete=models.PROTECT, null=True, blank=True
    )
    category = models.CharField("事项类别", max_length=12, choices=c.AidCategory)
    matter = models.TextField("申请事项")
    basis = models.CharField(
        "援助条件",
        max_length=12,
        choices=c.AidBasis,
        help_text="《法律援助法》第四十一条、第四十二条",
    )
    green_channel = models.BooleanField(
        "绿色通道", default=False, help_text="困难群众优先办理：当日转交"
    )
    status = models.CharField(
        "状态", max_length=12, choices=c.AidStatus, default=c.AidStatus.RECEIVED, editable=False
    )
    forwarded_on = models.DateField("转交日期", null=True, blank=True, editable=False)
    forwarded_to = models.CharField(
        "转交机构", max_length=60, blank=True, editable=False, default=""
    )
    decided_on = models.DateField("决定日期", null=True, blank=True, editable=False)
    decision_note = models.CharField("决定情况", max_length=200, blank=True, editable=False)
    undertaker = models.CharField("承办人员", max_length=40, blank=True, editable=False)

    scope_village_field = "village"
    history_masked_fields = frozenset({"phone"})

    class Meta:
        verbose_name = verbose_name_plural = "法律援助申请"
        ordering = ["township_id", "-received_on"]
        indexes = [
            models.Index(fields=["township", "status", "received_on"], name="aid_tsp_status_date")
        ]

    def __str__(self) -> str:
        return f"{self.number or self.received_on} {self.applicant}"

    @property
    def exempt_from_means_check(self) -> bool:
        return self.basis in c.EXEMPT_BASES
