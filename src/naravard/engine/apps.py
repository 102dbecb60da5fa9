"""Django app configuration of the register engine (no models: its system checks)."""

from django.apps import AppConfig


class EngineConfig(AppConfig):
    name = "naravard.engine"
    label = "engine"
    verbose_name = "Registermotor"

    def ready(self):
        from naravard.core.checks import register
        from naravard.engine import checks

        register(
            checks.definitions_in_catalogue,
            checks.computed_indicators_defined,
            checks.care_region_breakdown_in_catalogue,
        )
