"""Enterprise inspections (涉企行政检查, 国办发〔2024〕54号), special campaigns (专项整治) and the
entity directory of 双随机一公开 (REGULATIONS.md §7, §12).

Only items on the published inspection list may be inspected; each inspection is approved by the
unit's head (afterwards in an emergency, recorded as such), gets a code before entry that the
enterprise can check on the portal, and counts against the enterprise's yearly cap per body. A
joint inspection (进一次门、查多项事) is one row with several bodies: it counts once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.models import TownshipScoped
from fazhi.inspections import choices as c
from fazhi.inspections import rules


class Enterprise(TownshipScoped):
    """A market entity in the inspection-target directory (检查对象名录库)."""

    name = models.CharField("名称", max_length=120)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    credit_class = models.CharField(
        "信用风险分类", max_length=1, choices=c.CreditClass, default=c.CreditClass.B
    )
    industry = models.CharField("行业", max_length=60, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    village = models.ForeignKey(
        "core.Village",
        verbose_name="所在村(社区)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField("在营", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查对象（企业）"
        ordering = ["township_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "credit_code"], name="insp_enterprise_unique_code"
            )
        ]
        indexes = [models.Index(fields=["township", "credit_class"], name="insp_ent_class")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        code = (self.credit_code or "").strip().upper()
        self.credit_code = code
        if len(code) != 18 or not code.isalnum():
            raise ValidationError({"credit_code": "统一社会信用代码应为18位字母或数字。"})


class InspectionItem(TownshipScoped):
    """An item of the published inspection list (检查事项清单 / 随机抽查事项清单)."""

    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("检查事项", max_length=200)
    body = models.ForeignKey(
        "enforcement.EnforcementBody",
        verbose_name="检查主体",
        on_delete=models.PROTECT,
        related_name="inspection_items",
    )
    basis = models.TextField("检查依据")
    content = models.TextField("检查内容", blank=True)
    method = models.CharField("检查方式", max_length=60, default="现场检查")
    frequency = models.CharField("抽查频次", max_length=60, blank=True, help_text="如：每年一次")
    ratio_percent = models.DecimalField(
        "抽查比例(%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    yearly_cap = models.PositiveSmallIntegerField(
        "每企业年度检查上限",
        default=rules.DEFAULT_YEARLY_CAP,
        help_text="同一部门对同一企业每年检查次数上限（各省公布；默认值待确认）",
    )
    is_random = models.BooleanField("双随机抽查事项", default=False)
    published_on = models.DateField(
        "公布日期", null=True, blank=True, help_text="空：未公布，不得检查"
    )
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查事项清单"
        ordering = ["township_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["township", "code"], name="insp_item_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Campaign(TownshipScoped):
    """A special campaign (专项整治行动)."""

    name = models.CharField("专项整治名称", max_length=120)
    domain = models.CharField("整治领域", max_length=20, choices=c.CampaignDomain)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    lead_body = models.ForeignKey(
        "enforcement.EnforcementBody",
        verbose_name="牵头主体",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    scope = models.TextField("整治范围", blank=True)
    closed_on = models.DateField("总结结束日期", null=True, blank=True)
    summary = models.TextField("工作总结", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专项整治行动"
        ordering = ["township_id", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="insp_campaign_unique_name")
        ]
        indexes = [models.Index(fields=["township", "start"], name="insp_campaign_start")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "结束日期不能早于开始日期。"})


class Inspection(TownshipScoped):
    """One entry into an enterprise (一次入企检查). Several bodies on one visit = one row."""

    code = models.CharField("检查码", max_length=20, editable=False)
    number = models.CharField("检查编号", max_length=60, editable=False, blank=True)
    kind = models.CharField("检查类型", max_length=20, choices=c.InspectionKind)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="被检查企业", on_delete=models.PROTECT, related_name="inspections"
    )
    body = models.ForeignKey(
        "enforcement.EnforcementBody",
        verbose_name="检查主体",
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    joint_bodies = models.ManyToManyField(
        "enforcement.EnforcementBody",
        verbose_name="联合检查主体",
        blank=True,
        related_name="joint_inspections",
        help_text="进一次门、查多项事：联合检查对企业只计一次",
    )
    check_items = models.ManyToManyField(InspectionItem, verbose_name="检查事项", related_name="+")
    officers = models.ManyToManyField(
        "enforcement.Officer", verbose_name="检查人员", related_name="inspections"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="所属专项整治",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    planned_on = models.DateField("计划检查日期")
    approver = models.CharField("审批负责人", max_length=30, blank=True)
    approved_on = models.DateField("审批日期", null=True, blank=True)
    emergency = models.BooleanField("紧急情况事后补批", default=False)
    emergency_reason = models.CharField("紧急情况说明", max_length=200, blank=True)
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    place = models.CharField("检查地点", max_length=120, blank=True)
    findings = models.TextField("检查情况", blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=c.InspectionStatus, default=c.InspectionStatus.PLANNED
    )
    warnings = models.TextField("频次预警", blank=True, editable=False)
    over_cap = models.BooleanField("超频次", default=False, editable=False)
    rating = models.PositiveSmallIntegerField("企业评价", null=True, blank=True, editable=False)
    rating_comment = models.CharField("评价意见", max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "涉企检查"
        ordering = ["township_id", "-planned_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["code"], name="insp_inspection_code")]
        indexes = [
            models.Index(fields=["township", "status", "inspected_on"], name="insp_status_date"),
            models.Index(fields=["enterprise", "planned_on"], name="insp_enterprise_date"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.enterprise} · {self.planned_on:%Y-%m-%d}" if self.enterprise_id else self.code
        )


class Hazard(TownshipScoped):
    """A hazard found on an inspection, with the owner and deadline of its rectification."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="检查", on_delete=models.PROTECT, related_name="hazards"
    )
    description = models.CharField("隐患描述", max_length=300)
    level = models.CharField(
        "隐患等级", max_length=20, choices=c.HazardLevel, default=c.HazardLevel.ORDINARY
    )
    found_on = models.DateField("发现日期")
    owner = models.CharField("整改责任人", max_length=60)
    deadline = models.DateField("整改期限")
    status = models.CharField(
        "状态", max_length=20, choices=c.HazardStatus, default=c.HazardStatus.OPEN, editable=False
    )
    rectified_on = models.DateField("整改完成日期", null=True, blank=True, editable=False)
    measures = models.TextField("整改措施", blank=True, editable=False)
    verified_on = models.DateField("复查日期", null=True, blank=True, editable=False)
    verified_by = models.CharField("复查人", max_length=60, blank=True, editable=False)

    history_parent = "inspection"

    class Meta:
        verbose_name = verbose_name_plural = "隐患整改"
        ordering = ["township_id", "deadline"]
        indexes = [models.Index(fields=["township", "status", "deadline"], name="insp_hazard_due")]

    def __str__(self) -> str:
        return self.description[:40]

    def clean(self) -> None:
        if self.found_on and self.deadline and self.deadline < self.found_on:
            raise ValidationError({"deadline": "整改期限不能早于发现日期。"})


