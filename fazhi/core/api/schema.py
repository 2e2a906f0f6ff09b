"""The OpenAPI document: generated without touching what the pages share, and built once.

Why the filter labels turned English after anyone opened `/api/schema/`: drf-spectacular's
django-filter extension reads `filter.field` on the FilterSet's class-level `base_filters`.
django-filter builds that form field once and caches it on the filter (`_field`); a class-level
filter has no `model` yet, so its label was `None` and the cached form field fell back to the
English `pretty_name` of the field ("Kind", "Status", "Source"). Every page's FilterSet deep-copies
`base_filters`, cached field included, so every later list page showed it until a restart. (The
language itself never changed.) The extension below reads a private deep copy with the model set,
so the shared filters are never touched and the schema's descriptions are the Chinese labels.

`CachedSchemaView` builds the document once per process (per version and language) instead of on
every request: it only depends on the code, not on the user (SERVE_PUBLIC).
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import add_trace_message
from drf_spectacular.plumbing import get_manager, get_view_model
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response


class IsolatedDjangoFilterExtension(DjangoFilterExtension):
    """DjangoFilterExtension that never mutates the FilterSet classes the pages use."""

    priority = 1  # preferred over drf-spectacular's own extension for the same target

    def get_schema_operation_parameters(self, auto_schema: Any, *args: Any, **kwargs: Any) -> list:
        model = get_view_model(auto_schema.view)
        if not model:
            return []
        filterset_class = self.target.get_filterset_class(
            auto_schema.view, get_manager(model).none()
        )
        if not filterset_class:
            return []
        result: list = []
        filters = copy.deepcopy(filterset_class.base_filters)
        with add_trace_message(filterset_class):
            for field_name, filter_field in filters.items():
                filter_field.model = model  # labels from the model's verbose names, as on a page
                result += self.resolve_filter_field(
                    auto_schema, model, filterset_class, field_name, filter_field
                )
        return result


_cache: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()


def clear_schema_cache() -> None:
    _cache.clear()


class CachedSchemaView(SpectacularAPIView):
    """`/api/schema/`: generated on the first request of a process, then served from memory."""

    def _get_schema_response(self, request: Request) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, request.GET.get("lang") or "")
        with _lock:
            data = _cache.get(key) if self.serve_public else None
            if data is None:
                generator = self.generator_class(
                    urlconf=self.urlconf, api_version=version, patterns=self.patterns
                )
                data = generator.get_schema(request=request, public=self.serve_public)
                if self.serve_public:  # a per-user document is never shared
                    _cache[key] = data
        return Response(
            data=data,
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'
            },
        )


class _LoginFirst:
    """The browsable docs are pages: a visitor who is not logged in is sent to the login page
    (in Chinese) and comes back after logging in, instead of a bare English "401 Unauthorized"."""

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, NotAuthenticated | AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)  # type: ignore[misc]


class DocsView(_LoginFirst, SpectacularSwaggerView):
    pass


class RedocView(_LoginFirst, SpectacularRedocView):
    pass
