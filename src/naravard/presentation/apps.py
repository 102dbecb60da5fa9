"""Django app configuration of naravard.presentation."""

from django.apps import AppConfig


class PresentationConfig(AppConfig):
    name = "naravard.presentation"
    label = "presentation"
    verbose_name = "Presentation"
