"""Django app configuration for the qualitative follow-up (coding of free text)."""

from django.apps import AppConfig


class QualitativeConfig(AppConfig):
    name = "naravard.qualitative"
    label = "qualitative"
    verbose_name = "Kvalitativ uppföljning"

    def ready(self):
        from naravard.core.checks import register
        from naravard.qualitative import checks, texts

        texts.connect_signals()
        register(checks.catalogue_themes_in_frame)
