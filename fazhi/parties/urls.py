from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.parties import views
from fazhi.parties.resources import PARTIES

app_name = "parties"

urlpatterns = [
    # the party page replaces the generic detail (same name, matched first)
    path(
        "parties/<int:pk>/",
        views.PartyDetailView.as_view(resource=PARTIES),
        name="parties_detail",
    ),
    path("parties/<int:pk>/reveal/<str:field>/", views.reveal, name="party_reveal"),
    path("parties/<int:pk>/merge/", views.merge, name="party_merge"),
    path("merges/<int:pk>/split/", views.split, name="party_split"),
    path("parties/export-pii/", views.export_with_pii, name="party_export_pii"),
    *resource_urlpatterns("parties"),
]
