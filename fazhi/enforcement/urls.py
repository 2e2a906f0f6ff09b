from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("certificates/warnings/", views.certificate_warnings, name="certificate_warnings"),
    *resource_urlpatterns("enforcement"),
]
