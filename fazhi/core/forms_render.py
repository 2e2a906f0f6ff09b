"""How every form renders, in one place (settings.FORM_RENDERER): choice lists never start with
"---------", a field with an error points at its message, multi-selects become searchable.

Django builds each form field's BoundField through the renderer's `bound_field_class`, so
model forms, plain forms and filter forms of every module get this without opting in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates

DASHES = "---------"
#: the blank option of a required choice: a prompt, not a value
PROMPT = "请选择"
#: the blank option of an optional choice in a form (filters say 全部: FILTERS_EMPTY_CHOICE_LABEL)
NONE_LABEL = "（不选）"


def tidy_choices(field: forms.Field) -> None:
    """Replace Django's "---------" blank option by words a clerk reads."""
    label = PROMPT if field.required else NONE_LABEL
    if isinstance(field, forms.ModelMultipleChoiceField):
        return
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DASHES:
            field.empty_label = label
        return
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if choices and choices[0][0] in ("", None) and str(choices[0][1]) == DASHES:
            field.choices = [("", label), *choices[1:]]


class FazhiBoundField(BoundField):
    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        tidy_choices(field)
        super().__init__(form, field, name)

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.form.is_bound and self.errors and self.auto_id:
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{self.auto_id}_error"
        if getattr(widget, "allow_multiple_selected", False) and isinstance(
            widget, forms.SelectMultiple
        ):
            attrs.setdefault("data-search", "multi")
        return attrs


class FazhiRenderer(DjangoTemplates):
    bound_field_class = FazhiBoundField
