"""The one scope gate. Lists, details, forms, dropdowns, API, exports, counts and history
panels all ask it which townships (and, for village-level roles, which villages) a user may
act on. Outside the view scope a record does not exist for the user (404); inside it but
without the action the answer is 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q
from django.http import Http404

from fazhi.core.choices import Role
from fazhi.core.roles import ADD, CHANGE, DEPARTMENT_KIND_ACTIONS, ROLE_ACTIONS, VIEW, WRITE_ACTIONS

_CACHE_ATTR = "_fazhi_memberships"
#: grants already computed for this user object, by (action, model): a page asks the gate the
#: same question many times (the menu alone asks once per resource)
_GRANTS_ATTR = "_fazhi_grants"
#: the kind of each membership's department ("" without one), aligned with _memberships(user)
_KINDS_ATTR = "_fazhi_membership_kinds"


@dataclass(frozen=True)
class Grant:
    everything: bool = False
    townships: frozenset[int] = frozenset()
    villages: dict[int, frozenset[int]] = field(default_factory=dict)  # township → villages

    @property
    def empty(self) -> bool:
        return not (self.everything or self.townships or self.villages)


def _memberships(user: Any) -> list[tuple[str, int | None, int | None, int | None]]:
    """(role, county_id, township_id, village_id) for the user, cached on the user object."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from fazhi.core.models import Membership

    return remember(
        user,
        Membership.objects.filter(user=user).values_list(
            "role", "county_id", "township_id", "village_id", "department__kind"
        ),
    )


def remember(
    user: Any, rows: Iterable[tuple[str, int | None, int | None, int | None, str | None]]
) -> list[tuple[str, int | None, int | None, int | None]]:
    """Cache on the user object its memberships as (role, county_id, township_id, village_id,
    department kind) rows — every membership of the user, read by the caller (the token
    authentication reads them with the token, in one query) — and the townships of each
    county among them. What `_memberships` reads itself when nothing is cached."""
    from fazhi.core.models import Township

    memberships_: list[tuple[str, int | None, int | None, int | None]] = []
    kinds: list[str] = []
    county_townships: dict[int, list[int]] = {}
    for *m, kind in rows:
        m = tuple(m)
        memberships_.append(m)
        kinds.append(kind or "")
        if m[1] is not None:
            county_townships.setdefault(m[1], [])
    if county_townships:
        for tid, cid in Township.objects.filter(county_id__in=county_townships).values_list(
            "id", "county_id"
        ):
            county_townships[cid].append(tid)
    if hasattr(user, _GRANTS_ATTR):  # computed from other memberships
        delattr(user, _GRANTS_ATTR)
    user._fazhi_county_townships = county_townships
    setattr(user, _KINDS_ATTR, kinds)
    setattr(user, _CACHE_ATTR, memberships_)
    return memberships_


