"""URLs of the account pages (under /konto/)."""

from django.urls import path

from naravard.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("oversikt/", views.analyst_home, name="analyst_home"),
    path("organisationer/", views.organisations, name="organisations"),
    path("region/<str:code>/", views.region_workspace, name="region"),
    path("kommun/<str:code>/", views.municipality_workspace, name="municipality"),
]
