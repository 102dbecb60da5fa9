"""Start Django from the command line, with the demo switch applied first."""

from __future__ import annotations

import os


def setup(demo: bool = False, data_dir: str | None = None) -> None:
    """Configure settings from the environment and call ``django.setup()``.

    ``demo`` switches on the embedded demo (SQLite file, demo secret key,
    e-mail to files) and must be decided before settings are read.
    """
    if demo:
        os.environ["NARAVARD_DEMO"] = "1"
        os.environ.pop("DATABASE_URL", None)  # the demo always uses its own SQLite file
    if data_dir:
        os.environ["NARAVARD_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naravard.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("en")  # the command line speaks English; the web UI is Swedish