def forget(user: Any) -> None:
    """Drop the cached memberships (after they change)."""
    for attr in (_CACHE_ATTR, _KINDS_ATTR, "_fazhi_county_townships", _GRANTS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def memberships(user: Any) -> tuple[tuple[Any, ...], ...]:
    """The user's (role, county_id, township_id, village_id, department kind) rows, sorted,
    with the townships of each county membership: everything a grant is computed from (a cache
    key of what depends only on the user's scope, e.g. the menu)."""
    memberships_ = _memberships(user)
    kinds: list[str] = getattr(user, _KINDS_ATTR, [])
    rows = tuple(
        sorted(
            ((*m, kinds[i] if i < len(kinds) else "") for i, m in enumerate(memberships_)),
            key=repr,
        )
    )
    counties: dict[int, list[int]] = getattr(user, "_fazhi_county_townships", {})
    return rows + tuple(
        ("county", cid, tuple(sorted(t)), None, "") for cid, t in sorted(counties.items())
    )


def bulk_writer_may(user: Any, model: type[Model], township_ids: Iterable[int]) -> bool:
    """Whether a bulk writer (a ledger import) may check the scope gate once per township
    instead of once per row: for the system (no user), or a user who may add and change `model`
    and add records in general (the party index) in the whole of each township. Narrower users
    go through the services row by row, where the gate is asked for each record."""
    if user is None:
        return True
    wanted = set(township_ids)
    for action, target in ((ADD, model), (CHANGE, model), (ADD, None)):
        g = grant(user, action, target)
        if not g.everything and not wanted <= set(g.townships):
            return False
    return True


def grant(user: Any, action: str, model: type[Model] | None = None) -> Grant:
    if user is None or not user.is_authenticated or not user.is_active:
        return Grant()
    cache = getattr(user, _GRANTS_ATTR, None)
    if cache is None or getattr(user, _CACHE_ATTR, None) is None:
        cache = {}
        try:
            setattr(user, _GRANTS_ATTR, cache)
        except AttributeError:  # an object that takes no attributes: no memo
            pass
    key = (action, model)
    found = cache.get(key)
    if found is None:
        found = cache[key] = _grant(user, action, model)
    return found


def _grant(user: Any, action: str, model: type[Model] | None) -> Grant:
    # some records need a stronger action than their verb (memberships: MANAGE for everything)
    action = getattr(model, "scope_action_map", {}).get(action, action)
    write_roles = getattr(model, "scope_write_roles", None) if action in WRITE_ACTIONS else None
    townships: set[int] = set()
    villages: dict[int, set[int]] = {}
    rows = _memberships(user)
    county_townships: dict[int, list[int]] = getattr(user, "_fazhi_county_townships", {})
    kinds: list[str] = getattr(user, _KINDS_ATTR, [])
    needs_kind = DEPARTMENT_KIND_ACTIONS.get(action)
    for index, (role, county_id, township_id, village_id) in enumerate(rows):
        if action not in ROLE_ACTIONS.get(role, frozenset()):
            continue
        if (
            needs_kind is not None
            and role != Role.PLATFORM_ADMIN
            and county_id is None
            and (kinds[index] if index < len(kinds) else "") not in needs_kind
        ):
            continue  # e.g. supervise: only at the township's 司法所
        if write_roles is not None and role not in write_roles:
            continue
        if role == Role.PLATFORM_ADMIN:
            return Grant(everything=True)
        if county_id is not None:
            townships.update(county_townships.get(county_id, ()))
        elif village_id is not None and township_id is not None:
            villages.setdefault(township_id, set()).add(village_id)
        elif township_id is not None:
            townships.add(township_id)
    return Grant(
        townships=frozenset(townships),
        villages={t: frozenset(v) for t, v in villages.items() if t not in townships},
    )


def has_any(user: Any, action: str, model: type[Model] | None = None) -> bool:
    """Does the user hold `action` anywhere (used for 403 on list and add pages)?"""
    return not grant(user, action, model).empty


def township_ids(
    user: Any, action: str = VIEW, model: type[Model] | None = None
) -> Iterable[int] | Any:
    """Township ids the user may act on, or a queryset of all ids for a platform admin."""
    from fazhi.core.models import Township

    g = grant(user, action, model)
    if g.everything:
        return Township.objects.values("id")
    village_field = getattr(model, "scope_village_field", None)
    ids = set(g.townships)
    if g.villages and (
        village_field is None and action == VIEW or model is None and action == VIEW
    ):
        ids.update(g.villages)
    return ids


def scope_filter(user: Any, action: str, model: type[Model]) -> Q:
    """A Q object selecting the rows of `model` (which has a `township` FK) in scope."""
    g = grant(user, action, model)
    custom = getattr(model, "scope_q", None)
    if custom is not None:  # the units themselves (County, Township) and memberships
        return custom(g, action)
    if g.everything:
        return Q()
    query = Q(township_id__in=g.townships) if g.townships else Q(pk__in=[])
    village_field = getattr(model, "scope_village_field", None)
    for township_id, village_ids in g.villages.items():
        if village_field == "self":
            query |= Q(township_id=township_id, pk__in=village_ids)
        elif village_field:
            query |= Q(township_id=township_id, **{f"{village_field}__in": village_ids})
        elif action == VIEW:
            # township-wide reference data (leading group, departments) is readable
            query |= Q(township_id=township_id)
    return query


def visible(user: Any, obj: Model, action: str = VIEW) -> bool:
    model = type(obj)
    return model._default_manager.filter(scope_filter(user, action, model), pk=obj.pk).exists()


def ensure(user: Any, action: str, obj: Model) -> None:
    """404 when `obj` is outside the user's view scope, 403 when visible but not allowed.
    When the action's scope is the view scope (a township operator editing in their own
    township: the same filter), the row is asked about once."""
    model = type(obj)
    seen = scope_filter(user, VIEW, model)
    if not model._default_manager.filter(seen, pk=obj.pk).exists():
        raise Http404("记录不存在或无权访问。")
    if action != VIEW and scope_filter(user, action, model) != seen:
        if not visible(user, obj, action):
            raise PermissionDenied("您的角色无权执行此操作。")


def ensure_township(
    user: Any, action: str, township_id: int, model: type[Model] | None = None
) -> None:
    """For a new row: may the user `action` in this township (no village narrowing known)?"""
    g = grant(user, action, model)
    if getattr(model, "scope_q", None) is not None and township_id is None:
        if g.everything:
            return
        raise PermissionDenied("您的角色无权执行此操作。")
    if g.everything or township_id in g.townships:
        return
    if township_id in g.villages and getattr(model, "scope_village_field", None):
        return  # narrowed to villages: checked on the row inside the transaction
    raise PermissionDenied("您的角色无权在该乡镇执行此操作。")


def township_ids_of(g: Grant, action: str) -> set[int]:
    """Township ids a grant covers; village-level grants count for reading."""
    ids = set(g.townships)
    if action == VIEW:
        ids.update(g.villages)
    return ids


def writable_townships(user: Any, action: str, model: type[Model] | None = None):
    from fazhi.core.models import Township

    g = grant(user, action, model)
    if g.everything:
        return Township.objects.all()
    return Township.objects.filter(pk__in=set(g.townships) | set(g.villages))
