"""Record types declared once, served everywhere.

A module declares a `Resource` for each model (fields, list columns, filters, Excel columns)
and gets list/detail/add/edit/delete/history pages, Excel import/export, a REST endpoint with
the same filters, and a place in the navigation — all behind the scope gate. The idea is
NetBox's generic views; the declarations stay small.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from fazhi.core import scope
from fazhi.core.roles import ADD, VIEW

_REGISTRY: dict[tuple[str, str], Resource] = {}
#: bumped by every registration: a menu cached before it is stale
_GENERATION = [0]


@dataclass
class Resource:
    model: type[models.Model]
    slug: str
    #: editable fields, in form order ("township" is added when the user may write in several)
    fields: list[str]
    list_columns: list[str]
    filter_fields: list[str] = field(default_factory=list)
    search_fields: list[str] = field(default_factory=list)
    #: Excel columns; defaults to `fields` (with "township")
    io_fields: list[str] | None = None
    #: natural key used by the importer to match an existing row (besides the 编号 column)
    natural_key: list[str] = field(default_factory=list)
    group: str = ""
    nav: bool = True
    #: place in its menu group (lower first): the case ledger ~10, records of the work ~20-40,
    #: statistics/imports ~40-50, reference data ~60-80, settings ~90
    nav_order: int = 50
    #: label of a 新建 entry in the menu (e.g. "登记纠纷"), shown first in the group to users
    #: who may add
    nav_new: str = ""
    ordering: list[str] | None = None
    select_related: list[str] = field(default_factory=list)
    #: what the API serializer reads per row beyond the row (strings or Prefetch objects), so
    #: that a list's queries do not grow with its rows
    prefetch_related: list[Any] = field(default_factory=list)
    form_class: type[forms.ModelForm] | None = None
    #: the form's sections: [("当事人", ["name", …]), …] (a form_class may declare its own)
    fieldsets: list[tuple[str, list[str]]] | None = None
    filterset_class: type[django_filters.FilterSet] | None = None
    serializer_class: Any = None
    detail_template: str | None = None
    #: extra read-only properties shown on the detail page: (label, callable(obj))
    detail_extra: list[tuple[str, Callable[[Any], Any]]] = field(default_factory=list)
    #: child resources listed on the detail page: (Resource slug, FK name on the child)
    children: list[tuple[str, str]] = field(default_factory=list)
    #: custom services instead of the generic ones: callables (model, data, *, actor) etc.
    create: Callable[..., Any] | None = None
    update: Callable[..., Any] | None = None
    delete: Callable[..., Any] | None = None

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def label_singular(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def key(self) -> str:
        return f"{self.app_label}:{self.slug}"

    def url(self, view: str, obj: Any = None) -> str:
        name = f"{self.app_label}:{self.slug}_{view}"
        return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)

    def queryset(self, user: Any, action: str = VIEW) -> models.QuerySet:
        qs = self.model._default_manager.visible_to(user, action)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.ordering:
            qs = qs.order_by(*self.ordering)
        return qs

    def get_io_fields(self) -> list[str]:
        return list(self.io_fields) if self.io_fields is not None else ["township", *self.fields]

    def get_filterset_class(self) -> type[django_filters.FilterSet]:
        if self.filterset_class is None:
            self.filterset_class = build_filterset(self)
        return self.filterset_class


def register(resource: Resource) -> Resource:
    key = (resource.app_label, resource.slug)
    _REGISTRY[key] = resource
    _GENERATION[0] += 1
    resource.model.resource = resource  # type: ignore[attr-defined]
    return resource


def get(app_label: str, slug: str) -> Resource:
    return _REGISTRY[(app_label, slug)]


def for_model(model: type[models.Model]) -> Resource | None:
    for resource in _REGISTRY.values():
        if resource.model is model:
            return resource
    return None


def all_resources(app_label: str | None = None) -> list[Resource]:
    return [r for (app, _), r in _REGISTRY.items() if app_label is None or app == app_label]


@dataclass(frozen=True)
class NavLink:
    group: str
    label: str
    url_name: str
    action: str = VIEW
    model: Any = None
    order: int = 100
    #: a 新建 entry (shown first, marked)
    new: bool = False
    #: an extra condition on the user (e.g. "may publish notices"), besides `action`
    when: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class MenuGroup:
    """A top-level menu. `order` places it (工作台 0, modules 10–60, 当事人索引 70, 组织与人员 80,
    年度报告 85, 系统管理 99); `action` hides the whole group from users who do not hold it
    anywhere (系统管理 needs MANAGE: a township clerk does not see it)."""

    label: str
    order: int = 50
    action: str | None = None


_LINKS: list[NavLink] = []
_GROUPS: dict[str, MenuGroup] = {}


def register_group(group: MenuGroup) -> MenuGroup:
    _GROUPS[group.label] = group
    _GENERATION[0] += 1
    return group


def register_link(link: NavLink) -> NavLink:
    """Add a non-resource page (my deadlines, users, calendar …) to the menu, shown to users who
    hold `action` (on `model`, when given) somewhere."""
    if link not in _LINKS:
        _LINKS.append(link)
        _GENERATION[0] += 1
    return link


#: menus already built, by everything they depend on (see `_navigation_key`); per process,
#: bounded, and each entry is only reused for NAV_CACHE_SECONDS
_NAV_CACHE: dict[tuple[Any, ...], tuple[float, list[dict[str, Any]], str]] = {}
NAV_CACHE_SIZE = 4096
NAV_CACHE_SECONDS = 300.0


def _navigation_key(user: Any) -> tuple[Any, ...]:
    """What a user's menu depends on: the user, every membership (role and unit: a changed
    role or a new township is a new key, no invalidation to forget), the extra conditions of
    the links (evaluated now), and the registrations (process-wide)."""
    when = tuple(bool(link.when(user)) for link in _LINKS if link.when is not None)
    return (
        user.pk,
        user.is_active,
        scope.memberships(user),
        when,
        _GENERATION[0],
        get_script_prefix(),  # the URLs in it
    )


def navigation_for(user: Any) -> list[dict[str, Any]]:
    """Menu groups with the pages the user may open (no existence leaks by menu), in task order:
    the groups by their declared order, in each group the 新建 entries first, then by order.

    Built once per user and scope (`_navigation_key`: the user and its memberships) and kept
    for NAV_CACHE_SECONDS in this process; each call gets its own copy."""
    return _copy(_cached_navigation(user)[0])


def navigation_with_html(user: Any) -> tuple[list[dict[str, Any]], str]:
    """`navigation_for(user)` and the menu's HTML (base.html), both cached together."""
    groups, html = _cached_navigation(user)
    return _copy(groups), html


