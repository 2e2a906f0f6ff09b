from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.core.views import home

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("t/<int:pk>/", home.township, name="township"),
    *resource_urlpatterns("core"),
]
