from django.urls import path

from fazhi.reports import annual_views as a

app_name = "reports_portal"

urlpatterns = [
    path("", a.portal_list, name="list"),
    path("<int:pk>/", a.portal_detail, name="detail"),
]
