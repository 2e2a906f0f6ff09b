from django.urls import path

from fazhi.core import resources
from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.enforcement import case, supervision_views, views

app_name = "enforcement"

urlpatterns = [
    path(
        "cases/<int:pk>/",
        case.CaseView.as_view(resource=resources.get("enforcement", "cases")),
        name="cases_detail",
    ),
    path("cases/<int:pk>/step/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<int:pk>/docx/", views.case_docx, name="case_docx"),
    path("cases/<int:pk>/docx/<slug:kind>/", views.case_document, name="case_document"),
    path("certificates/warnings/", views.certificate_warnings, name="certificate_warnings"),
    path(
        "supervisions/<int:pk>/",
        supervision_views.MatterView.as_view(resource=resources.get("enforcement", "supervisions")),
        name="supervisions_detail",
    ),
    path(
        "supervisions/<int:pk>/step/<slug:step>/",
        supervision_views.supervision_step,
        name="supervision_step",
    ),
    path("supervisions/signals/", supervision_views.signals, name="supervision_signals"),
    path("supervisions/start/", supervision_views.start_from_signal, name="supervision_start"),
    path(
        "supervision-opinions/<int:pk>/docx/",
        supervision_views.opinion_docx,
        name="opinion_docx",
    ),
    *resource_urlpatterns("enforcement"),
]
