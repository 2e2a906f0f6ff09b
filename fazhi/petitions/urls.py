from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.petitions import views
from fazhi.petitions.case import PetitionDetailView
from fazhi.petitions.resources import PETITIONS

app_name = "petitions"

urlpatterns = [
    # registration replaces the generic add page (same path, matched first): it prints the receipt
    path(
        "petitions/add/", views.RegisterView.as_view(resource=PETITIONS), name="petition_register"
    ),
    # the case page replaces the generic detail page (same name, matched first)
    path(
        "petitions/<int:pk>/",
        PetitionDetailView.as_view(resource=PETITIONS),
        name="petitions_detail",
    ),
    path("petitions/<int:pk>/receipt/", views.receipt, name="petition_receipt"),
    path("petitions/<int:pk>/do/<str:action>/", views.act, name="petition_act"),
    path("opinions/<int:pk>/docx/", views.opinion_docx, name="opinion_docx"),
    path("backlog/<int:pk>/progress/", views.backlog_progress, name="backlog_add_progress"),
    path("backlog/<int:pk>/resolve/", views.backlog_resolve, name="backlog_resolve"),
    path("stats/", views.stats, name="stats"),
    path("stats/export/", views.stats_export, name="stats_export"),
    path("stats/records/", views.stats_cell, name="stats_cell"),
    path("rules/", views.rules_page, name="rules"),
    path("ledger/template/", views.ledger_template, name="ledger_template"),
    path("ledger/export/", views.ledger_export, name="ledger_export"),
    path("ledger/import/", views.ledger_import, name="ledger_import"),
    *resource_urlpatterns("petitions"),
]
