"""Template context shared by every page."""

from django.conf import settings

from naravard import __version__


def site(request):
    return {"DEMO": settings.DEMO, "VERSION": __version__}
