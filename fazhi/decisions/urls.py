from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.decisions import views

app_name = "decisions"

urlpatterns = [
    path("rules/", views.rules_page, name="rules"),
    *resource_urlpatterns("decisions"),
]
