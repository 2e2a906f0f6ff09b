"""A REST endpoint for every registered resource: same scope gate, same FilterSet, same services."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import connections, router
from django.db.models.fields import AutoFieldMixin
from django.db.models.manager import BaseManager
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from fazhi.core import pii, scope, services
from fazhi.core.api.prepared import NOTHING, CompiledGet
from fazhi.core.models.base import ScopedQuerySet
from fazhi.core.resources import Resource, all_resources
from fazhi.core.roles import ADD, CHANGE, DELETE, VIEW


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A FK accepting only rows the requesting user can see (others read as nonexistent)."""

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        request = self.context.get("request")
        manager = queryset.model._default_manager
        if request is not None and hasattr(manager, "visible_to"):
            return manager.visible_to(request.user, VIEW)
        if request is not None and queryset.model._meta.model_name == "township":
            return scope.writable_townships(request.user, VIEW)
        return queryset


class ScopedSerializer(serializers.ModelSerializer):
    serializer_related_field = ScopedRelatedField
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=services.MAX_VERSION,
        help_text=(
            "记录版本号。修改（PUT/PATCH）时必须提交读取到的版本号：缺少返回 428，"
            "与当前版本不符返回 409；新建时忽略。"
        ),
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        """The fields, built from the model once per serializer class and then copied per
        serializer (ModelSerializer introspects the model on every instance: a third of an API
        detail's time); a subclass that builds its fields itself is left alone.

        A field the API only reads returns what the column holds: DRF drops `allow_null` and
        `allow_blank` for read-only and non-editable model fields, so the OpenAPI document said
        "string" or an enum without "" where responses hold null or "" (found by schemathesis:
        办结日期 null, 满意度 "", 合并到 null)."""
        cls = type(self)
        model = getattr(getattr(self, "Meta", None), "model", None)
        if any(getattr(cls, name) is not getattr(ScopedSerializer, name) for name in _BUILDERS):
            fields = super().get_fields()
            for name, field in fields.items():
                if model is not None and field.read_only:
                    _as_stored(field, model, name)
            return fields
        built = _BUILT_FIELDS.get(cls)
        if built is None:
            built = super().get_fields()
            for name, field in built.items():
                if model is not None and field.read_only:
                    _as_stored(field, model, name)
            built = _BUILT_FIELDS[cls] = {
                name: (field, _holds_fields(field)) for name, field in built.items()
            }
        return {name: _fresh(field, deep) for name, (field, deep) in built.items()}

    #: SerializerMethodFields of a subclass whose method reads nothing through the record's
    #: foreign keys (see `reads_only_its_row`)
    relation_free_methods: tuple[str, ...] = ()

    @classmethod
    def reads_only_its_row(cls) -> bool:
        """Does a representation read nothing through the record's relations? True when every
        field reads a column of the row (a foreign key as its id: DRF's primary-key field
        reads `<name>_id`, a many-to-many as its ids) or is a method the class lists in
        `relation_free_methods`. Then a single record is read without the resource's
        `select_related` joins, which only its list pages need. Worked out once per class."""
        known = _ROW_ONLY.get(cls)
        if known is None:
            known = _ROW_ONLY[cls] = _row_only(cls)
        return known

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """Personal information (`pii_fields`) masked for users without view_pii on the row."""
        data = self._represent(instance)
        fields = pii.fields_of(type(instance))
        request = self.context.get("request")
        if fields and request is not None:
            viewers = self.context.setdefault("_pii_viewers", {})
            viewer = viewers.get(type(instance))
            if viewer is None:
                viewer = viewers[type(instance)] = pii.Viewer(request.user, type(instance))
            if not viewer.can(instance):
                for name in fields & set(data):
                    data[name] = pii.mask(data[name])
        return data

    def _represent(self, instance: Any) -> dict[str, Any]:
        """Serializer.to_representation with the readable fields listed once per serializer
        (DRF walks every field's flags again for every row of a list)."""
        readable = self.__dict__.get("_readable")
        if readable is None:
            readable = self.__dict__["_readable"] = list(self._readable_fields)
        ret: dict[str, Any] = {}
        for field in readable:
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[field.field_name] = None if check is None else field.to_representation(attribute)
        return ret

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        township = attrs.get("township") or getattr(self.instance, "township", None)
        for name, value in attrs.items():
            related = getattr(value, "township_id", None)
            if name != "township" and township is not None and related not in (None, township.pk):
                raise ApiValidationError({name: "所选项不属于该乡镇。"})
        return attrs