def _copy(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**group, "items": [dict(item) for item in group["items"]]} for group in groups]


def _cached_navigation(user: Any) -> tuple[list[dict[str, Any]], str]:
    key = _navigation_key(user)
    now = time.monotonic()
    hit = _NAV_CACHE.get(key)
    if hit is None or now - hit[0] > NAV_CACHE_SECONDS:
        if len(_NAV_CACHE) >= NAV_CACHE_SIZE:
            _NAV_CACHE.clear()
        groups = _build_navigation(user)
        hit = _NAV_CACHE[key] = (now, groups, navigation_html(groups))
    return hit[1], hit[2]


def navigation_html(groups: list[dict[str, Any]]) -> str:
    """The menu as base.html's loop over `nav_groups` wrote it."""
    new = ' class="nav-new"'
    out = []
    for group in groups:
        items = "".join(
            '<li{}><a href="{}">{}</a></li>'.format(
                new if item["new"] else "",
                conditional_escape(item["url"]),
                conditional_escape(item["label"]),
            )
            for item in group["items"]
        )
        label = conditional_escape(group["label"])
        out.append(
            f'\n    <details class="navgroup"><summary>{label}</summary>'
            f"\n      <ul>{items}</ul>\n    </details>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 (every label and URL escaped above)


def forget_navigation() -> None:
    """Drop every cached menu of this process (tests; the key already covers role changes)."""
    _NAV_CACHE.clear()


def _build_navigation(user: Any) -> list[dict[str, Any]]:
    entries: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
    seen: list[str] = []

    def add(group: str, order: int, item: dict[str, Any]) -> None:
        if group not in entries:
            entries[group] = []
            seen.append(group)
        entries[group].append((0 if item["new"] else 1, order, item))

    for link in _LINKS:
        if scope.has_any(user, link.action, link.model) and (link.when is None or link.when(user)):
            add(link.group, link.order, _item(link.label, reverse(link.url_name), link.new))
    for resource in _REGISTRY.values():
        if not resource.nav or not scope.has_any(user, VIEW, resource.model):
            continue
        group = resource.group or str(resource.model._meta.app_config.verbose_name)
        add(group, resource.nav_order, _item(resource.label, resource.url("list")))
        if resource.nav_new and scope.has_any(user, ADD, resource.model):
            add(group, resource.nav_order, _item(resource.nav_new, resource.url("add"), True))
    groups = []
    for label in seen:
        declared = _GROUPS.get(label, MenuGroup(label))
        if declared.action is not None and not scope.has_any(user, declared.action):
            continue
        items = [item for _, _, item in sorted(entries[label], key=lambda e: (e[0], e[1]))]
        groups.append((declared.order, seen.index(label), {"label": label, "items": items}))
    return [group for _, _, group in sorted(groups, key=lambda g: (g[0], g[1]))]


def _item(label: str, url: str, new: bool = False) -> dict[str, Any]:
    return {"label": label, "url": url, "new": new}


# --- filtersets -----------------------------------------------------------------------------
class _CachedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The field's choices from `core.dropdowns` when it has a key (the rows as the scoped
    queryset gave them when they were last built), else from the queryset."""

    def _rows(self) -> list[tuple[Any, str]] | None:
        make_key = getattr(self.field, "choices_key", None)
        key = make_key() if make_key is not None else None
        if key is None:
            return None
        from fazhi.core import dropdowns

        def build() -> Any:
            for obj in self.queryset:
                yield self.field.prepare_value(obj), self.field.label_from_instance(obj)

        return dropdowns.cached_choices(key, build)

    def __iter__(self) -> Any:
        rows = self._rows()
        if rows is None:
            yield from super().__iter__()
            return
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        for value, label in rows:
            yield forms.models.ModelChoiceIteratorValue(value, None), label

    def __len__(self) -> int:
        rows = self._rows()
        if rows is None:
            return super().__len__()
        field = self.field
        return len(rows) + (field.empty_label is not None) + (field.null_label is not None)

    def __bool__(self) -> bool:
        rows = self._rows()
        if rows is None:
            return super().__bool__()
        return self.field.empty_label is not None or bool(rows)


class _CachedModelChoiceField(django_filters.fields.ModelChoiceField):
    """A filter's model choice field whose shown choices may come from `core.dropdowns`;
    a submitted value is still looked up in its (scoped) queryset."""

    iterator = _CachedChoiceIterator

    def __init__(
        self,
        *args: Any,
        choices_key: Callable[[], tuple[Any, ...] | None] | None = None,
        **kwargs: Any,
    ):
        #: gives the cache key when the choices are shown (not when a value is only validated:
        #: an API filter or an htmx refresh of the rows reads no version)
        self.choices_key = choices_key
        super().__init__(*args, **kwargs)


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A FK filter whose choices are the rows visible to the requesting user (shown from
    `core.dropdowns`' cache for the models it keeps)."""

    field_class = _CachedModelChoiceField

    def get_queryset(self, request: Any) -> models.QuerySet:
        model = self.queryset.model if self.queryset is not None else self.field_model
        manager = model._default_manager
        user = getattr(request, "user", None)
        if hasattr(manager, "visible_to"):
            from fazhi.core import dropdowns

            self.extra["choices_key"] = (
                partial(dropdowns.key_for, request, model) if request is not None else None
            )
            return with_display_relations(manager.visible_to(user, VIEW))
        self.extra["choices_key"] = None
        return manager.all()


