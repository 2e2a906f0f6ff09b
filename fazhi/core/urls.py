from django.urls import path

from fazhi.core import urls_deadlines, urls_records
from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.core.views import home, search, users

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("t/<int:pk>/", home.township, name="township"),
    path("users/", users.user_list, name="users"),
    path("users/add/", users.user_add, name="user_add"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", users.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", users.user_reset_password, name="user_reset_password"),
    path("memberships/<int:pk>/revoke/", users.membership_revoke, name="membership_revoke"),
    path("roles/", users.role_table, name="roles"),
    path("search/", search.search, name="search"),
    path("help/", search.help_index, name="help_index"),
    path("help/<slug:key>/", search.help_topic, name="help_topic"),
    *urls_deadlines.urlpatterns,
    *resource_urlpatterns("core"),
    *urls_records.urlpatterns,
]
