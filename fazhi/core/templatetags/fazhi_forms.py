"""Form sections: a form (or its resource) declares `fieldsets = [("当事人", ["name", …]), …]`;
the templates render each as a <fieldset> with its legend. Fields not named in any section
follow in a last section (“其他”), so nothing is ever lost from a form."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

OTHER = "其他"


@register.filter
def sections(form: Any) -> list[tuple[str, list[Any]]]:
    visible = [bf for bf in form.visible_fields()]
    declared = getattr(form, "fieldsets", None)
    if not declared:
        return [("", visible)]
    by_name = {bf.name: bf for bf in visible}
    out: list[tuple[str, list[Any]]] = []
    used: set[str] = set()
    for legend, names in declared:
        fields = [by_name[n] for n in names if n in by_name and n not in used]
        used.update(bf.name for bf in fields)
        if fields:
            out.append((legend, fields))
    rest = [bf for bf in visible if bf.name not in used]
    if rest:
        out.append((OTHER, rest))
    return out


@register.filter
def error_count(form: Any) -> int:
    return sum(len(errors) for errors in form.errors.values()) if form.is_bound else 0
