"""Forms built from resource declarations, with every dropdown limited by the scope gate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from fazhi.core import scope
from fazhi.core.resources import with_display_relations
from fazhi.core.roles import ADD, CHANGE, VIEW


def version_field() -> forms.IntegerField:
    """The hidden version a form posts back (the version of the record the page showed)."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        error_messages={
            "invalid": "版本号必须是整数。",
            "min_value": "版本号超出范围。",
            "max_value": "版本号超出范围。",
        },
    )


class ScopedModelForm(forms.ModelForm):
    """A ModelForm that knows its user: township choices are where the user may write, other
    dropdowns show only rows the user can see, and a hidden version detects concurrent edits."""

    version = version_field()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        editing = self.instance.pk is not None
        if editing:
            self.fields["version"].initial = self.instance.version
        model = self._meta.model
        if "township" in self.fields:
            field = self.fields["township"]
            if editing:
                field.disabled = True
                field.queryset = scope.writable_townships(user, VIEW)
            else:
                field.queryset = scope.writable_townships(user, ADD, model)
                if field.queryset.count() == 1:
                    field.initial = field.queryset.first().pk
                    field.widget = forms.HiddenInput()
        township_id = (
            self.instance.township_id if editing and hasattr(self.instance, "township_id") else None
        )
        for name, field in self.fields.items():
            if name == "township":
                continue
            if isinstance(field, forms.ModelChoiceField):
                manager = field.queryset.model._default_manager
                if hasattr(manager, "visible_to"):
                    queryset = with_display_relations(manager.visible_to(user, VIEW))
                    if township_id is not None:
                        queryset = queryset.filter(township_id=township_id)
                    field.queryset = queryset
            widget = field.widget
            if isinstance(widget, forms.DateInput) and not isinstance(widget, forms.DateTimeInput):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            elif isinstance(widget, forms.DateTimeInput):
                field.widget = forms.DateTimeInput(
                    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
                )
            elif isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is not None and cleaned.get("version") is None:
            from fazhi.core.services import VersionRequired

            if "version" not in self.errors:
                self.add_error(None, VersionRequired.MESSAGE)
        township = cleaned.get("township") or getattr(self.instance, "township", None)
        if township is not None:
            for name, value in cleaned.items():
                related_township = getattr(value, "township_id", None)
                if (
                    isinstance(value, models.Model)
                    and name != "township"
                    and related_township not in (None, township.pk)
                ):
                    self.add_error(name, "所选项不属于该乡镇。")
        return cleaned

    def _post_clean(self) -> None:
        # Model validation runs in the service (inside its transaction), not here; the
        # instance is only used to carry values.
        return

    def changed_data_dict(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data
        }
        if self.instance.pk is not None:
            data.pop("township", None)
        return data


def form_for(resource: Any) -> type[ScopedModelForm]:
    cached = resource.__dict__.get("_form_class")
    if cached is not None:
        return cached
    if resource.form_class is not None:
        form_class = resource.form_class
    else:
        fields = list(resource.fields)
        if hasattr(resource.model, "township_id") and "township" not in fields:
            fields = ["township", *fields]
        form_class = forms.modelform_factory(resource.model, form=ScopedModelForm, fields=fields)
    if resource.fieldsets and not getattr(form_class, "fieldsets", None):
        form_class = type(form_class.__name__, (form_class,), {"fieldsets": resource.fieldsets})
    resource._form_class = form_class
    return form_class


__all__ = ["ScopedModelForm", "form_for", "CHANGE"]
