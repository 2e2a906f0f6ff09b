"""Forms of the disputes pages. They validate input only; services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from fazhi.core.forms import ScopedModelForm
from fazhi.core.models import Grid, GridAssignment, Membership, Village
from fazhi.core.roles import ADD, VIEW
from fazhi.disputes import choices as c
from fazhi.disputes.models import Dispute, DisputeParty, MediationCommittee
from fazhi.disputes.services import PartyInput

PARTY_SLOTS = (
    ("applicant", "申请人", c.PartyRole.APPLICANT),
    ("respondent", "被申请人", c.PartyRole.RESPONDENT),
)


PARTY_PARTS = ("name", "phone", "id_number")


def _party_fields(prefix: str, label: str, *, required: bool = False) -> dict[str, forms.Field]:
    return {
        f"{prefix}_name": forms.CharField(
            label=f"{label}姓名(名称)", max_length=100, required=required
        ),
        f"{prefix}_phone": forms.CharField(label=f"{label}电话", max_length=30, required=False),
        f"{prefix}_id_number": forms.CharField(
            label=f"{label}证件号码",
            max_length=30,
            required=False,
            help_text="可不填；填写后按证件号码识别同一当事人",
        ),
    }


def parties_from(
    cleaned: dict[str, Any], slots=PARTY_SLOTS, extra_prefix: str = ""
) -> list[PartyInput]:
    items = []
    for prefix, _label, role in slots:
        name = (cleaned.get(f"{prefix}_name") or "").strip()
        if name:
            items.append(
                PartyInput(
                    name=name,
                    role=role,
                    phone=cleaned.get(f"{prefix}_phone") or "",
                    id_number=cleaned.get(f"{prefix}_id_number") or "",
                )
            )
    return items


class DisputeForm(ScopedModelForm):
    """The dispute form: on the add page it also takes the two main parties (more can be
    added on the dispute's page); they go through the party index."""

    class Meta:
        model = Dispute
        fields = [
            "township",
            "received_on",
            "source",
            "source_ref",
            "campaign",
            "kind",
            "title",
            "description",
            "claims",
            "village",
            "grid",
            "committee",
            "mediator",
            "risk_level",
            "amount",
            "people_count",
        ]

    #: the form's sections (core/_form_fields.html renders each as a fieldset)
    fieldsets = [
        ("来源", ["township", "received_on", "source", "source_ref", "campaign"]),
        (
            "当事人",
            [f"{prefix}_{part}" for prefix, _l, _r in PARTY_SLOTS for part in PARTY_PARTS],
        ),
        (
            "纠纷情况",
            ["kind", "title", "description", "claims", "risk_level", "amount", "people_count"],
        ),
        ("地点与承办", ["village", "grid", "committee", "mediator"]),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for prefix, label, _role in PARTY_SLOTS:
                for name, field in _party_fields(prefix, label, required=False).items():
                    self.fields[name] = field
            self.fields["received_on"].initial = timezone.localdate()

    def changed_data_dict(self) -> dict[str, Any]:
        data = super().changed_data_dict()
        if self.instance.pk is None:
            data["parties"] = parties_from(self.cleaned_data)
        return data


class ChildForm(ScopedModelForm):
    """A record of a dispute: on edit, the dispute it belongs to cannot be changed."""

    locked_on_edit: tuple[str, ...] = ("dispute",)
    #: dates that default to today on a new record
    today_fields: tuple[str, ...] = ("held_on", "made_on", "visited_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in self.locked_on_edit:
                if name in self.fields:
                    self.fields[name].disabled = True
        else:
            for name in self.today_fields:
                if name in self.fields and not self.initial.get(name):
                    self.fields[name].initial = timezone.localdate()


def child_form(model_class: type, field_names: list[str]) -> type[ChildForm]:
    meta = type("Meta", (), {"model": model_class, "fields": ["township", *field_names]})
    return type(f"{model_class.__name__}Form", (ChildForm,), {"Meta": meta})


class DisputePartyForm(ChildForm):
    """Add a party to a dispute: choose an index entry, or enter the details to find/create one."""

    name = forms.CharField(label="或填写：姓名(名称)", max_length=100, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    id_number = forms.CharField(label="证件号码", max_length=30, required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)

    locked_on_edit = ("dispute", "party")

    class Meta:
        model = DisputeParty
        fields = ["township", "dispute", "party", "role", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].required = False
        self.fields["party"].queryset = self.fields["party"].queryset.filter(
            merged_into__isnull=True
        )
        if self.instance.pk is not None:
            for name in ("name", "phone", "id_number", "address"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("party") and not cleaned.get("name"):
            self.add_error("party", "请选择当事人，或填写当事人姓名。")
        return cleaned

    def changed_data_dict(self) -> dict[str, Any]:
        data = super().changed_data_dict()
        if self.instance.pk is None:
            for name in ("name", "phone", "id_number", "address"):
                data[name] = self.cleaned_data.get(name) or ""
        return data


# --- action forms ---------------------------------------------------------------------------
def _date(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


class AcceptForm(forms.Form):
    on = _date("受理调解日期")
    mediator = forms.ModelChoiceField(label="主持调解员", queryset=None, required=False)

    def __init__(self, *args: Any, dispute: Dispute, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from fazhi.disputes.models import Mediator

        self.fields["on"].initial = timezone.localdate()
        self.fields["mediator"].queryset = Mediator.objects.visible_to(user, VIEW).filter(
            township_id=dispute.township_id, is_active=True
        )


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="办结结果", choices=[(s.value, s.label) for s in map(c.DisputeStatus, c.OUTCOMES)]
    )
    on = _date("办结日期")
    route = forms.ChoiceField(
        label="转出途径(转诉讼·仲裁·行政处理时)",
        choices=[("", "—")] + list(c.TransferRoute.choices),
        required=False,
    )
    reason = forms.ChoiceField(
        label="终止原因(终止调解时)",
        choices=[("", "—")] + list(c.TerminationReason.choices),
        required=False,
    )
    note = forms.CharField(
        label="办结情况", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=90, initial=15)
    reason = forms.CharField(label="延期理由(双方当事人同意情况)", max_length=200)


class EscalateForm(forms.Form):
    committee = forms.ModelChoiceField(label="上报至", queryset=None)
    on = _date("上报日期")
    reason = forms.CharField(label="上报理由", max_length=200)

    def __init__(self, *args: Any, dispute: Dispute, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["committee"].queryset = (
            MediationCommittee.objects.filter(township_id=dispute.township_id, is_active=True)
            .exclude(pk=dispute.committee_id)
            .order_by("-level", "name")
        )


class LinkageForm(forms.Form):
    channel = forms.ChoiceField(label="衔接方式", choices=c.LinkageChannel.choices)
    direction = forms.ChoiceField(label="方向", choices=c.LinkageDirection.choices)
    on = _date("日期")
    counterpart = forms.CharField(
        label="对接单位", max_length=80, help_text="如：县人民法院、县市场监管局"
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class ArchiveForm(forms.Form):
    on = _date("归档日期")


class UploadForm(forms.Form):
    file = forms.FileField(label="签字盖章扫描件(PDF或图片)")


class HandleWarningForm(forms.Form):
    action = forms.ChoiceField(label="处置措施", choices=c.WarningAction.choices)
    on = _date("处置日期")
    note = forms.CharField(label="处置情况", widget=forms.Textarea(attrs={"rows": 3}))


class ResolveBacklogForm(forms.Form):
    how = forms.ChoiceField(label="化解方式", choices=c.BacklogResolution.choices)
    on = _date("化解日期")
    note = forms.CharField(label="化解情况", widget=forms.Textarea(attrs={"rows": 3}))


# --- the grid worker's phone form -----------------------------------------------------------
def villages_for_reporting(user: Any) -> Any:
    """Villages where the user may register a dispute (their own village for grid workers and
    village mediators; every village of the township for township roles)."""
    from django.db.models import Q

    from fazhi.core import scope

    g = scope.grant(user, ADD, Dispute)
    if g.everything:
        return Village.objects.all()
    query = Q(township_id__in=g.townships)
    for township_id, village_ids in g.villages.items():
        query |= Q(township_id=township_id, pk__in=village_ids)
    return Village.objects.filter(query).order_by("township_id", "name")


class GridReportForm(forms.Form):
    """What a grid worker knows on the spot; everything else is filled in by the mediator."""

    village = forms.ModelChoiceField(label="村(社区)", queryset=Village.objects.none())
    grid = forms.ModelChoiceField(label="网格", queryset=Grid.objects.none(), required=False)
    kind = forms.ChoiceField(label="纠纷类型", choices=c.DisputeType.choices)
    description = forms.CharField(
        label="纠纷情况",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="简要写明起因、经过、当事人诉求",
    )
    urgent = forms.BooleanField(label="有激化风险，需尽快处置", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for prefix, label, _role in PARTY_SLOTS:
            for name, field in _party_fields(prefix, label, required=prefix == "applicant").items():
                if name.endswith("_id_number"):
                    continue  # not asked at the grid: ID numbers are taken at registration
                field.widget.attrs["inputmode"] = "tel" if name.endswith("_phone") else "text"
                self.fields[name] = field
        villages = villages_for_reporting(user)
        self.fields["village"].queryset = villages
        self.fields["grid"].queryset = Grid.objects.visible_to(user, VIEW).filter(
            village__in=villages
        )
        own_villages = list(
            Membership.objects.filter(user=user, village__isnull=False).values_list(
                "village_id", flat=True
            )
        )
        today = timezone.localdate()
        grid = (
            GridAssignment.objects.filter(staff__user=user, start__lte=today)
            .filter(end__isnull=True)
            .select_related("grid")
            .first()
            if user.is_authenticated
            else None
        )
        if grid is not None:
            self.fields["grid"].initial = grid.grid_id
            self.fields["village"].initial = grid.grid.village_id
        elif own_villages:
            self.fields["village"].initial = own_villages[0]
        if villages.count() == 1:
            self.fields["village"].initial = villages.first().pk
        order = [
            "village",
            "grid",
            "kind",
            "applicant_name",
            "applicant_phone",
            "respondent_name",
            "respondent_phone",
            "description",
            "urgent",
        ]
        self.order_fields(order)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        grid, village = cleaned.get("grid"), cleaned.get("village")
        if grid is not None and village is not None and grid.village_id != village.pk:
            self.add_error("grid", "所选网格不在该村(社区)。")
        return cleaned

    def parties(self) -> list[PartyInput]:
        return parties_from(self.cleaned_data)


class PeriodForm(forms.Form):
    """Township and period of the statistics table."""

    township = forms.ModelChoiceField(label="乡镇", queryset=None)
    start = _date("起")
    end = _date("止")

    def __init__(self, *args: Any, townships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        year = timezone.localdate().year
        self.fields["start"].initial = dt.date(year, 1, 1)
        self.fields["end"].initial = dt.date(year, 12, 31)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "结束日期早于开始日期。")
        return cleaned
