"""Forms of the decision steps and the portal's comment form."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi.core.models import Staff
from fazhi.decisions.choices import Adoption, MeetingKind, Outcome
from fazhi.legal.choices import ReviewerKind
from fazhi.legal.forms import DATE, ActionForm, OnForm
from fazhi.legal.models import Advisor

TEXT = forms.Textarea(attrs={"rows": 4})


class OpenCommentForm(ActionForm):
    start = forms.DateField(label="征求意见起", widget=DATE)
    end = forms.DateField(label="征求意见止", widget=DATE)
    short_reason = forms.CharField(label="缩短期限的理由", max_length=200, required=False,
                                   help_text="少于30日的必须填写（条例第十五条）")  # fmt: skip


class HearingForm(ActionForm):
    hearing_on = forms.DateField(label="听证会日期", widget=DATE)
    materials_on = forms.DateField(label="听证材料送达日期", widget=DATE)


class SummaryForm(ActionForm):
    summary = forms.CharField(label="意见采纳情况汇总", widget=TEXT)


class ExpertForm(OnForm):
    opinion = forms.CharField(label="专家论证意见", widget=TEXT)


class RiskForm(OnForm):
    report = forms.CharField(label="风险评估报告（风险点、防范措施、处置预案）", widget=TEXT)


class ReviewForm(OnForm):
    reviewer_kind = forms.ChoiceField(label="审查主体", choices=ReviewerKind.choices,
                                      initial=ReviewerKind.JOINT)  # fmt: skip
    reviewer = forms.ModelChoiceField(
        label="审查人(司法所)", queryset=Staff.objects.all(), required=False
    )
    advisor = forms.ModelChoiceField(
        label="法律顾问", queryset=Advisor.objects.all(), required=False
    )


class DiscussForm(ActionForm):
    meeting_on = forms.DateField(label="集体讨论日期", widget=DATE)
    meeting_kind = forms.ChoiceField(label="会议", choices=MeetingKind.choices)
    minutes = forms.CharField(label="会议纪要", widget=TEXT, required=False)
    dissent = forms.CharField(label="不同意见", widget=TEXT, required=False)
    head = forms.ModelChoiceField(label="行政首长", queryset=Staff.objects.all(), required=False)
    head_spoke_last = forms.BooleanField(label="行政首长最后发言并作出决定", required=False)
    outcome = forms.ChoiceField(label="决定", choices=Outcome.choices)
    head_explanation = forms.CharField(label="与多数意见不一致的说明", widget=TEXT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.apps import apps

        if apps.is_installed("fazhi.governance"):
            from fazhi.governance.models import StudySession

            self.fields["study"] = forms.ModelChoiceField(
                label="会前学法记录", required=False,
                queryset=StudySession.objects.visible_to(self.user, "view").filter(
                    township_id=self.obj.township_id).order_by("-held_on"),
            )  # fmt: skip


class PublishForm(OnForm):
    party_reported_on = forms.DateField(label="向同级党委请示报告日期", widget=DATE)
    channel = forms.CharField(label="公布途径", max_length=100, initial="镇政府网站、政务公开栏")
    adoption_note = forms.CharField(label="公众、专家意见采纳情况说明", widget=TEXT)


class SuspendExecutionForm(OnForm):
    head = forms.ModelChoiceField(label="行政首长", queryset=Staff.objects.all())
    reason = forms.CharField(label="中止执行的理由", max_length=200)


class ResumeExecutionForm(OnForm):
    note = forms.CharField(label="恢复执行的依据", max_length=200)


class ProgressForm(ActionForm):
    progress = forms.CharField(label="执行情况", widget=TEXT)


class EvaluateForm(OnForm):
    evaluation = forms.CharField(label="后评估报告", widget=TEXT)


class AdoptionForm(ActionForm):
    adoption = forms.ChoiceField(label="采纳情况", choices=[c for c in Adoption.choices if c[0]])
    reply = forms.CharField(label="采纳或不采纳的理由", widget=TEXT)


class PortalCommentForm(forms.Form):
    name = forms.CharField(label="姓名(可不填)", max_length=50, required=False)
    contact = forms.CharField(label="联系方式(可不填)", max_length=50, required=False)
    content = forms.CharField(
        label="意见和建议", max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
