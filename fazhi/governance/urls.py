from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.governance import views

app_name = "governance"

urlpatterns = [
    path("frequencies/", views.frequencies, name="frequencies"),
    path("progress/", views.progress, name="progress"),
    path("meetings/<int:pk>/followup/", views.meeting_followup, name="meeting_followup"),
    path("schemes/<int:pk>/scores/", views.scheme_scores, name="scheme_scores"),
    path(
        "schemes/<int:pk>/villages/<int:village>/",
        views.village_evidence,
        name="village_evidence",
    ),
    *resource_urlpatterns("governance"),
]
