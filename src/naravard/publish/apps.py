"""Django app configuration for the public site."""

from django.apps import AppConfig


class PublishConfig(AppConfig):
    name = "naravard.publish"
    label = "publish"
    verbose_name = "Publicering"
