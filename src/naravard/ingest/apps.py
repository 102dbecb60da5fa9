"""Django app configuration for indicator data."""

from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "naravard.ingest"
    label = "ingest"
    verbose_name = "Indikatordata"
    default_auto_field = "django.db.models.BigAutoField"
