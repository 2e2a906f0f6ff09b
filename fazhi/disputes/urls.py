from django.urls import path

from fazhi.core import resources
from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.disputes import views
from fazhi.disputes.case import DisputeDetailView

app_name = "disputes"


def _r(slug: str) -> resources.Resource:
    return resources.get("disputes", slug)


urlpatterns = [
    # pages that replace a generic detail page (same name, matched first)
    path(
        "disputes/<int:pk>/",
        DisputeDetailView.as_view(resource=_r("disputes")),
        name="disputes_detail",
    ),
    path(
        "agreements/<int:pk>/",
        views.AgreementDetailView.as_view(resource=_r("agreements")),
        name="agreements_detail",
    ),
    path(
        "warnings/<int:pk>/",
        views.WarningDetailView.as_view(resource=_r("warnings")),
        name="warnings_detail",
    ),
    path(
        "backlog/<int:pk>/",
        views.BacklogDetailView.as_view(resource=_r("backlog")),
        name="backlog_detail",
    ),
    # actions
    path("disputes/<int:pk>/accept/", views.accept, name="dispute_accept"),
    path("disputes/<int:pk>/conclude/", views.conclude, name="dispute_conclude"),
    path("disputes/<int:pk>/extend/", views.extend, name="dispute_extend"),
    path("disputes/<int:pk>/escalate/", views.escalate, name="dispute_escalate"),
    path("disputes/<int:pk>/linkage/", views.linkage, name="dispute_linkage"),
    path("disputes/<int:pk>/archive/", views.archive, name="dispute_archive"),
    path("agreements/<int:pk>/docx/", views.agreement_docx, name="agreement_docx"),
    path("agreements/<int:pk>/upload/", views.agreement_upload, name="agreement_upload"),
    path("warnings/<int:pk>/handle/", views.warning_handle, name="warning_handle"),
    path("backlog/<int:pk>/resolve/", views.backlog_resolve, name="backlog_resolve"),
    path("backlog/<int:pk>/archive/", views.backlog_archive, name="backlog_archive"),
    # pages of their own
    path("report/", views.grid_report, name="grid_report"),
    path("statistics/", views.statistics, name="statistics"),
    path("ledger/import/", views.ledger_import, name="ledger_import"),
    path("ledger/template/", views.ledger_template, name="ledger_template"),
    *resource_urlpatterns("disputes"),
]
