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
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

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


class _Context:
    """What `render_value_in_context` reads of a template Context (the form renderer's
    templates render with autoescape on and the project's l10n/tz settings)."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT = _Context()


def _out(value: Any) -> str:
    """`{{ value }}` as a Django template renders it."""
    return render_value_in_context(value, _CONTEXT)


def _out_s(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` as a Django template renders it."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 (the filter's own formatting)
    except (ValueError, TypeError):
        text = ""
    return _out(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308 (was safe)


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html"""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(f" {_out(name)}" if value is True else f' {_out(name)}="{_out_s(value)}"')
    return "".join(out)


OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
#: the widget templates that only include input.html
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "date",
        "datetime",
        "time",
        "number",
        "email",
        "url",
        "tel",
        "search",
        "password",
        "hidden",
        "color",
    )
)


def _input(context: dict[str, Any]) -> str:
    """django/forms/widgets/input.html"""
    w = context["widget"]
    value = f' value="{_out_s(w["value"])}"' if w["value"] != None else ""  # noqa: E711
    return f'<input type="{_out(w["type"])}" name="{_out(w["name"])}"{value}{_attrs(w["attrs"])}>'


def _select(context: dict[str, Any]) -> str | None:
    """django/forms/widgets/select.html with its select_option.html (None: another option
    template, rendered by the templates)."""
    w = context["widget"]
    out = [f'<select name="{_out(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, group_choices, _ in w["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            out.append(
                f'\n  <option value="{_out_s(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_out(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FazhiRenderer(DjangoTemplates):
    """Django's template renderer; the select and input widgets (a filter form has a dozen,
    a select one template include per option) are written by the functions above, which
    produce what Django's own templates produce (core/tests/test_forms_render.py compares
    them)."""

    bound_field_class = FazhiBoundField

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if FAST_WIDGETS:
            html = None
            if template_name == "django/forms/widgets/select.html":
                html = _select(context)
            elif template_name in INPUT_TEMPLATES:
                html = _input(context)
            if html is not None:
                return html
        return super().render(template_name, context, request=request)


#: off: every widget through Django's templates (the tests compare both)
FAST_WIDGETS = True
