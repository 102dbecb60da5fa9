"""Django app configuration for the reference data."""

from django.apps import AppConfig


class RefdataConfig(AppConfig):
    name = "naravard.refdata"
    label = "refdata"
    verbose_name = "Referensdata"
    default_auto_field = "django.db.models.BigAutoField"
