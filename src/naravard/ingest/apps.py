"""Django app configuration for indicator data."""

from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "naravard.ingest"
    label = "ingest"
    verbose_name = "Indikatordata"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from naravard.core.checks import register
        from naravard.ingest import checks

        register(checks.survey_series_derive_their_indicators)
