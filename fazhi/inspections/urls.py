from django.urls import path

from fazhi.core import resources
from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.inspections import views

app_name = "inspections"


def _r(slug: str) -> resources.Resource:
    return resources.get("inspections", slug)


urlpatterns = [
    path(
        "inspections/<int:pk>/",
        views.InspectionDetailView.as_view(resource=_r("inspections")),
        name="inspections_detail",
    ),
    path(
        "hazards/<int:pk>/",
        views.HazardDetailView.as_view(resource=_r("hazards")),
        name="hazards_detail",
    ),
    path(
        "inspections/<int:pk>/docx/<slug:kind>/",
        views.inspection_document,
        name="inspection_document",
    ),
    path("inspections/<int:pk>/approve/", views.approve, name="inspection_approve"),
    path("inspections/<int:pk>/record/", views.record, name="inspection_record"),
    path("inspections/<int:pk>/cancel/", views.cancel, name="inspection_cancel"),
    path("hazards/<int:pk>/rectify/", views.rectify, name="hazard_rectify"),
    path("plans/<int:pk>/draw/", views.plan_draw, name="plan_draw"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("enterprises/directory-import/", views.directory_import, name="directory_import"),
    path("statistics/", views.statistics, name="statistics"),
    path("plans/<int:pk>/results/", views.plan_results, name="plan_results"),
    path("targets/<int:pk>/result/", views.target_result, name="target_result"),
    path("hazards/<int:pk>/verify/", views.verify, name="hazard_verify"),
    *resource_urlpatterns("inspections"),
]
