"""Root URLs: Swedish pages at /, English at /en/, admin, accounts, i18n switch."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from naravard.opendata import kolada, pxweb, savedqueries
from naravard.site import views as publish_views
from naravard.workspace import indicator_views

admin.site.site_header = "naravard – administration"
admin.site.site_title = "naravard"

from naravard.api import not_found as api_not_found  # noqa: E402
from naravard.api import urls as api_urls  # noqa: E402

urlpatterns = [
    path("favicon.ico", publish_views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    # PxWeb API 2.0-compatible open data (before the ninja API, which owns the rest of /api/)
    re_path(r"^api/v2/config/?$", pxweb.config, name="pxweb-config"),
    re_path(r"^api/v2/tables/?$", pxweb.tables, name="pxweb-tables"),
    re_path(r"^api/v2/tables/(?P<table_id>[^/]+)/?$", pxweb.table, name="pxweb-table"),
    re_path(
        r"^api/v2/tables/(?P<table_id>[^/]+)/metadata/?$", pxweb.metadata, name="pxweb-metadata"
    ),
    re_path(r"^api/v2/tables/(?P<table_id>[^/]+)/data/?$", pxweb.data, name="pxweb-data"),
    re_path(
        r"^api/v2/tables/(?P<table_id>[^/]+)/defaultselection/?$",
        pxweb.default_selection,
        name="pxweb-defaultselection",
    ),
    re_path(r"^api/v2/codelists/(?P<codelist_id>[^/]+)/?$", pxweb.codelist, name="pxweb-codelist"),
    re_path(r"^api/v2/savedqueries/?$", savedqueries.save, name="pxweb-savedqueries"),
    re_path(
        r"^api/v2/savedqueries/(?P<query_id>[^/]+)/?$",
        savedqueries.saved,
        name="pxweb-savedquery",
    ),
    re_path(
        r"^api/v2/savedqueries/(?P<query_id>[^/]+)/data/?$",
        savedqueries.data,
        name="pxweb-savedquery-data",
    ),
    re_path(
        r"^api/v2/savedqueries/(?P<query_id>[^/]+)/selection/?$",
        savedqueries.selection,
        name="pxweb-savedquery-selection",
    ),
    re_path(r"^api/v2(?:/(?P<rest>[\s\S]*))?$", pxweb.not_found, name="pxweb-not-found"),
    path("api/", api_urls()),
    re_path(r"^api/(?P<rest>.*)$", api_not_found, name="api-not-found"),
    # Kolada API v3-compatible open data; Kolada's clients ask with and without a final slash
    re_path(r"^kolada/v3/kpi/?$", kolada.kpi, name="kolada-kpi"),
    re_path(r"^kolada/v3/kpi/(?P<ids>[^/]+)/?$", kolada.kpi, name="kolada-kpi-ids"),
    re_path(r"^kolada/v3/municipality/?$", kolada.municipality, name="kolada-municipality"),
    re_path(
        r"^kolada/v3/municipality/(?P<ids>[^/]+)/?$",
        kolada.municipality,
        name="kolada-municipality-ids",
    ),
    re_path(r"^kolada/v3/kpi_groups/?$", kolada.kpi_groups, name="kolada-kpi-groups"),
    re_path(
        r"^kolada/v3/kpi_groups/(?P<ids>[^/]+)/?$",
        kolada.kpi_groups,
        name="kolada-kpi-groups-ids",
    ),
    re_path(
        r"^kolada/v3/municipality_groups/?$",
        kolada.municipality_groups,
        name="kolada-municipality-groups",
    ),
    re_path(
        r"^kolada/v3/municipality_groups/(?P<ids>[^/]+)/?$",
        kolada.municipality_groups,
        name="kolada-municipality-groups-ids",
    ),
    re_path(r"^kolada/v3/data/?$", kolada.data, name="kolada-data"),
    # data/kpi/{kpis}[/municipality/{ids}][/year/{years}], data/municipality/{ids}[/kpi/…][/year/…]
    re_path(
        r"^kolada/v3/data/kpi/(?P<kpi>[^/]+)(?:/municipality/(?P<municipality>[^/]+))?"
        r"(?:/year/(?P<year>[^/]+))?/?$",
        kolada.data,
        name="kolada-data-kpi",
    ),
    re_path(
        r"^kolada/v3/data/municipality/(?P<municipality>[^/]+)(?:/kpi/(?P<kpi>[^/]+))?"
        r"(?:/year/(?P<year>[^/]+))?/?$",
        kolada.data,
        name="kolada-data-municipality",
    ),
    # naravard has no organisational units: ou and oudata (any of its forms) answer an empty list
    re_path(r"^kolada/v3/ou(?:/(?P<ids>[^/]+))?/?$", kolada.ou, name="kolada-ou"),
    re_path(r"^kolada/v3/oudata(?:/(?:kpi|ou|year)/[^/]+)*/?$", kolada.ou, name="kolada-oudata"),
    re_path(r"^kolada/v3/(?P<rest>.*)$", kolada.not_found, name="kolada-not-found"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "konto/losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("konto/", include("naravard.workspace.urls")),
    path("insamling/", include("naravard.collect.urls")),
    path("rapporter/", include("naravard.report.urls")),
    path("kodning/", include("naravard.qualitative.urls")),
    path("indikatorer/", indicator_views.indicator_list, name="indicators"),
    path("indikatorer/<str:indicator_id>/", indicator_views.indicator_detail, name="indicator"),
    path("", include("naravard.site.urls")),
    prefix_default_language=False,
)

handler403 = publish_views.forbidden
handler404 = publish_views.not_found
