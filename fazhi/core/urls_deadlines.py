"""URLs of the deadline engine's pages (included by fazhi/core/urls.py, namespace "core")."""

from django.urls import path

from fazhi.core.views import deadlines as views

urlpatterns = [
    path("deadlines/", views.my_deadlines, name="my_deadlines"),
    path("deadlines/<int:pk>/", views.deadline_detail, name="deadline_detail"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("calendar/", views.calendar_admin, name="calendar"),
    path("calendar/days/<int:pk>/delete/", views.calendar_day_delete, name="calendar_day_delete"),
    path("rules/", views.rules_page, name="rules"),
    path(
        "rules/overrides/<int:pk>/delete/", views.rule_override_delete, name="rule_override_delete"
    ),
]
