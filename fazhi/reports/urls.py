from django.urls import path

from fazhi.reports import annual_views as a
from fazhi.reports import views

app_name = "reports"

urlpatterns = [
    path("check/", views.check, name="check"),
    path("annual/", a.annual_list, name="annual_list"),
    path("annual/start/", a.annual_start, name="annual_start"),
    path("annual/<int:pk>/", a.annual_detail, name="annual_detail"),
    path("annual/<int:pk>/sign/", a.annual_sign, name="annual_sign"),
    path("annual/<int:pk>/submit/", a.annual_submit, name="annual_submit"),
    path("annual/<int:pk>/publish/", a.annual_publish, name="annual_publish"),
    path("annual/<int:pk>/targets/", a.annual_save_targets, name="annual_save_targets"),
    path("annual/<int:pk>/download/<str:fmt>/", a.annual_download, name="annual_download"),
    path("annual/paragraph/<int:pk>/", a.paragraph_edit, name="paragraph_edit"),
    path("annual/handwritten/", a.handwritten_upload, name="handwritten_upload"),
    path("annual/handwritten/<int:pk>/", a.handwritten_detail, name="handwritten_detail"),
    path("county/", a.county_board, name="county_board"),
    path("county/batch/", a.county_batch, name="county_batch"),
]
