"""URLs of the signed-in users' pages (under /konto/)."""

from django.urls import path

from naravard.workspace import analyst_home, followups, initiatives, report_texts, views

app_name = "workspace"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("oversikt/", analyst_home.home, name="analyst_home"),
    path("uppfoljningar/", followups.followups, name="followups"),
    path("uppfoljningar/<str:name>/text/", report_texts.report_texts, name="report_texts"),
    path(
        "uppfoljningar/<str:name>/text/<str:key>/<str:lang>/",
        report_texts.edit_text,
        name="report_text",
    ),
    path(
        "uppfoljningar/<str:name>/text/<str:key>/<str:lang>/forhandsgranska/",
        report_texts.preview_text,
        name="report_text_preview",
    ),
    path("organisationer/", views.organisations, name="organisations"),
    path("region/<str:code>/", views.region_workspace, name="region"),
    path("kommun/<str:code>/", views.municipality_workspace, name="municipality"),
    path(
        "omgang/<int:round_id>/insatser/",
        initiatives.round_initiatives,
        name="round_initiatives",
    ),
]