class RandomPlan(TownshipScoped):
    """A 双随机 plan: items, per-class ratios, inspectors per entity; once drawn its seed, the
    entity list and the result are fixed and published (immutable)."""

    name = models.CharField("抽查计划名称", max_length=120)
    body = models.ForeignKey(
        "enforcement.EnforcementBody", verbose_name="抽查主体", on_delete=models.PROTECT
    )
    check_items = models.ManyToManyField(InspectionItem, verbose_name="抽查事项", related_name="+")
    ratio_a = models.DecimalField("A类抽取比例(%)", max_digits=5, decimal_places=2, default=1)
    ratio_b = models.DecimalField("B类抽取比例(%)", max_digits=5, decimal_places=2, default=2)
    ratio_c = models.DecimalField("C类抽取比例(%)", max_digits=5, decimal_places=2, default=10)
    ratio_d = models.DecimalField("D类抽取比例(%)", max_digits=5, decimal_places=2, default=30)
    inspectors_per_entity = models.PositiveSmallIntegerField("每户检查人员数", default=2)
    start = models.DateField("抽查开始日期")
    end = models.DateField("抽查结束日期")
    status = models.CharField(
        "状态", max_length=20, choices=c.PlanStatus, default=c.PlanStatus.DRAFT, editable=False
    )
    seed = models.CharField("随机种子", max_length=64, blank=True, editable=False)
    algorithm = models.CharField(
        "抽取算法版本", max_length=4, blank=True, editable=False
    )  # draw.py's version used by the draw ("v1", "v2"); blank until drawn
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True, editable=False)
    entity_count = models.PositiveIntegerField("名单户数", default=0, editable=False)
    list_sha256 = models.CharField("名单文件SHA-256", max_length=64, blank=True, editable=False)
    list_file = models.CharField("名单文件", max_length=255, blank=True, editable=False)
    results_due_on = models.DateField("结果应公示日期", null=True, blank=True, editable=False)
    results_published_on = models.DateField("结果公示日期", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "双随机抽查计划"
        ordering = ["township_id", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="insp_plan_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "结束日期不能早于开始日期。"})
        for name in ("ratio_a", "ratio_b", "ratio_c", "ratio_d"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 100:
                raise ValidationError({name: "抽取比例须在0至100之间。"})
        if self.inspectors_per_entity is not None and self.inspectors_per_entity < 2:
            raise ValidationError({"inspectors_per_entity": "每户检查人员不得少于2人。"})

    @property
    def ratios(self) -> dict[str, float]:
        return {
            "A": float(self.ratio_a),
            "B": float(self.ratio_b),
            "C": float(self.ratio_c),
            "D": float(self.ratio_d),
        }


class RandomTarget(TownshipScoped):
    """One drawn entity of a plan, with its inspectors (written only by the draw)."""

    plan = models.ForeignKey(
        RandomPlan, verbose_name="抽查计划", on_delete=models.PROTECT, related_name="targets"
    )
    rank = models.PositiveIntegerField("序号")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="抽查对象", on_delete=models.PROTECT, related_name="+"
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    credit_class = models.CharField("信用风险分类", max_length=1, choices=c.CreditClass)
    inspectors = models.CharField("检查人员", max_length=200)
    result = models.CharField(
        "抽查结果", max_length=20, choices=c.RandomResult, blank=True, default=""
    )
    result_on = models.DateField("检查日期", null=True, blank=True)

    history_parent = "plan"

    class Meta:
        verbose_name = verbose_name_plural = "双随机抽查对象"
        ordering = ["township_id", "plan_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "rank"], name="insp_target_unique_rank")
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.rank}"


class Recusal(TownshipScoped):
    """A recorded conflict of interest (回避): the officer is never paired with the entity in a
    双随机 draw (REGULATIONS.md §7: inspectors not recused for a conflict of interest)."""

    officer = models.ForeignKey(
        "enforcement.Officer",
        verbose_name="回避人员",
        on_delete=models.PROTECT,
        related_name="recusals",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="回避对象", on_delete=models.PROTECT, related_name="recusals"
    )
    reason = models.CharField(
        "回避事由", max_length=200, help_text="如：近亲属在该企业任职、曾在该企业工作未满两年"
    )
    recorded_on = models.DateField("登记日期")
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查人员回避"
        ordering = ["township_id", "officer_id", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "enterprise"], name="insp_recusal_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} 回避 {self.enterprise}" if self.officer_id else "回避"

    def clean(self) -> None:
        errors = {}
        if self.officer_id and self.township_id and self.officer.township_id != self.township_id:
            errors["officer"] = "回避人员不属于本乡镇。"
        if (
            self.enterprise_id
            and self.township_id
            and self.enterprise.township_id != self.township_id
        ):
            errors["enterprise"] = "回避对象不属于本乡镇的检查对象名录。"
        if errors:
            raise ValidationError(errors)
