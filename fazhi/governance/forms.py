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
