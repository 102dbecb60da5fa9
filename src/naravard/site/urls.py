"""URLs of the public pages."""

from django.urls import path

from naravard.site import statistics_views, theme_views, views

app_name = "publish"
urlpatterns = [
    path("", statistics_views.overview, name="home"),
    path("regioner/", views.regions, name="regions"),
    path("statistik/<str:indicator_id>/", statistics_views.indicator, name="indicator"),
    path(
        "statistik/<str:indicator_id>/hamta.<str:fmt>",
        statistics_views.indicator_download,
        name="indicator-download",
    ),
    path("statistik/<str:indicator_id>/kvalitet/", statistics_views.quality, name="quality"),
    path("tema/<str:theme_id>/", theme_views.theme, name="theme"),
    path("publiceringskalender/", statistics_views.release_calendar, name="calendar"),
    path("jamfor/", statistics_views.compare, name="compare"),
    path("jamfor/hamta.<str:fmt>", statistics_views.compare_download, name="compare-download"),
    path("granser/<str:level>.geojson", statistics_views.boundaries, name="boundaries"),
    path("sok/", views.search, name="search"),
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/hamta.<str:fmt>", views.region_download, name="region-download"),
    path(
        "region/<str:code>/historik.<str:fmt>",
        views.region_download,
        {"history": True},
        name="region-history-download",
    ),
    path("kommun/<str:code>/", views.municipality, name="municipality"),
    path(
        "kommun/<str:code>/hamta.<str:fmt>",
        views.municipality_download,
        name="municipality-download",
    ),
    path(
        "kommun/<str:code>/historik.<str:fmt>",
        views.municipality_download,
        {"history": True},
        name="municipality-history-download",
    ),
]
