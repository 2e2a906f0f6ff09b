"""Forms of the outreach module: the 普法 event with its target groups as checkboxes."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi.core.forms import ScopedModelForm
from fazhi.outreach import choices as c
from fazhi.outreach.models import Event, split_groups

EVENT_FIELDS = [
    "held_on",
    "title",
    "key_day",
    "channel",
    "venue",
    "village",
    "organiser",
    "responsibility",
    "laws",
    "target_groups",
    "audience",
    "materials",
    "leaflets",
    "banners",
    "bulletin_boards",
    "displays",
    "consultations",
    "summary",
]

#: the short form a clerk fills in on a phone at the market stall
QUICK_FIELDS = [
    "held_on",
    "title",
    "key_day",
    "channel",
    "venue",
    "target_groups",
    "audience",
    "materials",
    "leaflets",
    "banners",
    "bulletin_boards",
    "consultations",
    "summary",
]


class EventForm(ScopedModelForm):
    target_groups = forms.MultipleChoiceField(
        label="对象群体",
        required=False,
        choices=[(g, g) for g in c.TARGET_GROUPS],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = ["township", *EVENT_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["target_groups"] = split_groups(self.instance.target_groups)

    def clean_target_groups(self) -> str:
        return c.GROUP_SEPARATOR.join(self.cleaned_data.get("target_groups") or [])


class QuickEventForm(EventForm):
    class Meta:
        model = Event
        fields = ["township", *QUICK_FIELDS]


def _today() -> Any:
    from fazhi.core.deadlines import today_local

    return today_local()


class AidForwardForm(forms.Form):
    forwarded_on = forms.DateField(
        label="转交日期", initial=_today, widget=forms.DateInput(attrs={"type": "date"})
    )
    forwarded_to = forms.CharField(label="转交机构", max_length=60, initial="县法律援助中心")


class AidDecideForm(forms.Form):
    granted = forms.TypedChoiceField(
        label="决定",
        choices=[("1", "给予法律援助"), ("0", "不予法律援助")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(
        label="决定日期", initial=_today, widget=forms.DateInput(attrs={"type": "date"})
    )
    undertaker = forms.CharField(label="承办人员", max_length=40, required=False)
    decision_note = forms.CharField(label="决定情况(理由)", max_length=200, required=False)


class AidWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label="撤回日期", initial=_today, widget=forms.DateInput(attrs={"type": "date"})
    )
