"""The declaration form: the metric is picked from the registry, never typed."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi.core.forms import ScopedModelForm
from fazhi.indicators import registry
from fazhi.indicators.models import FigureDeclaration


def metric_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    from fazhi.indicators.views import group_label

    groups: dict[str, list[tuple[str, str]]] = {}
    for m in registry.metrics():
        groups.setdefault(group_label(m.group), []).append((m.code, f"{m.label}（{m.unit}）"))
    return [("", "请选择指标"), *groups.items()]  # type: ignore[list-item]


class FigureDeclarationForm(ScopedModelForm):
    class Meta:
        model = FigureDeclaration
        fields = ["township", "metric_code", "year", "kind", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric_code"] = forms.ChoiceField(
            label="指标", choices=metric_choices(), initial=self.initial.get("metric_code")
        )
        if self.instance.pk:
            self.fields["metric_code"].initial = self.instance.metric_code
