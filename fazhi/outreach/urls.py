from django.urls import path

from fazhi.core import resources
from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.outreach import case, views

app_name = "outreach"

urlpatterns = [
    path("events/quick/", views.quick_event, name="quick_event"),
    path("ledger/import/", views.ledger_import, name="ledger_import"),
    path("surveys/summary/", views.survey_summary, name="survey_summary"),
    path("events/calendar/", views.key_day_calendar, name="key_day_calendar"),
    path("events/quick/<int:pk>/", views.quick_event_done, name="quick_event_done"),
    path(
        "aid/<int:pk>/",
        case.AidDetailView.as_view(resource=resources.get("outreach", "aid")),
        name="aid_detail",
    ),
    path("aid/<int:pk>/forward/", views.aid_forward, name="aid_forward"),
    path("aid/<int:pk>/decide/", views.aid_decide, name="aid_decide"),
    path("aid/<int:pk>/withdraw/", views.aid_withdraw, name="aid_withdraw"),
    *resource_urlpatterns("outreach"),
]
