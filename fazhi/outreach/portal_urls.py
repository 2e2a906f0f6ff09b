from django.urls import path

from fazhi.outreach import portal

app_name = "outreach_portal"

urlpatterns = [
    path("<int:township_id>/services/", portal.services, name="services"),
    path("<int:township_id>/events/", portal.events, name="events"),
    path("<int:township_id>/understanders/", portal.understanders, name="understanders"),
]
