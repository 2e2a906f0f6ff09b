"""Forms of the enforcement case steps (one per service verb)."""

from __future__ import annotations

from django import forms

from fazhi.enforcement import choices as c
from fazhi.enforcement import rules
from fazhi.enforcement.models import Officer

DATE = {"widget": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}


class RecordStepForm(forms.Form):
    step = forms.ChoiceField(label="执法环节", choices=c.RecordStep.choices)
    form = forms.ChoiceField(label="记录形式", choices=c.RecordForm.choices)
    occurred_at = forms.DateTimeField(
        label="时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label="地点", max_length=120)
    summary = forms.CharField(label="记录内容", widget=forms.Textarea(attrs={"rows": 3}))
    files = forms.FileField(
        label="录音录像、照片或文书",
        required=False,
        help_text="查封扣押财产、强制拆除须上传录音或录像（.mp3/.mp4）",
    )


class NotifyForm(forms.Form):
    notified_on = forms.DateField(label="告知日期", **DATE)
    proposed_penalty = forms.CharField(label="拟作出的处罚", max_length=200)
    fine_amount = forms.DecimalField(
        label="拟罚款金额(元)", required=False, min_value=0, max_digits=12, decimal_places=2
    )


class StatementForm(forms.Form):
    statement = forms.CharField(label="陈述申辩意见", widget=forms.Textarea(attrs={"rows": 3}))


class HearingForm(forms.Form):
    requested_on = forms.DateField(label="当事人申请听证日期", **DATE)
    notice_on = forms.DateField(label="通知听证日期", **DATE)
    hearing_on = forms.DateField(label="听证日期", **DATE)


class SubmitReviewForm(forms.Form):
    reviewer = forms.ModelChoiceField(label="法制审核人员", queryset=Officer.objects.none())
    submitted_on = forms.DateField(label="送审日期", **DATE)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["reviewer"].queryset = Officer.objects.filter(
                township_id=case.township_id,
                is_legal_reviewer=True,
                legal_qualification=True,
                is_active=True,
            ).exclude(pk__in=case.handlers.values("pk"))


class CompleteReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="审核日期", **DATE)
    opinion = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 3}))
    passed = forms.BooleanField(label="审核通过", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in rules.REVIEW_POINTS:
            self.fields[f"point_{key}"] = forms.BooleanField(label=f"{label}：符合", required=False)

    def points(self) -> dict[str, bool]:
        return {key: self.cleaned_data.get(f"point_{key}", False) for key, _ in rules.REVIEW_POINTS}


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365)
    approver = forms.CharField(label="批准负责人", max_length=30)
    reason = forms.CharField(label="延期理由", max_length=200)


class DecideForm(forms.Form):
    decided_on = forms.DateField(label="决定日期", **DATE)
    outcome = forms.ChoiceField(label="处理决定", choices=c.Outcome.choices)
    decision = forms.CharField(
        label="决定内容（处罚种类和依据、履行方式和期限）", widget=forms.Textarea(attrs={"rows": 3})
    )
    fine_amount = forms.DecimalField(
        label="罚款金额(元)", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    discussed_on = forms.DateField(label="集体讨论日期", required=False, **DATE)


class ServeForm(forms.Form):
    served_on = forms.DateField(label="送达日期", **DATE)


class PayForm(forms.Form):
    paid_on = forms.DateField(label="缴款日期", **DATE)
    amount = forms.DecimalField(label="实缴金额(元)", min_value=0, max_digits=12, decimal_places=2)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="结案日期", **DATE)


class TerminateForm(forms.Form):
    on = forms.DateField(label="日期", **DATE)
    reason = forms.CharField(label="撤销立案或移送理由", max_length=200)


class PublishForm(forms.Form):
    published_on = forms.DateField(label="公示日期", **DATE)


class WithdrawForm(forms.Form):
    changed_on = forms.DateField(label="决定变更、撤销日期", **DATE)
    withdrawn_on = forms.DateField(label="撤回日期", **DATE)
    reason = forms.CharField(label="撤回原因", max_length=200)


class FileReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="评查日期", **DATE)
    reviewer = forms.CharField(label="评查人", max_length=60)
    note = forms.CharField(
        label="评查意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, township=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = (
            rules.file_review_checklist(township)
            if township is not None
            else rules.FILE_REVIEW_CHECKLIST
        )
        for key, label, full in self.checklist:
            self.fields[f"score_{key}"] = forms.DecimalField(
                label=f"{label}（满分{full}）", min_value=0, max_value=full, decimal_places=1
            )
        if township is not None:
            self.fields[
                "note"
            ].help_text = f"总分达到{rules.file_review_pass(township)}分为合格（评查标准可按省、县在期限规则中调整）"

    def scores(self) -> dict[str, float]:
        return {key: float(self.cleaned_data[f"score_{key}"]) for key, _, _ in self.checklist}


# --- supervision (监督事项 and 监督意见书) ---------------------------------------------------------
# The version of the matter or opinion a form acts on is not a field: the case page posts it as
# hidden `version` (CaseAction.version for an opinion) and the view checks it
# (core.views.generic.act_at_version).
class IssueOpinionForm(forms.Form):
    issued_on = forms.DateField(label="送达日期", **DATE)
    problems = forms.CharField(label="存在的问题", widget=forms.Textarea(attrs={"rows": 3}))
    requirements = forms.CharField(
        label="纠正（整改）要求",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="整改期限按期限规则“按监督意见书整改并报告”自送达日起计算",
    )


class FindingsForm(forms.Form):
    findings = forms.CharField(label="监督发现的问题", widget=forms.Textarea(attrs={"rows": 3}))


class CloseMatterForm(forms.Form):
    closed_on = forms.DateField(label="办结日期", **DATE)


class ReportCorrectionForm(forms.Form):
    opinion = forms.IntegerField(widget=forms.HiddenInput)
    reported_on = forms.DateField(label="反馈日期", **DATE)
    correction = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}))


class ReviewCorrectionForm(forms.Form):
    opinion = forms.IntegerField(widget=forms.HiddenInput)
    reviewed_on = forms.DateField(label="审查日期", **DATE)
    accepted = forms.TypedChoiceField(
        label="审查结论",
        choices=[("1", "整改到位，确认完成"), ("0", "整改不到位，退回重新整改")],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label="审查意见", max_length=200, required=False)
