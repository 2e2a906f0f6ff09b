from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.decisions import case, views
from fazhi.decisions.resources import DECISIONS

app_name = "decisions"

urlpatterns = [
    path("rules/", views.rules_page, name="rules"),
    # the case page takes the place of the generic detail page (same name)
    path(
        "decisions/<int:pk>/",
        case.DecisionCaseView.as_view(resource=DECISIONS),
        name="decisions_detail",
    ),
    *resource_urlpatterns("decisions"),
]
