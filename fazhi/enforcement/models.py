"""Administrative enforcement (行政执法) under the 三项制度 (REGULATIONS.md §2, §3, §11).

Bodies (执法主体) hold powers (权责清单事项) handed to the township with their legal basis;
officers (执法人员) hold certificates (执法证件) with dates, status and the yearly check. An
officer without a valid certificate cannot be assigned to a case or an inspection.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.models import TownshipScoped
from fazhi.core.roles import ADD, CHANGE, DELETE, IMPORT, SUPERVISE
from fazhi.enforcement import choices as c
from fazhi.enforcement import rules


class EnforcementBody(TownshipScoped):
    """An enforcement body (执法主体) of the township: the government itself for handed-over
    powers, the 综合行政执法大队, a 派驻 unit (市场监管所, 自然资源所) or an entrusted body."""

    name = models.CharField("执法主体名称", max_length=80, help_text="如：寺庄镇综合行政执法大队")
    kind = models.CharField("主体类型", max_length=20, choices=c.BodyKind)
    department = models.ForeignKey(
        "core.Department",
        verbose_name="对应站所",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    basis = models.TextField(
        "主体资格依据", blank=True, help_text="如：省人民政府关于赋予乡镇行政执法权的决定"
    )
    entrusting_body = models.CharField(
        "委托机关", max_length=80, blank=True, help_text="受委托组织必填"
    )
    entrustment_document = models.CharField(
        "委托书文号", max_length=80, blank=True, help_text="受委托组织必填，委托书须公开"
    )
    entrustment_published_on = models.DateField("委托书公开日期", null=True, blank=True)
    head = models.CharField("负责人", max_length=30, blank=True)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法主体"
        ordering = ["township_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="enf_body_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == c.BodyKind.ENTRUSTED:
            errors = {}
            if not self.entrusting_body:
                errors["entrusting_body"] = "受委托组织须填写委托机关。"
            if not self.entrustment_document:
                errors["entrustment_document"] = "受委托组织须填写委托书文号（委托书须公开）。"
            if errors:
                raise ValidationError(errors)


class Power(TownshipScoped):
    """One item of the power and responsibility list (权责清单), published on the portal."""

    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("事项名称", max_length=200)
    category = models.CharField("事项类别", max_length=20, choices=c.PowerCategory)
    body = models.ForeignKey(
        EnforcementBody, verbose_name="实施主体", on_delete=models.PROTECT, related_name="powers"
    )
    source = models.CharField("权力来源", max_length=20, choices=c.PowerSource)
    handover_basis = models.CharField(
        "赋权（委托）依据", max_length=200, blank=True, help_text="赋权、委托事项必填"
    )
    legal_basis = models.TextField("设定依据")
    procedure = models.TextField("办理程序", blank=True)
    remedy = models.CharField(
        "救济途径",
        max_length=200,
        default="可在六十日内申请行政复议，或在六个月内提起行政诉讼",
    )
    discretion = models.TextField("裁量基准", blank=True, help_text="有裁量基准的填写")
    legal_review_required = models.BooleanField("列入重大执法决定法制审核目录", default=False)
    published_on = models.DateField("公布日期", null=True, blank=True, help_text="空：未公布")
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "权责清单事项"
        ordering = ["township_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["township", "code"], name="enf_power_unique_code")
        ]
        indexes = [models.Index(fields=["township", "category"], name="enf_power_category")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if (
            self.source in (c.PowerSource.DELEGATED, c.PowerSource.ENTRUSTED)
            and not (self.handover_basis or "").strip()
        ):
            raise ValidationError({"handover_basis": "赋权或委托的事项须填写赋权（委托）依据。"})


class Officer(TownshipScoped):
    """A person who enforces or assists (执法人员, 辅助人员, 网格员)."""

    name = models.CharField("姓名", max_length=30)
    kind = models.CharField("人员类别", max_length=20, choices=c.OfficerKind)
    body = models.ForeignKey(
        EnforcementBody,
        verbose_name="所属执法主体",
        on_delete=models.PROTECT,
        related_name="officers",
    )
    staff = models.ForeignKey(
        "core.Staff", verbose_name="对应工作人员", on_delete=models.SET_NULL, null=True, blank=True
    )
    position = models.CharField("职务", max_length=40, blank=True)
    legal_qualification = models.BooleanField("具有法律职业资格", default=False)
    is_legal_reviewer = models.BooleanField("法制审核人员", default=False)
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法人员"
        ordering = ["township_id", "name"]
        indexes = [models.Index(fields=["township", "kind"], name="enf_officer_kind")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.is_legal_reviewer and self.kind != c.OfficerKind.OFFICER:
            raise ValidationError({"is_legal_reviewer": "法制审核人员须为行政执法人员。"})

    def certificate_on(self, on: dt.date) -> Certificate | None:
        """The certificate that makes the officer certified on `on` (None: not certified)."""
        for cert in self.certificates.all():
            if cert.state(on) in (c.CertificateState.VALID, c.CertificateState.EXPIRING):
                return cert
        return None


class Certificate(TownshipScoped):
    """An enforcement certificate (行政执法证件)."""

    officer = models.ForeignKey(
        Officer, verbose_name="持证人", on_delete=models.CASCADE, related_name="certificates"
    )
    number = models.CharField("执法证号", max_length=40)
    category = models.CharField("执法类别", max_length=60, help_text="如：综合行政执法")
    issuer = models.CharField("发证机关", max_length=80, blank=True)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")
    status = models.CharField(
        "证件状态", max_length=20, choices=c.CertificateStatus, default=c.CertificateStatus.VALID
    )
    checked_year = models.PositiveSmallIntegerField(
        "最近年审年度", null=True, blank=True, help_text="如 2025；上一年度未年审的证件不计为有效"
    )

    history_parent = "officer"

    class Meta:
        verbose_name = verbose_name_plural = "执法证件"
        ordering = ["township_id", "expires_on"]
        constraints = [
            models.UniqueConstraint(fields=["township", "number"], name="enf_cert_unique_number")
        ]
        indexes = [models.Index(fields=["township", "expires_on"], name="enf_cert_expiry")]

    def __str__(self) -> str:
        return f"{self.number}（{self.officer}）" if self.officer_id else self.number

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError({"expires_on": "有效期至须晚于发证日期。"})
        if self.officer_id and self.officer.kind != c.OfficerKind.OFFICER:
            raise ValidationError({"officer": "执法辅助人员和网格员不能持有行政执法证件。"})

    def state(self, on: dt.date, warn_days: int | None = None) -> c.CertificateState:
        """The certificate's state on `on`: statuses first, then dates, then the yearly check
        (a certificate issued before last year must have passed last year's check)."""
        if self.status != c.CertificateStatus.VALID:
            return c.CertificateState.INVALID
        if on < self.issued_on:
            return c.CertificateState.NOT_YET
        if on > self.expires_on:
            return c.CertificateState.EXPIRED
        last = max(self.issued_on.year, self.checked_year or 0)
        if last < on.year - 1:
            return c.CertificateState.UNCHECKED
        if warn_days is None:
            warn_days = rules.CERTIFICATE_RENEWAL.length
        if (self.expires_on - on).days <= warn_days:
            return c.CertificateState.EXPIRING
        return c.CertificateState.VALID


class EnforcementCase(TownshipScoped):
    """An enforcement case (行政执法案件) from 立案 to 结案, or a summary (当场) decision."""

    number = models.CharField("案件编号", max_length=60, editable=False)
    procedure = models.CharField(
        "程序", max_length=20, choices=c.Procedure, default=c.Procedure.ORDINARY
    )
    power = models.ForeignKey(
        Power, verbose_name="执法事项（权责清单）", on_delete=models.PROTECT, related_name="cases"
    )
    body = models.ForeignKey(
        EnforcementBody, verbose_name="执法主体", on_delete=models.PROTECT, related_name="cases"
    )
    handlers = models.ManyToManyField(Officer, verbose_name="承办人员", related_name="cases")
    party_kind = models.CharField("当事人类型", max_length=20, choices=c.PartyKind)
    party_name = models.CharField("当事人", max_length=120)
    party_id_number = models.CharField("证件号码/统一社会信用代码", max_length=30, blank=True)
    party_address = models.CharField("当事人地址", max_length=200, blank=True)
    cause = models.CharField("案由", max_length=200)
    facts = models.TextField("违法事实", blank=True)
    filed_on = models.DateField("立案日期")
    public_interest = models.BooleanField("涉及重大公共利益", default=False)
    complex_case = models.BooleanField("疑难复杂、涉及多个法律关系", default=False)
    status = models.CharField(
        "办理状态", max_length=20, choices=c.CaseStatus, default=c.CaseStatus.FILED, editable=False
    )
    proposed_penalty = models.CharField("拟处罚内容", max_length=200, blank=True, editable=False)
    fine_amount = models.DecimalField(
        "罚款金额(元)", max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    notified_on = models.DateField("告知日期", null=True, blank=True, editable=False)
    statement = models.TextField("陈述申辩意见", blank=True, editable=False)
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True, editable=False)
    hearing_on = models.DateField("听证日期", null=True, blank=True, editable=False)
    discussed_on = models.DateField("集体讨论日期", null=True, blank=True, editable=False)
    extension_days = models.PositiveSmallIntegerField("延长办案天数", default=0, editable=False)
    extension_approver = models.CharField("延期批准人", max_length=30, blank=True, editable=False)
    extension_reason = models.CharField("延期理由", max_length=200, blank=True, editable=False)
    decided_on = models.DateField("决定日期", null=True, blank=True, editable=False)
    major_fine_limit = models.PositiveIntegerField(
        "决定时的较大数额罚款标准(元)",
        null=True,
        blank=True,
        editable=False,
        help_text="作出决定时本县（省）须经法制审核的罚款数额；决定后标准再调整，本案不受影响。",
    )
    outcome = models.CharField(
        "处理决定", max_length=20, choices=c.Outcome, blank=True, editable=False
    )
    decision = models.TextField("决定内容", blank=True, editable=False)
    decision_number = models.CharField("决定书文号", max_length=60, blank=True, editable=False)
    served_on = models.DateField("送达日期", null=True, blank=True, editable=False)
    paid_on = models.DateField("履行（缴款）日期", null=True, blank=True, editable=False)
    paid_amount = models.DecimalField(
        "实缴金额(元)", max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    closed_on = models.DateField("结案日期", null=True, blank=True, editable=False)

    history_masked_fields = frozenset({"party_id_number", "party_address"})

    class Meta:
        verbose_name = verbose_name_plural = "行政执法案件"
        ordering = ["township_id", "-filed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["township", "number"], name="enf_case_unique_number")
        ]
        indexes = [
            models.Index(fields=["township", "status", "filed_on"], name="enf_case_status"),
            models.Index(fields=["township", "decided_on"], name="enf_case_decided"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.cause}" if self.number else self.cause

    def review_triggers(self) -> list[str]:
        """Why this case needs 法制审核 before the decision (empty: not required)."""
        out = []
        if self.power_id and self.power.legal_review_required:
            out.append(c.ReviewTrigger.LIST)
        if self.public_interest:
            out.append(c.ReviewTrigger.PUBLIC_INTEREST)
        if self.hearing_on:
            out.append(c.ReviewTrigger.HEARING)
        if self.complex_case:
            out.append(c.ReviewTrigger.COMPLEX)
        if self.fine_amount is not None and self.fine_amount >= self.fine_limit():
            out.append(c.ReviewTrigger.MAJOR_FINE)
        return out

    def fine_limit(self) -> int:
        """The fine (元) from which this case needs 法制审核: the threshold recorded when it was
        decided, else the one in force now for its township (county, else province, else the
        default). A later change of the threshold does not reach back into decided cases."""
        if self.major_fine_limit is not None:
            return self.major_fine_limit
        return rules.major_fine(self.township, self.party_kind)

    @property
    def needs_review(self) -> bool:
        return self.procedure == c.Procedure.ORDINARY and bool(self.review_triggers())


class CaseRecord(TownshipScoped):
    """One entry of the full-process record (全过程记录); its content and files' hashes are
    appended to the case's evidence chain."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.PROTECT, related_name="records"
    )
    step = models.CharField("执法环节", max_length=20, choices=c.RecordStep)
    form = models.CharField("记录形式", max_length=20, choices=c.RecordForm)
    occurred_at = models.DateTimeField("时间")
    place = models.CharField("地点", max_length=120)
    officers = models.CharField("执法人员", max_length=120)
    summary = models.TextField("记录内容")
    evidence_seq = models.PositiveIntegerField("证据链序号", null=True, editable=False)

    history_parent = "case"

    class Meta:
        verbose_name = verbose_name_plural = "全过程记录"
        ordering = ["township_id", "case_id", "occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


def _labelled(items: dict[str, str], show) -> object:
    """A checklist stored by key ({"facts": …}) shown by its items' names, in checklist order."""

    def label(value: object) -> str:
        if not isinstance(value, dict):
            return str(value)
        known = [k for k in items if k in value] + [k for k in value if k not in items]
        return "；".join(f"{items.get(k, '其他项目')}：{show(value[k])}" for k in known)

    return label


def _yes_no(v: object) -> str:
    return (
        {True: "是", False: "否", None: "未审"}.get(v, str(v))
        if isinstance(v, bool | None)
        else str(v)
    )


def _score(v: object) -> str:
    return f"{v}分"


def _review_points() -> dict[str, str]:
    from fazhi.enforcement import rules

    return dict(rules.REVIEW_POINTS)


def _checklist() -> dict[str, str]:
    from fazhi.enforcement import rules

    return {k: item for k, item, _ in rules.FILE_REVIEW_CHECKLIST}


class LegalReview(TownshipScoped):
    """法制审核 of a decision: a qualified reviewer who is not a handler, the six review points,
    the opinion (on the case's evidence chain); no decision without a passed review."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.PROTECT, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        Officer, verbose_name="审核人员", on_delete=models.PROTECT, related_name="reviews"
    )
    submitted_on = models.DateField("送审日期")
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    points = models.JSONField("审核要点", default=dict, blank=True)
    opinion = models.TextField("审核意见", blank=True)
    passed = models.BooleanField("审核通过", null=True, blank=True)

    history_parent = "case"
    #: pages and the history show the review points by name, not by key
    field_value_labels = {"points": lambda v: _labelled(_review_points(), _yes_no)(v)}

    class Meta:
        verbose_name = verbose_name_plural = "法制审核"
        ordering = ["township_id", "-submitted_on", "-pk"]

    def __str__(self) -> str:
        return f"法制审核 {self.submitted_on:%Y-%m-%d}"


class Disclosure(TownshipScoped):
    """公示 of a decision on the portal (redacted), with its due date and any withdrawal."""

    case = models.OneToOneField(
        EnforcementCase, verbose_name="案件", on_delete=models.PROTECT, related_name="disclosure"
    )
    due_on = models.DateField("应公示日期")
    published_on = models.DateField("公示日期", null=True, blank=True)
    title = models.CharField("公示标题", max_length=200)
    content = models.TextField("公示内容（已脱敏）")
    withdrawal_due_on = models.DateField("应撤回日期", null=True, blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawal_reason = models.CharField("撤回原因", max_length=200, blank=True)

    history_parent = "case"

    class Meta:
        verbose_name = verbose_name_plural = "执法决定公示"
        ordering = ["township_id", "-published_on", "-pk"]
        indexes = [models.Index(fields=["township", "published_on"], name="enf_disclosure_pub")]

    def __str__(self) -> str:
        return self.title


class CaseFileReview(TownshipScoped):
    """案卷评查: a score per checklist item, the total and whether the file passed."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.PROTECT, related_name="file_reviews"
    )
    reviewed_on = models.DateField("评查日期")
    reviewer = models.CharField("评查人", max_length=60)
    scores = models.JSONField("评查得分", default=dict)
    total = models.DecimalField("总分", max_digits=5, decimal_places=1, editable=False)
    passed = models.BooleanField("合格", editable=False)
    note = models.TextField("评查意见", blank=True)

    history_parent = "case"
    #: pages and the history show the checklist items by name, not by key
    field_value_labels = {"scores": lambda v: _labelled(_checklist(), _score)(v)}

    class Meta:
        verbose_name = verbose_name_plural = "案卷评查"
        ordering = ["township_id", "-reviewed_on"]

    def __str__(self) -> str:
        return f"案卷评查 {self.reviewed_on:%Y-%m-%d}（{self.total}分）"


# --- supervision (REGULATIONS.md §11, 《行政执法监督条例》) -------------------------------------
class SupervisionMatter(TownshipScoped):
    """A supervision matter (监督事项) of the 司法所 or the county 司法局 over the township's
    enforcement: routine, thematic or single-case, with its subject and findings."""

    kind = models.CharField("监督方式", max_length=20, choices=c.SupervisionKind)
    level = models.CharField("监督机关层级", max_length=20, choices=c.SupervisorLevel)
    supervisor = models.CharField("监督机关", max_length=80, help_text="如：寺庄镇司法所")
    title = models.CharField("监督事项", max_length=200)
    subject = models.CharField("监督对象类型", max_length=20, choices=c.SupervisionSubject)
    body = models.ForeignKey(
        EnforcementBody, verbose_name="被监督执法主体", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name="涉及案件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisions",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name="涉及检查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signal = models.CharField(
        "风险提示来源", max_length=30, choices=c.RiskSignal, blank=True, editable=False
    )
    started_on = models.DateField("启动日期")
    findings = models.TextField("监督发现的问题", blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=c.MatterStatus, default=c.MatterStatus.OPEN, editable=False
    )
    closed_on = models.DateField("办结日期", null=True, blank=True, editable=False)

    #: supervision acts are written by supervisors (司法所, county 司法局), not by the bodies
    scope_action_map = {ADD: SUPERVISE, CHANGE: SUPERVISE, DELETE: SUPERVISE, IMPORT: SUPERVISE}

    class Meta:
        verbose_name = verbose_name_plural = "行政执法监督事项"
        ordering = ["township_id", "-started_on", "-pk"]
        indexes = [models.Index(fields=["township", "started_on"], name="enf_sup_started")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for field in ("body", "case", "inspection"):
            obj = getattr(self, field, None) if getattr(self, f"{field}_id") else None
            if obj is not None and obj.township_id != self.township_id:
                errors[field] = "所选记录不属于该乡镇。"
        if self.subject == c.SupervisionSubject.CASE and not self.case_id:
            errors["case"] = "监督对象为执法案件时须选择案件。"
        if self.subject == c.SupervisionSubject.INSPECTION and not self.inspection_id:
            errors["inspection"] = "监督对象为涉企检查时须选择检查。"
        if self.kind == c.SupervisionKind.SINGLE_CASE and not (self.case_id or self.inspection_id):
            errors.setdefault("case", "个案监督须选择涉及的案件或检查。")
        if self.case_id and self.body_id and self.case.body_id != self.body_id:
            errors.setdefault("case", "该案件不是所选执法主体办理的。")
        if errors:
            raise ValidationError(errors)


class SupervisionOpinion(TownshipScoped):
    """A 行政执法监督意见书: what the body must correct and by when, its report-back (反馈)
    and the supervisor's confirmation."""

    matter = models.ForeignKey(
        SupervisionMatter,
        verbose_name="监督事项",
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    number = models.CharField("文书编号", max_length=60, editable=False)
    body = models.ForeignKey(
        EnforcementBody, verbose_name="整改单位", on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField("送达日期")
    problems = models.TextField("存在的问题")
    requirements = models.TextField("纠正（整改）要求")
    due_on = models.DateField("整改期限", editable=False)
    status = models.CharField(
        "整改状态",
        max_length=20,
        choices=c.OpinionStatus,
        default=c.OpinionStatus.ISSUED,
        editable=False,
    )
    reported_on = models.DateField("整改反馈日期", null=True, blank=True, editable=False)
    correction = models.TextField("整改情况报告", blank=True, editable=False)
    accepted_on = models.DateField("确认整改完成日期", null=True, blank=True, editable=False)
    review_note = models.CharField("审查意见", max_length=200, blank=True, editable=False)

    history_parent = "matter"
    #: written only by the services of supervision.py (the supervisor issues and confirms, the
    #: body reports back); generic pages, API and Excel are read-only (resources.py)

    class Meta:
        verbose_name = verbose_name_plural = "行政执法监督意见书"
        ordering = ["township_id", "-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["township", "number"], name="enf_opinion_unique_number")
        ]
        indexes = [models.Index(fields=["township", "issued_on"], name="enf_opinion_issued")]

    def __str__(self) -> str:
        return f"监督意见书{self.number}"

    def clean(self) -> None:
        if self.matter_id and self.matter.township_id != self.township_id:
            raise ValidationError({"matter": "所选监督事项不属于该乡镇。"})
        if self.body_id and self.body.township_id != self.township_id:
            raise ValidationError({"body": "所选执法主体不属于该乡镇。"})
