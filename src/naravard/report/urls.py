"""URLs of the reports: the published ones (public) and the fact-check (signed in)."""

from django.urls import path

from naravard.report import factcheck_views, views

app_name = "report"
urlpatterns = [
    path("", views.reports, name="list"),
    path("<str:name>/", views.report_html, name="html"),
    path("<str:name>/rapport.pdf", views.report_pdf, name="pdf"),
    path("<str:name>/fonts/<str:font>", views.report_font, name="font"),
    path("<str:name>/faktagranskning/", factcheck_views.overview, name="factcheck"),
    path(
        "<str:name>/faktagranskning/beslut/<int:feedback_id>/",
        factcheck_views.decide,
        name="factcheck-decide",
    ),
    path("<str:name>/faktagranskning/stang/", factcheck_views.close, name="factcheck-close"),
    path("<str:name>/publicera/", factcheck_views.publish, name="publish"),
    path("<str:name>/faktagranskning/<str:code>/", factcheck_views.region, name="factcheck-region"),
    path(
        "<str:name>/faktagranskning/<str:code>/forslag/",
        factcheck_views.propose,
        name="factcheck-propose",
    ),
    path(
        "<str:name>/faktagranskning/<str:code>/text/",
        factcheck_views.propose_text,
        name="factcheck-text",
    ),
    path("<str:name>/utkast/<int:a>/<int:b>/", factcheck_views.draft_diff, name="draft-diff"),
]
