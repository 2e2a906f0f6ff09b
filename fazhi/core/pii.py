"""Personal information of staff-like records (staff, mediators, …): a model lists it in
`pii_fields`; lists, details, the API and exports show it masked (138****5678) to roles without
`view_pii` on the row, and a POST to `core:pii_reveal` shows one value in full and records the
view as a `core.pii_viewed` event (who, when, which field of which record). Outside the user's
scope the record does not exist (404, whether it exists elsewhere or not); visible without the
right: 403. Parties have their own, richer version of the same (fazhi/parties/pii.py)."""

from __future__ import annotations

from typing import Any

from django.db import models

from fazhi.core import scope
from fazhi.core.roles import VIEW_PII


def fields_of(model: type[models.Model]) -> frozenset[str]:
    return getattr(model, "pii_fields", frozenset())


def mask(value: Any) -> str:
    """138****5678: the first three and last four characters (shorter: the last two)."""
    if value in (None, ""):
        return ""
    text = str(value)
    if "*" in text:
        return text  # already masked
    if len(text) >= 11:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    if len(text) <= 2:
        return "*" * len(text)
    return "*" * (len(text) - 2) + text[-2:]


class Viewer:
    """Answers "may this user see this row's PII unmasked" for many rows with one grant."""

    def __init__(self, user: Any, model: type[models.Model]) -> None:
        self.model = model
        self.fields = fields_of(model)
        self.grant = scope.grant(user, VIEW_PII, model) if self.fields else None
        self.user = user

    def can(self, obj: models.Model) -> bool:
        g = self.grant
        if g is None or g.everything:
            return True
        township_id = getattr(obj, "township_id", None)
        if township_id in g.townships:
            return True
        if township_id in g.villages:  # village-level roles: ask the gate for this row
            return scope.visible(self.user, obj, VIEW_PII)
        return False

    def value(self, obj: models.Model, name: str, value: Any) -> Any:
        if name in self.fields and not self.can(obj):
            return mask(value)
        return value
