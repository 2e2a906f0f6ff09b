from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.outreach import views

app_name = "outreach"

urlpatterns = [
    path("events/quick/", views.quick_event, name="quick_event"),
    path("events/quick/<int:pk>/", views.quick_event_done, name="quick_event_done"),
    *resource_urlpatterns("outreach"),
]
