from django.urls import path

from fazhi.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("t/<int:township_id>/", views.township, name="township"),
    path("evidence/", views.evidence_heads, name="evidence"),
]
