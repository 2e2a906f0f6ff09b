"""Forms of the inspections module beyond the generic ones."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi.core.forms import ScopedModelForm
from fazhi.inspections.models import Inspection, RandomPlan

INSPECTION_FIELDS = [
    "township",
    "kind",
    "enterprise",
    "body",
    "joint_bodies",
    "check_items",
    "officers",
    "campaign",
    "planned_on",
    "place",
]


#: fixed once the inspection is registered (its code and approval refer to them)
FIXED_AFTER_PLANNING = frozenset(
    {"kind", "enterprise", "body", "joint_bodies", "check_items", "officers", "planned_on"}
)


class InspectionForm(ScopedModelForm):
    confirm_over_cap = forms.BooleanField(
        label="确认超频次检查",
        required=False,
        help_text="超过同一主体对同一企业的年度检查上限时，须确认后才能登记（记为超频次预警）。",
    )

    class Meta:
        model = Inspection
        fields = INSPECTION_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # what was approved and coded cannot change; only the place and campaign can
            for name in FIXED_AFTER_PLANNING | {"confirm_over_cap"}:
                self.fields.pop(name, None)

    def changed_data_dict(self) -> dict[str, Any]:
        data = super().changed_data_dict()
        if self.instance.pk is None:
            data["confirm_over_cap"] = self.cleaned_data.get("confirm_over_cap", False)
        return data


class PlanForm(ScopedModelForm):
    """A 双随机 plan; a new plan starts from the ratios and inspectors per entity in force for
    the township (rules `inspections.ratio_*`, `inspections.inspectors_per_entity`)."""

    class Meta:
        model = RandomPlan
        fields = [
            "township",
            "name",
            "body",
            "check_items",
            "ratio_a",
            "ratio_b",
            "ratio_c",
            "ratio_d",
            "inspectors_per_entity",
            "start",
            "end",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from fazhi.core.models import Township
        from fazhi.inspections import rules

        super().__init__(*args, **kwargs)
        township_field = self.fields.get("township")
        if self.instance.pk is not None or township_field is None or not township_field.initial:
            return
        township = Township.objects.select_related("county").get(pk=township_field.initial)
        for name, value in rules.plan_defaults(township).items():
            if name in self.fields and name not in self.initial:
                self.fields[name].initial = value
                self.fields[name].help_text = "默认值见期限规则（可按省、县调整）"


class ApproveForm(forms.Form):
    approver = forms.CharField(label="审批负责人", max_length=30)
    approved_on = forms.DateField(label="审批日期", widget=forms.DateInput(attrs={"type": "date"}))
    emergency = forms.BooleanField(label="紧急情况事后补批", required=False)
    emergency_reason = forms.CharField(label="紧急情况说明", max_length=200, required=False)


class RecordForm(forms.Form):
    inspected_on = forms.DateField(label="检查日期", widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 3}))


class RectifyForm(forms.Form):
    rectified_on = forms.DateField(
        label="整改完成日期", widget=forms.DateInput(attrs={"type": "date"})
    )
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    verified_on = forms.DateField(label="复查日期", widget=forms.DateInput(attrs={"type": "date"}))
    verified_by = forms.CharField(label="复查人", max_length=60)
    passed = forms.BooleanField(label="复查合格", required=False, initial=True)


class CodeForm(forms.Form):
    code = forms.CharField(label="检查码", max_length=20)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="评价", choices=[(i, f"{i}星") for i in range(5, 0, -1)], coerce=int
    )
    comment = forms.CharField(label="评价意见", max_length=200, required=False)


class PeriodForm(forms.Form):
    """Township and period of the statistics table (the current year by default)."""

    township = forms.ModelChoiceField(label="乡镇", queryset=None)
    start = forms.DateField(label="起", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="止", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, townships: Any, **kwargs: Any) -> None:
        import datetime as dt

        from django.utils import timezone

        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        year = timezone.localdate().year
        self.fields["start"].initial = dt.date(year, 1, 1)
        self.fields["end"].initial = dt.date(year, 12, 31)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "结束日期早于开始日期。")
        if start and end and (end - start).days > 366 * 5:
            self.add_error("end", "统计期间不能超过5年。")
        return cleaned
