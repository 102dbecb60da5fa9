"""Django app configuration for publishing."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PublishConfig(AppConfig):
    name = "naravard.publish"
    label = "publish"
    verbose_name = "Publicering"

    def ready(self):
        from naravard.publish.models import Release
        from naravard.publish.releases import forget_releases

        # a release or withdrawal made in this process shows at once
        post_save.connect(forget_releases, sender=Release, dispatch_uid="releases-saved")
        post_delete.connect(forget_releases, sender=Release, dispatch_uid="releases-deleted")
