"""Forms of the governance module (the generic resource forms cover the rest)."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi.core.forms import ScopedModelForm
from fazhi.governance.models import Target, metric_choices


class TargetForm(ScopedModelForm):
    """A target: the metric is chosen from the registry by its Chinese name."""

    class Meta:
        model = Target
        fields = ["township", "year", "metric_code", "comparator", "value", "wording", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric_code"].choices = [("", "请选择指标"), *metric_choices()]


class TownshipYearForm(forms.Form):
    """Which township and year a governance page shows."""

    township = forms.ModelChoiceField(queryset=None, label="乡镇", empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args: Any, townships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        from fazhi.core.deadlines import today_local

        self.fields["year"].initial = today_local().year


class FollowUpTaskForm(forms.Form):
    """A follow-up task of a meeting's decision: who does it (责任人 required) and by when."""

    title = forms.CharField(label="任务", max_length=150)
    department = forms.ModelChoiceField(queryset=None, label="责任部门", empty_label="请选择")
    leader = forms.ModelChoiceField(
        queryset=None, label="分管领导", required=False, empty_label="（不指定）"
    )
    owner = forms.ModelChoiceField(queryset=None, label="责任人", empty_label="请选择")
    due = forms.DateField(label="完成时限", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from fazhi.core.models import Department, Staff

        self.meeting = meeting
        t = meeting.township_id
        self.fields["department"].queryset = Department.objects.filter(township_id=t)
        staff = Staff.objects.filter(township_id=t, is_active=True)
        self.fields["leader"].queryset = staff
        self.fields["owner"].queryset = staff
        lines = [line.strip() for line in meeting.decisions.splitlines() if line.strip()]
        if lines:
            self.fields["title"].initial = lines[0][:150]

    def clean_due(self) -> Any:
        due = self.cleaned_data["due"]
        if due < self.meeting.held_on:
            raise forms.ValidationError("完成时限不能早于会议日期。")
        return due
