"""Django app configuration for the qualitative follow-up (coding of free text)."""

from django.apps import AppConfig


class QualitativeConfig(AppConfig):
    name = "naravard.qualitative"
    label = "qualitative"
    verbose_name = "Kvalitativ uppföljning"

    def ready(self):
        from naravard.qualitative import texts

        texts.connect_signals()
