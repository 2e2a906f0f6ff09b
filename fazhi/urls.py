from django.contrib.auth import views as auth_views
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from fazhi.core.api.generic import register_all
from fazhi.core.api.schema import CachedSchemaView, DocsView, RedocView
from fazhi.core.api.tokens import TokenView
from fazhi.reports.api import CheckReportView

router = DefaultRouter()
register_all(router)

urlpatterns = [
    # the API first: none of core's ~130 page patterns (mounted at "") matches a path under
    # api/, and every API request tried them all before reaching its own
    path("api/reports/check/", CheckReportView.as_view(), name="api-report-check"),
    path("api/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/", include(router.urls)),
    path("api/schema/", CachedSchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("fazhi.core.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("reports/", include("fazhi.reports.urls")),
    path("gk/petitions/", include("fazhi.petitions.portal_urls")),
    path("gk/enforcement/", include("fazhi.enforcement.portal_urls")),
    path("gk/inspections/", include("fazhi.inspections.portal_urls")),
    path("gk/reports/", include("fazhi.reports.portal_urls")),
    path("gk/decisions/", include("fazhi.decisions.portal_urls")),
    path("gk/outreach/", include("fazhi.outreach.portal_urls")),
    path("gk/", include("fazhi.portal.urls")),
    path("parties/", include("fazhi.parties.urls")),
    path("disputes/", include("fazhi.disputes.urls")),
    path("petitions/", include("fazhi.petitions.urls")),
    path("enforcement/", include("fazhi.enforcement.urls")),
    path("inspections/", include("fazhi.inspections.urls")),
    path("governance/", include("fazhi.governance.urls")),
    path("outreach/", include("fazhi.outreach.urls")),
    path("legal/", include("fazhi.legal.urls")),
    path("decisions/", include("fazhi.decisions.urls")),
    path("indicators/", include("fazhi.indicators.urls")),
]
