from django.urls import path

from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.indicators import assessment_views as av
from fazhi.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.registry_page, name="registry"),
    path("t/<int:township>/<str:code>/", views.figure_page, name="figure"),
    path("t/<int:township>/<str:code>/records/", views.drilldown_page, name="drilldown"),
    path("compare/<str:code>/", views.compare_page, name="compare"),
    path("compare/<str:code>/export/", av.compare_export, name="compare_export"),
    path("assessment/", av.scheme_list, name="assessment_list"),
    path("assessment/<int:pk>/", av.scheme_detail, name="assessment"),
    path("assessment/<int:pk>/export/", av.scheme_export, name="assessment_export"),
    path(
        "assessment/<int:pk>/items/<int:item>/delete/",
        av.item_delete,
        name="assessment_item_delete",
    ),
    *resource_urlpatterns("indicators"),
]
