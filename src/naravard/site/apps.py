"""Django app configuration of naravard.site."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "naravard.site"
    label = "public_site"
    verbose_name = "Public site"

    def ready(self):
        from naravard.core.checks import register
        from naravard.site import caching, checks, in_flight

        caching.connect_signals()
        in_flight.follow()
        register(checks.urls_decided, checks.decisions_used)
