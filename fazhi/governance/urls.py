from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.governance import views

app_name = "governance"

urlpatterns = [
    path("frequencies/", views.frequencies, name="frequencies"),
    path("progress/", views.progress, name="progress"),
    *resource_urlpatterns("governance"),
]
