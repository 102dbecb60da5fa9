"""Django app configuration of naravard.workspace."""

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "naravard.workspace"
    label = "workspace"
    verbose_name = "Workspace"
