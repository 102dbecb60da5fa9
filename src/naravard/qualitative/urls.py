"""URLs of the analysts' coding pages (mounted at ``kodning/``)."""

from django.urls import path

from naravard.qualitative import views

app_name = "qualitative"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("tema/<str:theme_id>/", views.theme, name="theme"),
    path("texter/", views.text_list, name="texts"),
    path("texter/<int:pk>/", views.text_detail, name="text"),
    path("passager/<int:pk>/ta-bort/", views.remove_passage, name="remove-passage"),
    path("passager/<int:pk>/citat/", views.mark_quotable, name="quotable"),
    path("tema/<str:theme_id>/faktarutor/ny/", views.factbox_new, name="factbox-new"),
    path("faktarutor/<int:pk>/", views.factbox_edit, name="factbox"),
    path("faktarutor/<int:pk>/ta-bort/", views.factbox_delete, name="factbox-delete"),
    path("forslag/", views.suggestions, name="suggestions"),
    path("forslag/<int:pk>/", views.decide, name="decide"),
    path("samstammighet/", views.agreement_view, name="agreement"),
    path("sok/", views.search_view, name="search"),
    path("dokument/ny/", views.upload, name="upload"),
]
