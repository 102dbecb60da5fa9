"""URLs of the collection pages (under /insamling/)."""

from django.urls import path

from naravard.collect import views

app_name = "collect"
urlpatterns = [
    path("", views.index, name="index"),
    path("omgang/ny/", views.round_open, name="round_open"),
    path("omgang/<int:round_id>/", views.round_detail, name="round"),
    path("omgang/<int:round_id>/paminn/", views.round_remind, name="remind"),
    path("omgang/<int:round_id>/logg/", views.round_audit, name="audit"),
    path("omgang/<int:round_id>/fragor/", views.round_queries, name="queries"),
    path("omgang/<int:round_id>/export.<str:fmt>", views.round_export, name="export"),
    path("omgang/<int:round_id>/ladda-upp/", views.round_upload, name="upload"),
    path("omgang/<int:round_id>/svar/<str:code>/", views.response_form, name="response"),
    path("omgang/<int:round_id>/svar/<str:code>/ateroppna/", views.response_reopen, name="reopen"),
    path(
        "omgang/<int:round_id>/svar/<str:code>/mall.xlsx", views.response_template, name="template"
    ),
    path(
        "omgang/<int:round_id>/svar/<str:code>/ladda-upp/",
        views.response_upload,
        name="response_upload",
    ),
    path("omgang/<int:round_id>/svar/<str:code>/fraga/", views.query_raise, name="query_raise"),
    path("fraga/<int:query_id>/svara/", views.query_reply, name="query_reply"),
    path("fraga/<int:query_id>/avsluta/", views.query_close, name="query_close"),
    path("formular/<str:form_id>/kodbok/", views.codebook, name="codebook"),
]
