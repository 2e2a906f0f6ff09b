from __future__ import annotations

from typing import Any

from django import forms

from fazhi.core import scope


class CheckReportForm(forms.Form):
    text = forms.CharField(
        label="报告全文", widget=forms.Textarea(attrs={"rows": 12}), required=False
    )
    file = forms.FileField(label="或上传文件（.docx / .txt）", required=False)
    township = forms.ModelChoiceField(
        label="与乡镇台账比对（可选）",
        queryset=None,
        required=False,
        help_text="选择后，报告中的数字将与该乡镇的台账记录（指标库）逐项比对。",
    )
    year = forms.IntegerField(
        label="报告年度（可选）", min_value=2000, max_value=2100, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = scope.writable_townships(user, "view")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and not cleaned.get("file"):
            raise forms.ValidationError("请粘贴报告全文或上传报告文件。")
        return cleaned


class HandwrittenReportForm(forms.Form):
    """Upload a report the township wrote outside the platform."""

    township = forms.ModelChoiceField(label="乡镇", queryset=None)
    year = forms.IntegerField(label="报告年度", min_value=2000, max_value=2100)
    file = forms.FileField(label="报告文件（.docx / .pdf / .txt，不超过 10 MB）")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from fazhi.reports.models import HandwrittenReport

        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = scope.writable_townships(
            user, "add", HandwrittenReport
        ).order_by("name")