#: ModelSerializer's methods that decide the fields: a subclass overriding one of them builds
#: its fields itself (no sharing)
_BUILDERS = (
    "get_fields",
    "get_field_names",
    "get_extra_kwargs",
    "get_uniqueness_extra_kwargs",
    "include_extra_kwargs",
    "build_field",
    "build_standard_field",
    "build_relational_field",
    "build_nested_field",
    "build_property_field",
    "build_url_field",
    "build_unknown_field",
    "get_default_field_names",
)
_BUILT_FIELDS: dict[type, dict[str, tuple[Any, bool]]] = {}
_ROW_ONLY: dict[type, bool] = {}


def _reads_only_its_row(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, ScopedSerializer) and cls.reads_only_its_row()


def _row_only(cls: type[ScopedSerializer]) -> bool:
    model = getattr(getattr(cls, "Meta", None), "model", None)
    if model is None:
        return False
    try:
        fields = cls().fields
    except Exception:  # a serializer that needs arguments: keep the joins
        return False
    for name, field in fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.SerializerMethodField):
            if name not in cls.relation_free_methods:
                return False
            continue
        source = field.source
        if not source or "." in source or source == "*":
            return False
        try:
            model_field = model._meta.get_field(source)
        except FieldDoesNotExist:
            return False  # a property or method of the model: it may read anything
        if isinstance(field, serializers.ManyRelatedField):
            if not isinstance(field.child_relation, serializers.PrimaryKeyRelatedField):
                return False
        elif model_field.is_relation:
            if not (
                model_field.concrete
                and isinstance(field, serializers.PrimaryKeyRelatedField)
                and field.use_pk_only_optimization()
            ):
                return False
        elif not model_field.concrete or isinstance(field, serializers.BaseSerializer):
            return False
    return True


def _holds_fields(field: Any) -> bool:
    """Does a built field hold other fields or serializers (a many-to-many's child relation,
    a nested serializer, a list's child)?"""
    return isinstance(field, serializers.BaseSerializer) or any(
        isinstance(v, serializers.Field | serializers.BaseSerializer)
        for v in (*field.__dict__.values(), *field._args, *field._kwargs.values())
    )


def _fresh(field: Any, deep: bool) -> Any:
    """A new, unbound copy of a built field (never bound itself): its attributes copied, lists
    and dicts among them one level deep, so that binding it (name, parent, source) or
    anything set on it later stays with this serializer. DRF's deepcopy builds the field again
    from its arguments (`__init__` for each of 26 fields was a tenth of an API detail's time)
    and deep-copies nothing more that matters: querysets and choices are shared there too.
    Fields holding other fields or serializers (`deep`, see `_holds_fields`) are deep-copied
    as DRF does: each copy needs its own child bound to it."""
    state = field.__dict__
    if deep:
        new = copy.deepcopy(field)  # built again from its arguments: keep what _as_stored set
        for name in ("allow_null", "allow_blank"):
            if name in state:
                setattr(new, name, state[name])
        return new
    new = object.__new__(field.__class__)
    new.__dict__.update({k: v.copy() if type(v) in (list, dict) else v for k, v in state.items()})
    return new


def _as_stored(field: serializers.Field, model: Any, name: str) -> None:
    source = name if field.source in (None, "", "*") else field.source
    try:
        model_field = model._meta.get_field(source)
    except FieldDoesNotExist:
        return
    if getattr(model_field, "null", False) and not isinstance(field, serializers.ManyRelatedField):
        field.allow_null = True
    if (
        getattr(model_field, "blank", False)
        and isinstance(field, serializers.CharField | serializers.ChoiceField)
        and not isinstance(field, serializers.MultipleChoiceField)
    ):
        field.allow_blank = True


def serializer_for(resource: Resource) -> type[serializers.ModelSerializer]:
    if resource.serializer_class is not None:
        return resource.serializer_class
    scoped = any(f.name == "township" for f in resource.model._meta.concrete_fields)
    fields = [
        "id",
        *(["township"] if scoped else []),
        *[f for f in resource.fields if f != "township"],
        "version",
        "created_at",
        "updated_at",
    ]
    meta = type(
        "Meta",
        (),
        {
            "model": resource.model,
            "fields": fields,
            "read_only_fields": ["created_at", "updated_at"],
        },
    )
    resource.serializer_class = type(
        f"{resource.app_label.title()}{resource.model.__name__}Serializer",  # unique across apps
        (ScopedSerializer,),
        {"Meta": meta},
    )
    return resource.serializer_class


class ScopedPermission(permissions.BasePermission):
    """403 when the user holds the action nowhere; per-object checks give 404 outside scope."""

    def has_permission(self, request: Any, view: Any) -> bool:
        action = (
            VIEW
            if request.method in permissions.SAFE_METHODS
            else {"POST": ADD, "DELETE": DELETE}.get(request.method, CHANGE)
        )
        return request.user.is_authenticated and scope.has_any(
            request.user, action, view.resource.model
        )


