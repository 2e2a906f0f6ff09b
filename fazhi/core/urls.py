from django.urls import path

from fazhi.core import urls_deadlines, urls_records
from fazhi.core.urls_factory import resource_urlpatterns
from fazhi.core.views import home, search, security, users

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("t/<int:pk>/", home.township, name="township"),
    path("county/", home.my_county, name="my_county"),
    path("county/<int:pk>/", home.county, name="county"),
    path("users/", users.user_list, name="users"),
    path("users/add/", users.user_add, name="user_add"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", users.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", users.user_reset_password, name="user_reset_password"),
    path("memberships/<int:pk>/revoke/", users.membership_revoke, name="membership_revoke"),
    path("roles/", users.role_table, name="roles"),
    path("search/", search.search, name="search"),
    path("account/password/", security.password_change, name="password_change"),
    path("security/logins/", security.login_log, name="login_log"),
    path("security/online/", security.online_users, name="online_users"),
    path("security/online/<int:pk>/logout/", security.force_logout, name="force_logout"),
    path("notices/", security.notice_list, name="notices"),
    path("notices/add/", security.notice_add, name="notice_add"),
    path("notices/<int:pk>/", security.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/read/", security.notice_read, name="notice_read"),
    path("help/", search.help_index, name="help_index"),
    path("help/<slug:key>/", search.help_topic, name="help_topic"),
    *urls_deadlines.urlpatterns,
    *resource_urlpatterns("core"),
    *urls_records.urlpatterns,
]
