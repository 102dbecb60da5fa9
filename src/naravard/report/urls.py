"""URLs of the published reports."""

from django.urls import path

from naravard.report import views

app_name = "report"
urlpatterns = [
    path("", views.reports, name="list"),
    path("<str:name>/", views.report_html, name="html"),
    path("<str:name>/rapport.pdf", views.report_pdf, name="pdf"),
    path("<str:name>/fonts/<str:font>", views.report_font, name="font"),
]
