"""Root URLconf: accounts and platform pages, and every förbund's pages under /f/<slug>/."""

from django.urls import include, path, register_converter

from apps.home import views as home_views
from apps.tenancy import views as tenancy_views
from apps.tenancy.converters import ForbundSlugConverter

register_converter(ForbundSlugConverter, "forbund")

handler403 = "samordning.views.permission_denied"
handler404 = "samordning.views.page_not_found"
handler500 = "samordning.views.server_error"

# Everything a förbund owns lives under /f/<forbund_slug>/: the tenant middleware resolves it.
tenant_patterns = [
    path("", home_views.overview, name="overview"),
    path("medlemmar/", include("apps.members.urls")),
    path("insatser/", include("apps.insatser.urls")),
    path("mal/", include("apps.goals.urls")),
    path("plan/", include("apps.plans.urls")),
    path("budget/", include("apps.budgets.urls")),
    path("dokument/", include("apps.reports.urls")),
    path("tertial/", include("apps.tertial.urls")),
    path("dataio/", include("apps.dataio.urls")),
    path("uppfoljning/", include("apps.followup.urls")),
]

urlpatterns = [
    path("", tenancy_views.home, name="home"),
    path("konto/", include("apps.accounts.urls")),
    path("plattform/", include("apps.tenancy.platform_urls")),
    path(
        "inbjudan/<forbund:forbund_slug>/<str:token>/",
        tenancy_views.invitation_accept,
        name="invitation_accept",
    ),
    path("f/<forbund:forbund_slug>/", include(tenant_patterns)),
]
