"""URLs of the signed-in users' pages (under /konto/)."""

from django.urls import path

from naravard.workspace import analyst_home, followups, initiatives, views

app_name = "workspace"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("oversikt/", analyst_home.home, name="analyst_home"),
    path("uppfoljningar/", followups.followups, name="followups"),
    path("organisationer/", views.organisations, name="organisations"),
    path("region/<str:code>/", views.region_workspace, name="region"),
    path("kommun/<str:code>/", views.municipality_workspace, name="municipality"),
    path(
        "omgang/<int:round_id>/insatser/",
        initiatives.round_initiatives,
        name="round_initiatives",
    ),
]
