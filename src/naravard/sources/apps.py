"""Django app configuration for the outside sources."""

from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "naravard.sources"
    label = "sources"
    verbose_name = "Källor"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from naravard.core.checks import register
        from naravard.sources import checks

        register(checks.registry_loads)
