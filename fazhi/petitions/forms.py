"""Forms of the petition pages. A form only parses input; the services decide and record."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from fazhi.core.forms import ScopedModelForm
from fazhi.core.models import Department, Staff
from fazhi.core.roles import VIEW
from fazhi.petitions.choices import (
    LegalRoute,
    NotAcceptedReason,
    Outcome,
    RatingChannel,
    Satisfaction,
    ServiceMethod,
)
from fazhi.petitions.models import Petition

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SPLIT = re.compile(r"[\s,，;；、]+")


def parse_people(text: str) -> list[dict[str, str]]:
    """One person per line: 姓名 [身份证号] [电话] (separated by spaces or commas)."""
    people = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = [p for p in _SPLIT.split(line.strip()) if p]
        if not parts:
            continue
        person = {"name": parts[0], "id_number": "", "phone": ""}
        for part in parts[1:]:
            digits = part.replace("-", "")
            if len(digits) in (15, 18) and digits[:-1].isdigit():
                person["id_number"] = part
            elif digits.lstrip("+").isdigit():
                person["phone"] = part
            else:
                raise forms.ValidationError(f"第{number}行“{part}”既不是身份证号也不是电话。")
        people.append(person)
    return people


class PetitionForm(ScopedModelForm):
    """Registration and editing. On registration the petitioner may be typed in (name, ID
    number, phone, address): the party index finds the existing entry or creates one."""

    petitioner_name = forms.CharField(label="信访人姓名(名称)", max_length=100, required=False)
    petitioner_id_number = forms.CharField(
        label="证件号码", max_length=30, required=False, help_text="仅存于当事人名录，页面脱敏显示"
    )
    petitioner_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    petitioner_address = forms.CharField(label="住址", max_length=200, required=False)
    representatives = forms.CharField(
        label="其他信访人/代表",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一人：姓名 身份证号 电话。集体访代表合计不超过5人（条例第十九条）",
    )

    class Meta:
        model = Petition
        fields = [
            "township",
            "channel",
            "received_on",
            "source",
            "forwarded_by",
            "forwarded_no",
            "petitioner",
            "is_group",
            "visitor_count",
            "village",
            "category",
            "subject",
            "content",
            "level",
            "department",
            "handler",
            "leader",
            "reception",
            "same_matter_as",
        ]

    #: the form's sections (core/_form_fields.html renders each as a fieldset)
    fieldsets = [
        (
            "来信来访",
            ["township", "channel", "received_on", "source", "forwarded_by", "forwarded_no"],
        ),
        (
            "信访人",
            [
                "petitioner",
                "petitioner_name",
                "petitioner_id_number",
                "petitioner_phone",
                "petitioner_address",
                "representatives",
                "is_group",
                "visitor_count",
            ],
        ),
        ("信访事项", ["village", "category", "subject", "content", "same_matter_as", "reception"]),
        ("办理", ["level", "department", "handler", "leader"]),
    ]

    EXTRA = (
        "petitioner_name",
        "petitioner_id_number",
        "petitioner_phone",
        "petitioner_address",
        "representatives",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["petitioner"].required = False
        self.fields["petitioner"].help_text = "已在当事人名录中的，直接选择；否则在下方填写"
        if self.instance.pk is not None:
            for name in self.EXTRA:
                del self.fields[name]
            self.fields["petitioner"].required = True
        else:
            # show the typed-in petitioner right after the dropdown
            order = list(self.fields)
            for name in reversed(self.EXTRA):
                order.remove(name)
                order.insert(order.index("petitioner") + 1, name)
            self.order_fields(order)

    def clean_representatives(self) -> list[dict[str, str]]:
        return parse_people(self.cleaned_data.get("representatives", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("petitioner"):
            if not (cleaned.get("petitioner_name") or "").strip():
                self.add_error("petitioner_name", "请选择信访人，或填写信访人姓名(名称)。")
        return cleaned

    def changed_data_dict(self) -> dict[str, Any]:
        data = super().changed_data_dict()
        if self.instance.pk is None:
            if not data.get("petitioner"):
                data.pop("petitioner", None)
                data["petitioner_input"] = {
                    "name": self.cleaned_data.get("petitioner_name", ""),
                    "id_number": self.cleaned_data.get("petitioner_id_number", ""),
                    "phone": self.cleaned_data.get("petitioner_phone", ""),
                    "address": self.cleaned_data.get("petitioner_address", ""),
                }
            data["representatives"] = self.cleaned_data.get("representatives") or []
        return data


# --- workflow actions -----------------------------------------------------------------------
class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return str(obj)


class ActionForm(forms.Form):
    """Base of the action forms: knows the petition (for township-limited dropdowns)."""

    def __init__(self, *args: Any, petition: Petition, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.petition = petition
        self.user = user
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = field.queryset.model._default_manager.visible_to(
                    user, VIEW
                ).filter(township_id=petition.township_id)
            if isinstance(field.widget, forms.Textarea) and field.widget.attrs.get("rows") in (
                None,
                "10",  # Django's default: far too tall for the action forms
            ):
                field.widget.attrs["rows"] = 3

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def _staff(label: str, required: bool = True, help_text: str = "") -> StaffChoiceField:
    return StaffChoiceField(
        queryset=Staff.objects.all(), label=label, required=required, help_text=help_text
    )


class AcceptForm(ActionForm):
    on = forms.DateField(label="受理并书面告知日期", widget=DATE)
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), label="承办单位", required=False
    )
    handler = _staff("承办人", required=False)
    leader = _staff("包案领导", required=False)
    note = forms.CharField(label="告知内容摘要", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.petition
        for name in ("department", "handler", "leader"):
            self.fields[name].initial = getattr(p, f"{name}_id")


class DeclineForm(ActionForm):
    on = forms.DateField(label="书面告知日期", widget=DATE)
    reason = forms.ChoiceField(label="不予受理理由", choices=NotAcceptedReason.choices)
    note = forms.CharField(label="具体理由（书面告知信访人）", widget=forms.Textarea)


class RepeatForm(ActionForm):
    on = forms.DateField(label="书面告知日期", widget=DATE)


class ObjectForm(ActionForm):
    on = forms.DateField(label="提出异议日期", widget=DATE)
    reason = forms.CharField(label="异议理由（不属于本机关职权范围的依据）", widget=forms.Textarea)


class ExtendForm(ActionForm):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=30)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea)
    approved_by = _staff("批准人（本机关负责人）")
    approved_on = forms.DateField(label="批准日期", widget=DATE)
    notified_on = forms.DateField(label="告知信访人延期理由的日期", widget=DATE)


class OpinionForm(ActionForm):
    on = forms.DateField(label="出具日期", widget=DATE)
    number = forms.CharField(
        label="文书编号", required=False, max_length=80, help_text="留空则自动编号"
    )
    issued_by = forms.CharField(label="出具机关", required=False, max_length=100)
    request = forms.CharField(label="信访请求", widget=forms.Textarea)
    facts = forms.CharField(label="查明的事实和理由", widget=forms.Textarea)
    outcome = forms.ChoiceField(label="处理结论", choices=Outcome.choices)
    decision = forms.CharField(label="处理意见", widget=forms.Textarea)
    legal_basis = forms.CharField(label="法律政策依据", widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.petition
        self.fields["issued_by"].initial = f"{p.township.name}人民政府"
        self.fields["request"].initial = p.content


class ServeForm(ActionForm):
    on = forms.DateField(label="送达日期", widget=DATE)
    method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)


class RequestLevelForm(ActionForm):
    on = forms.DateField(label="申请日期", widget=DATE)
    body = forms.CharField(label="受理机关", max_length=100)


class RecordLevelForm(ActionForm):
    issued_on = forms.DateField(label="出具日期", widget=DATE)
    served_on = forms.DateField(label="送达日期", widget=DATE)
    number = forms.CharField(label="文书编号", required=False, max_length=80)
    request = forms.CharField(label="信访请求", widget=forms.Textarea)
    facts = forms.CharField(label="查明的事实和理由", widget=forms.Textarea)
    outcome = forms.ChoiceField(label="结论", choices=Outcome.choices)
    decision = forms.CharField(label="意见", widget=forms.Textarea)
    legal_basis = forms.CharField(label="法律政策依据", widget=forms.Textarea)


class CloseForm(ActionForm):
    on = forms.DateField(label="归档日期", widget=DATE)
    note = forms.CharField(
        label="说明",
        required=False,
        max_length=200,
        help_text="申请期限届满前归档的，请注明信访人的书面意见",
    )


class RouteForm(ActionForm):
    on = forms.DateField(label="导入日期", widget=DATE)
    route = forms.ChoiceField(label="法定途径", choices=LegalRoute.choices)
    note = forms.CharField(label="导入说明（告知信访人的途径和机关）", widget=forms.Textarea)


class EscalateForm(ActionForm):
    on = forms.DateField(label="上交日期", widget=DATE)
    reason = forms.CharField(label="上交理由（村级化解情况）", widget=forms.Textarea)


class HandUpForm(ActionForm):
    on = forms.DateField(label="上交日期", widget=DATE)
    to_unit = forms.CharField(label="接收单位", max_length=100, initial="县信访局")
    reason = forms.CharField(label="上交理由（镇级化解情况）", widget=forms.Textarea)


class MediationForm(ActionForm):
    on = forms.DateField(label="转交日期", widget=DATE)
    to_unit = forms.CharField(label="接收的调解组织", max_length=100, required=False)
    reason = forms.CharField(label="转交理由", widget=forms.Textarea)


class RateForm(ActionForm):
    satisfaction = forms.ChoiceField(label="满意度", choices=Satisfaction.choices)
    channel = forms.ChoiceField(
        label="评价方式",
        choices=[c for c in RatingChannel.choices if c[0] != RatingChannel.PORTAL],
    )
    on = forms.DateField(label="评价日期", widget=DATE)
    comment = forms.CharField(label="评价意见", required=False, max_length=500)


class BacklogForm(ActionForm):
    owner = _staff("包案领导")
    flagged_on = forms.DateField(label="列入日期", widget=DATE)
    target_on = forms.DateField(label="化解时限", widget=DATE)
    plan = forms.CharField(label="化解方案", required=False, widget=forms.Textarea)


class ReissueForm(ActionForm):
    confirm = forms.BooleanField(label="确认重新生成查询码（原查询码作废）")

    def service_kwargs(self) -> dict[str, Any]:
        return {}


# --- backlog actions and the portal -----------------------------------------------------------
class ProgressForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="工作进展", widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    on = forms.DateField(label="化解日期", widget=DATE)
    resolution = forms.CharField(label="化解情况", widget=forms.Textarea(attrs={"rows": 3}))


class LookupForm(forms.Form):
    receipt_no = forms.CharField(
        label="登记编号",
        max_length=80,
        help_text="回执上的登记编号，如：〔2025〕寺庄镇信字第3号",
    )
    code = forms.CharField(label="查询码", max_length=20, help_text="回执上的8位查询码")


class PortalRateForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label="您对办理情况的评价",
        choices=Satisfaction.choices,
        widget=forms.RadioSelect(attrs={"class": "choices"}),
    )
    comment = forms.CharField(
        label="意见建议（可不填）",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LedgerImportForm(forms.Form):
    file = forms.FileField(label="信访台账（.xlsx）")
