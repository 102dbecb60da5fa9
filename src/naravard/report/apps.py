"""Django app configuration for the annual report."""

from django.apps import AppConfig


class ReportConfig(AppConfig):
    name = "naravard.report"
    label = "report"
    verbose_name = "Rapport"
