from django.urls import path

from fazhi.inspections import portal

app_name = "inspections_portal"

urlpatterns = [
    path("", portal.check, name="check"),
    path("rate/", portal.rate, name="rate"),
]
