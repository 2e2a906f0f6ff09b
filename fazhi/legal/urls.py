from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.legal import views

app_name = "legal"

urlpatterns = [
    path("<str:slug>/<int:pk>/do/<str:action>/", views.act, name="act"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("rules/", views.rules_page, name="rules"),
    *resource_urlpatterns("legal"),
]
