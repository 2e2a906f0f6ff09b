from django.urls import path

from fazhi.decisions import views

app_name = "decisions_portal"

urlpatterns = [
    path("", views.portal_index, name="index"),
    path("<int:pk>/", views.portal_decision, name="decision"),
    path("catalogue/<int:pk>/", views.catalogue_page, name="catalogue"),
]
