"""Django app configuration of naravard.opendata."""

from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "naravard.opendata"
    label = "opendata"
    verbose_name = "Open data"
