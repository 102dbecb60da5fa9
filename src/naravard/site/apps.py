"""Django app configuration of naravard.site."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "naravard.site"
    label = "public_site"
    verbose_name = "Public site"

    def ready(self):
        from naravard.site import caching

        caching.connect_signals()
