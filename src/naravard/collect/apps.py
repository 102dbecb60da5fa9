"""Django app configuration for collection."""

from django.apps import AppConfig


class CollectConfig(AppConfig):
    name = "naravard.collect"
    label = "collect"
    verbose_name = "Insamling"
    default_auto_field = "django.db.models.BigAutoField"
