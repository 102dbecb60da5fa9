"""Template context shared by every page."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from naravard import __version__


def site(request):
    """Demo flag, version, and the same page in the other language (a plain link, so that
    public pages carry no per-visitor token and can be cached and shared)."""
    other = "sv" if (get_language() or "sv").startswith("en") else "en"
    return {
        "DEMO": settings.DEMO,
        "VERSION": __version__,
        "OTHER_LANGUAGE": other,
        "OTHER_LANGUAGE_NAME": {"sv": "Svenska", "en": "English"}[other],
        "OTHER_LANGUAGE_URL": translate_url(request.get_full_path(), other),
    }
