"""URLs of the public pages."""

from django.urls import path

from naravard.publish import views

app_name = "publish"
urlpatterns = [
    path("", views.home, name="home"),
    path("sok/", views.search, name="search"),
    path("region/<str:code>/", views.region, name="region"),
    path("kommun/<str:code>/", views.municipality, name="municipality"),
]
