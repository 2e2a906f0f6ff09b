"""Forms of the workflow pages. A form only parses input; the services decide and record."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi.core.models import Staff
from fazhi.legal.choices import (
    AppealDecision,
    JudgmentResult,
    LitigationEndReason,
    LitigationSuspensionReason,
    ReconsiderationDecision,
    ReviewerKind,
    ReviewOutcome,
    SuspensionReason,
    TerminationReason,
)
from fazhi.legal.models import Advisor, ReviewRequest

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(forms.Form):
    """A workflow step on one record: dropdowns hold only that record's township's rows."""

    def __init__(self, *args: Any, obj: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.obj = obj
        self.user = user
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = field.queryset.visible_to(user, "view").filter(
                    township_id=obj.township_id
                )

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class OnForm(ActionForm):
    on = forms.DateField(label="日期", widget=DATE)


class SubmitForm(OnForm):
    reviewer_kind = forms.ChoiceField(
        label="审查主体", choices=ReviewerKind.choices, initial=ReviewerKind.JOINT
    )
    reviewer = forms.ModelChoiceField(
        label="审查人(司法所)", queryset=Staff.objects.all(), required=False
    )
    advisor = forms.ModelChoiceField(
        label="法律顾问", queryset=Advisor.objects.all(), required=False
    )
    materials = forms.CharField(
        label="送审材料", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    field_order = ["on", "reviewer_kind", "reviewer", "advisor", "materials"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "送审日期"


class ConcludeForm(OnForm):
    outcome = forms.ChoiceField(label="审查结论", choices=ReviewOutcome.choices)
    opinion = forms.CharField(label="审查意见", widget=forms.Textarea(attrs={"rows": 5}))
    advisor_opinion = forms.CharField(
        label="法律顾问意见", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    field_order = ["outcome", "opinion", "advisor_opinion", "on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "出具意见日期"


class ReasonForm(ActionForm):
    reason = forms.CharField(label="原因", max_length=200)


class UnreviewedForm(OnForm):
    reason = forms.CharField(
        label="未经审查的原因", max_length=200, help_text="如实记录；该项将在审查覆盖情况中列出"
    )


class IssueForm(OnForm):
    doc_no = forms.CharField(label="文号", max_length=60, required=False)


class FileForm(OnForm):
    filed_with = forms.CharField(label="备案机关", max_length=100, initial="县(市、区)人民政府")


class CaseAnswerForm(OnForm):
    review = forms.ModelChoiceField(
        label="合法性审查(法律顾问先期研究)", queryset=ReviewRequest.objects.all(), required=False
    )


class ReconDecideForm(OnForm):
    decision = forms.ChoiceField(label="复议决定", choices=ReconsiderationDecision.choices)


class JudgeForm(OnForm):
    result = forms.ChoiceField(
        label="裁判结果",
        choices=[c for c in JudgmentResult.choices if c[0] != JudgmentResult.ENDED],
    )


class PerformForm(OnForm):
    note = forms.CharField(label="履行情况及证据", widget=forms.Textarea(attrs={"rows": 3}))


class SuspendForm(OnForm):
    reason = forms.ChoiceField(label="中止情形", choices=SuspensionReason.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "中止日期"


class ResumeForm(OnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "恢复审理日期"


class TerminateForm(OnForm):
    reason = forms.ChoiceField(label="终止情形", choices=TerminationReason.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "终止日期"


class LitSuspendForm(OnForm):
    reason = forms.ChoiceField(label="中止情形", choices=LitigationSuspensionReason.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "中止日期"


class LitResumeForm(OnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "恢复诉讼日期"


class LitEndForm(OnForm):
    reason = forms.ChoiceField(label="终结情形", choices=LitigationEndReason.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "终结日期"


class AppealForm(OnForm):
    decision = forms.ChoiceField(label="上诉情况", choices=AppealDecision.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "登记日期"
