from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.registry_page, name="registry"),
    path("t/<int:township>/<str:code>/", views.figure_page, name="figure"),
    path("t/<int:township>/<str:code>/records/", views.drilldown_page, name="drilldown"),
    path("compare/<str:code>/", views.compare_page, name="compare"),
    *resource_urlpatterns("indicators"),
]