def with_display_relations(queryset: models.QuerySet) -> models.QuerySet:
    """Join what the rows' names need (the model's resource declares it), so that a dropdown of
    grids does not query each grid's village."""
    resource = for_model(queryset.model)
    if resource is not None and resource.select_related:
        return queryset.select_related(*resource.select_related)
    return queryset


def build_filterset(resource: Resource) -> type[django_filters.FilterSet]:
    model = resource.model
    attrs: dict[str, Any] = {}
    for name in resource.filter_fields:
        model_field = model._meta.get_field(name)
        if model_field.is_relation:
            related = model_field.related_model
            attrs[name] = ScopedModelChoiceFilter(
                queryset=related._default_manager.all(), label=model_field.verbose_name
            )
            attrs[name].field_model = related
        elif isinstance(model_field, models.DateField):
            attrs[f"{name}__gte"] = django_filters.DateFilter(
                field_name=name,
                lookup_expr="gte",
                label=f"{model_field.verbose_name}起",
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            attrs[f"{name}__lte"] = django_filters.DateFilter(
                field_name=name,
                lookup_expr="lte",
                label=f"{model_field.verbose_name}止",
                widget=forms.DateInput(attrs={"type": "date"}),
            )
    if resource.search_fields:
        search_fields = list(resource.search_fields)

        def search(queryset: models.QuerySet, name: str, value: str) -> models.QuerySet:
            query = models.Q()
            for field_name in search_fields:
                query |= models.Q(**{f"{field_name}__icontains": value})
            return queryset.filter(query)

        attrs["q"] = django_filters.CharFilter(method=search, label="关键词")
    plain = [
        n
        for n in resource.filter_fields
        if not model._meta.get_field(n).is_relation
        and not isinstance(model._meta.get_field(n), models.DateField)
    ]
    meta = type("Meta", (), {"model": model, "fields": plain})
    attrs["Meta"] = meta
    return type(f"{model.__name__}FilterSet", (django_filters.FilterSet,), attrs)


def can_add(user: Any, resource: Resource) -> bool:
    return scope.has_any(user, ADD, resource.model)
