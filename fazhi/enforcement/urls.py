from django.urls import path

from fazhi.core import resources
from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.enforcement import case, views

app_name = "enforcement"

urlpatterns = [
    path(
        "cases/<int:pk>/",
        case.CaseView.as_view(resource=resources.get("enforcement", "cases")),
        name="cases_detail",
    ),
    path("cases/<int:pk>/step/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<int:pk>/docx/", views.case_docx, name="case_docx"),
    path("certificates/warnings/", views.certificate_warnings, name="certificate_warnings"),
    *resource_urlpatterns("enforcement"),
]
