"""The choices of the list pages' scoped filter dropdowns (乡镇、村、调委会、排查活动 …),
cached per user, scope and version of the rows they show.

A list page's filter form shows, for each foreign-key filter, the rows of that model the user
may see. Building them costs a query and a model instance per row at every page view, for rows
that change a few times a year. Here the (value, label) pairs are kept in this process, keyed by

- the model,
- the user's id and the scope grant the gate gives the user for that model (every township
  and village; a changed membership is a new key — nothing is shared between users, nor
  between two scopes of one user),
- the **version** of every model the labels read (a grid's label names its village).

The versions are rows of `core.DropdownVersion` (a random token per model): one query per
page reads them all, and every worker sees them. Each save or delete of a cached model
replaces its token with one UPDATE in the writer's transaction, so the new token becomes
visible with the new rows, and the next page view, in any worker, builds the choices again
(until the commit, other requests see the old rows under the old token). A missing token is
created. Tokens are random, never counted up: a restored or recreated table cannot bring back a
token a process has cached choices under. Writes that bypass `save()`/`delete()`
(`bulk_create`, `QuerySet.update`, raw SQL) on these models must call `changed(model)`; none
exists today. A save of a cached model costs one more query.

The choices are only shown: a submitted filter value is still looked up in the scoped
queryset (a value outside the scope is refused as before).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from fazhi.core import scope
from fazhi.core.roles import VIEW

#: the cached dropdown models and the models their labels (``str(row)``) read
CACHED: dict[str, tuple[str, ...]] = {
    "core.County": ("core.County",),
    "core.Township": ("core.Township",),
    "core.Village": ("core.Village",),
    "core.Grid": ("core.Grid", "core.Village"),
    "core.Department": ("core.Department",),
    "disputes.MediationCommittee": ("disputes.MediationCommittee",),
    "disputes.ScreeningCampaign": ("disputes.ScreeningCampaign",),
}
_REQUEST_ATTR = "_fazhi_dropdown_versions"

#: choices already built, by key (see `key_for`); per process, bounded
_CHOICES: dict[tuple[Any, ...], list[tuple[Any, str]]] = {}
CHOICES_SIZE = 4096


def _labels() -> list[str]:
    return sorted({label for deps in CACHED.values() for label in deps})


def versions(request: Any) -> dict[str, str]:
    """Every cached model's token (one query), read once per request."""
    found = getattr(request, _REQUEST_ATTR, None)
    if found is not None:
        return found
    from fazhi.core.models import DropdownVersion

    labels = _labels()
    found = dict(DropdownVersion.objects.filter(label__in=labels).values_list("label", "token"))
    if len(found) < len(labels):
        DropdownVersion.objects.bulk_create(
            [
                DropdownVersion(label=label, token=_token())
                for label in labels
                if label not in found
            ],
            ignore_conflicts=True,
        )
        found = dict(DropdownVersion.objects.filter(label__in=labels).values_list("label", "token"))
    try:
        setattr(request, _REQUEST_ATTR, found)
    except AttributeError:
        pass
    return found


def _token() -> str:
    return uuid.uuid4().hex


def key_for(request: Any, model: type[Model]) -> tuple[Any, ...] | None:
    """The cache key of `model`'s dropdown for the request's user, or None (not cached)."""
    label = model._meta.label
    deps = CACHED.get(label)
    user = getattr(request, "user", None)
    if deps is None or user is None or not user.is_authenticated:
        return None
    known = versions(request)
    if any(d not in known for d in deps):
        return None
    g = scope.grant(user, VIEW, model)
    return (
        label,
        user.pk,
        g.everything,
        tuple(sorted(g.townships)),
        tuple(sorted((t, tuple(sorted(v))) for t, v in g.villages.items())),
        tuple(known[d] for d in deps),
    )


def cached_choices(key: tuple[Any, ...], build: Any) -> list[tuple[Any, str]]:
    """The (value, label) pairs under `key`, built by `build()` when absent."""
    rows = _CHOICES.get(key)
    if rows is None:
        rows = list(build())
        if len(_CHOICES) >= CHOICES_SIZE:
            _CHOICES.clear()
        _CHOICES[key] = rows
    return rows


def changed(model: type[Model]) -> None:
    """A new version of `model`'s rows: every dropdown showing them (or naming them in its
    labels) is built again at its next view, in every worker. Written in the caller's
    transaction (one UPDATE)."""
    from fazhi.core.models import DropdownVersion

    label = model._meta.label
    if not DropdownVersion.objects.filter(label=label).update(token=_token()):
        # no token yet: create one, then replace it (a reader may have created it meanwhile
        # and cached the rows as they were before this write)
        DropdownVersion.objects.bulk_create(
            [DropdownVersion(label=label, token=_token())], ignore_conflicts=True
        )
        DropdownVersion.objects.filter(label=label).update(token=_token())


def forget() -> None:
    """Drop this process's cached choices (tests)."""
    _CHOICES.clear()


def _on_write(sender: type[Model], **kwargs: Any) -> None:
    changed(sender)


def connect() -> None:
    """Replace a model's version at every save and delete of its rows (apps.ready)."""
    for label in _labels():
        model = apps.get_model(label)
        post_save.connect(_on_write, sender=model, dispatch_uid=f"dropdowns-save-{label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"dropdowns-delete-{label}")