class ResourceViewSet(viewsets.ModelViewSet):
    resource: Resource = None  # type: ignore[assignment]
    permission_classes = [permissions.IsAuthenticated, ScopedPermission]

    def get_queryset(self) -> Any:
        qs = self.resource.queryset(self.request.user, VIEW).order_by("pk")
        action = getattr(self, "action", None)
        if (
            self.request.method == "GET"
            and action == "retrieve"
            and self.resource.select_related
            and _reads_only_its_row(self.get_serializer_class())
        ):
            # the joins serve the list pages' names; this representation reads ids only
            return qs.select_related(None)
        if self.request.method == "GET" and action == "list":
            # many-to-many fields are serialized as id lists: one query for the page, not one
            # per row; plus what the resource declares its serializer reads (a single record
            # reads them directly: the same queries without the prefetch machinery)
            m2m = [
                f.name
                for f in self.resource.model._meta.many_to_many
                if f.name in self.resource.fields
            ]
            if m2m or self.resource.prefetch_related:
                qs = qs.prefetch_related(*m2m, *self.resource.prefetch_related)
        return qs

    def filter_queryset(self, queryset: Any) -> Any:
        """Filters apply to the list only: a detail, update or delete finds its row by id in
        the scope gate's queryset, without building the FilterSet and its dropdowns."""
        if self.action != "list":
            return queryset
        if not any(name in self.request.query_params for name in self._filter_names()):
            # no filter asked for: every filter would pass the rows through unchanged
            return queryset
        return super().filter_queryset(queryset)

    def _filter_names(self) -> Any:
        """The query parameters the FilterSet reads (its filters' names: build_filterset uses
        no multi-part widgets)."""
        return self.resource.get_filterset_class().base_filters

    def get_serializer_class(self) -> Any:
        return serializer_for(self.resource)

    @property
    def filterset_class(self) -> Any:  # type: ignore[override]
        return self.resource.get_filterset_class()

    def _guard(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from exc

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        create = self.resource.create or services.create_object
        serializer.instance = self._guard(
            create, self.resource.model, data, actor=self.request.user
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        data.pop("township", None)
        update = self.resource.update or services.update_object
        serializer.instance = self._guard(
            update, serializer.instance, data, actor=self.request.user, expected_version=version
        )

    def perform_destroy(self, instance: Any) -> None:
        version = services.parse_version(self.request.query_params.get("version"))
        delete = self.resource.delete or services.delete_object
        self._guard(delete, instance, actor=self.request.user, expected_version=version)

    def get_object(self) -> Any:
        if self.request.method == "GET" and getattr(self, "action", None) == "retrieve":
            obj = self._compiled_retrieve()
            if obj is not None:
                self.check_object_permissions(self.request, obj)
                return obj
        return super().get_object()

    def _compiled_retrieve(self) -> Any:
        """The record of a detail (GET) read by SQL compiled once per scope: DRF's get_object
        builds the scope gate's queryset, filters it by the id and compiles it on every request
        (a third of an API detail's time). The SQL that the same steps compile — this view's
        `get_queryset` and `filter_queryset`, then what `QuerySet.get(pk=…)` adds — is kept per
        view class, database and **the scope grant the gate gives the user for the model**
        (every township and village; the WHERE clause is built from nothing else), plus the
        declarations it is built from; only the id changes from one request to the next. A
        record outside the grant is not found (404), exactly as before. None (the ORM's way)
        for a view, resource or model that builds its queryset otherwise."""
        cls = type(self)
        resource = self.resource
        model = resource.model
        raw = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if not isinstance(raw, str) or not _plain_retrieve(cls, resource):
            return None
        g = scope.grant(self.request.user, VIEW, model)
        using = router.db_for_read(model)
        key = (
            cls,
            using,
            connections[using].vendor,
            g.everything,
            g.townships,
            tuple(sorted(g.villages.items())),
            self.get_serializer_class(),
            tuple(resource.select_related or ()),
            tuple(resource.ordering or ()),
            getattr(model, "scope_village_field", None),
            getattr(model, "scope_q", None),
        )
        compiled = _RETRIEVES.get(key, _MISSING)
        if compiled is _MISSING:
            compiled = CompiledGet.compile(
                self.filter_queryset(self.get_queryset()), _SENTINEL_PK, using
            )
            if len(_RETRIEVES) >= _RETRIEVES_MAX:
                _RETRIEVES.clear()
            _RETRIEVES[key] = compiled
        if compiled is None:
            return None
        # what filter(pk=raw) and its compilation do with the value: int(), then a value
        # outside the column's range matches nothing; DRF's get_object_or_404 answers 404 to
        # a value that is no number, Django's to one that matches nothing
        pk_field = model._meta.pk
        try:
            value = pk_field.get_prep_value(raw)
        except (TypeError, ValueError, ValidationError):
            raise Http404 from None
        low, high = connections[using].ops.integer_field_range(pk_field.get_internal_type())
        not_found = Http404(f"No {model._meta.object_name} matches the given query.")
        if (
            compiled is NOTHING
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            raise not_found
        try:
            return compiled.get(value, using)
        except model.DoesNotExist:
            raise not_found from None


_MISSING = object()
#: the id compiled into a detail's SQL in place of the requested one (no row has it)
_SENTINEL_PK = -918_273_645
_RETRIEVES_MAX = 2048
#: compiled details by view class, database, scope grant and declarations (see
#: ResourceViewSet._compiled_retrieve); emptied when full
_RETRIEVES: dict[tuple[Any, ...], Any] = {}
_PLAIN: dict[tuple[type, int], bool] = {}


def _plain_retrieve(cls: type[ResourceViewSet], resource: Resource) -> bool:
    """Does a detail of this view find its record exactly as `_compiled_retrieve` assumes: the
    resource's queryset from the model's manager through the scope gate (`visible_to`), this
    module's get_queryset and filter_queryset, the lookup by an integer primary key?"""
    key = (cls, id(resource))
    known = _PLAIN.get(key)
    if known is None:
        model = resource.model
        manager = model._default_manager
        known = _PLAIN[key] = bool(
            cls.get_queryset is ResourceViewSet.get_queryset
            and cls.filter_queryset is ResourceViewSet.filter_queryset
            and cls.get_serializer_class is ResourceViewSet.get_serializer_class
            and cls.lookup_field == "pk"
            and cls.lookup_url_kwarg is None
            and type(resource).queryset is Resource.queryset
            and type(manager).get_queryset is BaseManager.get_queryset
            and getattr(manager._queryset_class, "visible_to", None) is ScopedQuerySet.visible_to
            and isinstance(model._meta.pk, AutoFieldMixin)
        )
    return known


ERROR = inline_serializer("Error", {"detail": serializers.CharField()})
FIELD_ERRORS = OpenApiResponse(
    description="输入有误：按字段列出中文错误信息（字段名 → 错误列表），或 detail",
    response=OpenApiTypes.OBJECT,
)
CONFLICT = OpenApiResponse(
    description="版本不符：记录已被他人修改",
    response=inline_serializer(
        "Conflict",
        {"detail": serializers.CharField(), "current_version": serializers.IntegerField()},
    ),
)
VERSION_REQUIRED = OpenApiResponse(
    description="缺少版本号（version）：请提交读取到的版本号", response=OpenApiTypes.OBJECT
)
FORBIDDEN = OpenApiResponse(description="角色无权执行此操作", response=ERROR)
NOT_FOUND = OpenApiResponse(description="记录不存在或不在您的权限范围内", response=ERROR)
VERSION_PARAMETER = OpenApiParameter(
    "version",
    int,
    OpenApiParameter.QUERY,
    required=True,
    description="读取到的记录版本号；缺少返回 428，与当前版本不符返回 409",
)


def _documented(viewset: type[ResourceViewSet], serializer: Any) -> type[ResourceViewSet]:
    """Every status the endpoints answer, documented (schemathesis checks them)."""
    read = {400: FIELD_ERRORS, 403: FORBIDDEN}
    one = {**read, 404: NOT_FOUND}
    write = {**one, 409: CONFLICT, 428: VERSION_REQUIRED}
    return extend_schema_view(
        list=extend_schema(responses={200: serializer(many=True), **read}),
        retrieve=extend_schema(responses={200: serializer, **one}),
        create=extend_schema(responses={201: serializer, **read}),
        update=extend_schema(responses={200: serializer, **write}),
        partial_update=extend_schema(responses={200: serializer, **write}),
        destroy=extend_schema(parameters=[VERSION_PARAMETER], responses={204: None, **write}),
    )(viewset)


def register_all(router: Any) -> None:
    for resource in all_resources():
        viewset = type(
            f"{resource.model.__name__}ViewSet",
            (ResourceViewSet,),
            {"resource": resource, "queryset": resource.model._default_manager.none()},
        )
        viewset = _documented(viewset, serializer_for(resource))
        router.register(
            f"{resource.app_label}/{resource.slug}",
            viewset,
            basename=f"api-{resource.app_label}-{resource.slug}",
        )
