"""Django app configuration for collection."""

from django.apps import AppConfig


class CollectConfig(AppConfig):
    name = "naravard.collect"
    label = "collect"
    verbose_name = "Insamling"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from naravard.collect import checks
        from naravard.core.checks import register

        register(
            checks.status_report_forms_have_their_roles,
            checks.forms_name_their_series,
            checks.forms_lineage_holds,
        )
