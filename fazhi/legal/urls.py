from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.legal import casepages, views
from fazhi.legal import resources as r

app_name = "legal"

urlpatterns = [
    path("<str:slug>/<int:pk>/do/<str:action>/", views.act, name="act"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("rules/", views.rules_page, name="rules"),
    # the case pages take the place of the generic detail pages (same names)
    path(
        "reviews/<int:pk>/",
        casepages.ReviewCaseView.as_view(resource=r.REVIEWS),
        name="reviews_detail",
    ),
    path(
        "reconsiderations/<int:pk>/",
        casepages.ReconsiderationCaseView.as_view(resource=r.RECONSIDERATIONS),
        name="reconsiderations_detail",
    ),
    path(
        "litigations/<int:pk>/",
        casepages.LitigationCaseView.as_view(resource=r.LITIGATIONS),
        name="litigations_detail",
    ),
    path(
        "judgments/<int:pk>/",
        casepages.JudgmentCaseView.as_view(resource=r.JUDGMENTS),
        name="judgments_detail",
    ),
    *resource_urlpatterns("legal"),
]
