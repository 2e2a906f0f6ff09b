"""Forms of the inspections module beyond the generic ones."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi.core.forms import ScopedModelForm
from fazhi.inspections.models import Inspection

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
