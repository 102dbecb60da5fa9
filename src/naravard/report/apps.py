"""Django app configuration for the annual report."""

from django.apps import AppConfig


class ReportConfig(AppConfig):
    name = "naravard.report"
    label = "report"
    verbose_name = "Rapport"

    def ready(self):
        from naravard.core.checks import register
        from naravard.report import checks

        register(checks.chapter_tables_have_builders, checks.chapters_match_areas_and_catalogue)
