"""URL patterns for every registered resource of an app."""

from __future__ import annotations

from django.urls import URLPattern, path

from fazhi.core.resources import all_resources


def resource_urlpatterns(app_label: str) -> list[URLPattern]:
    from fazhi.core.views import generic, io

    patterns: list[URLPattern] = []
    for r in all_resources(app_label):
        s = r.slug
        patterns += [
            path(f"{s}/", generic.ListView.as_view(resource=r), name=f"{s}_list"),
            path(f"{s}/add/", generic.EditView.as_view(resource=r), name=f"{s}_add"),
            path(f"{s}/import/", io.ImportView.as_view(resource=r), name=f"{s}_import"),
            path(f"{s}/export/", io.ExportView.as_view(resource=r), name=f"{s}_export"),
            path(f"{s}/template/", io.TemplateView.as_view(resource=r), name=f"{s}_template"),
            path(f"{s}/<int:pk>/", generic.DetailView.as_view(resource=r), name=f"{s}_detail"),
            path(f"{s}/<int:pk>/edit/", generic.EditView.as_view(resource=r), name=f"{s}_edit"),
            path(
                f"{s}/<int:pk>/delete/", generic.DeleteView.as_view(resource=r), name=f"{s}_delete"
            ),
            path(
                f"{s}/<int:pk>/history/",
                generic.HistoryView.as_view(resource=r),
                name=f"{s}_history",
            ),
        ]
    return patterns
