"""Django app configuration of the indicator catalogue (no models: its system checks)."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "naravard.catalog"
    label = "catalog"
    verbose_name = "Indikatorkatalog"

    def ready(self):
        from naravard.catalog import checks
        from naravard.core.checks import register

        register(checks.catalogue_loads, checks.units_cover_catalogue, checks.unit_rows_complete)
