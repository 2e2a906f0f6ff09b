"""How an evidence entry reads on the page: its kind and its content in a clerk's words.

An entry stores what the module wrote (`kind` like ``petitions.opinion_issued`` and `content` keyed
by field names with raw values such as ``handling`` or ``None``); what is hashed is never changed.
This module only translates for display. A module names its kinds once:

    from fazhi.core import evidence_display
    evidence_display.register_kind("petitions.opinion_issued", "出具处理意见书", PetitionOpinion)

The model gives the labels of the content's keys (verbose names) and of choice values. Kinds a
module did not register still read in Chinese where possible: the keys are looked up among the
fields of the app the kind is prefixed with, and an unknown kind reads as 业务记录.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models

_KINDS: dict[str, tuple[str, type[models.Model] | None]] = {}
_HAN = re.compile(r"[\u4e00-\u9fff]")


def register_kind(kind: str, label: str, model: type[models.Model] | None = None) -> None:
    _KINDS[kind] = (label, model)


def kind_label(kind: str) -> str:
    if kind in _KINDS:
        return _KINDS[kind][0]
    if _HAN.search(kind):  # already written in Chinese by the module
        return kind
    return "业务记录"


@cache
def _app_fields(app_label: str) -> dict[str, models.Field]:
    found: dict[str, models.Field] = {}
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return found
    for model in config.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.Field) and _HAN.search(str(f.verbose_name)):
                found.setdefault(f.name, f)
    return found


def _field_for(kind: str, key: str) -> models.Field | None:
    model = _KINDS.get(kind, ("", None))[1]
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except Exception:  # noqa: S110  (not a field of the model: fall back to the app's)
            field = None
        if isinstance(field, models.Field):
            return field
    return _app_fields(kind.partition(".")[0]).get(key)


def _value(field: models.Field | None, value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def content_rows(kind: str, content: Any) -> list[tuple[str, str]]:
    """(label, value) pairs of an entry's content, as a clerk reads them."""
    if not isinstance(content, dict):
        return [("内容", _value(None, content))]
    rows = []
    for key, value in content.items():
        field = _field_for(kind, key)
        if field is not None:
            label = str(field.verbose_name)
        elif _HAN.search(str(key)):
            label = str(key)
        else:
            label = "其他"
        rows.append((label, _value(field, value)))
    return rows
