"""Public pages (no login) under /gk/petitions/: look up a petition by receipt number and code,
see its progress without personal information, and rate the handling once."""

from django.urls import path

from fazhi.petitions import portal

app_name = "petitions_portal"

urlpatterns = [
    path("", portal.lookup, name="lookup"),
    path("<int:pk>/", portal.status, name="status"),
    path("<int:pk>/rate/", portal.rate, name="rate"),
    path("leave/", portal.leave, name="leave"),
]
