"""Django app configuration for accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "naravard.accounts"
    label = "accounts"
    verbose_name = "Konton"
    default_auto_field = "django.db.models.BigAutoField"
