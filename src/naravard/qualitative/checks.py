"""System checks of the qualitative follow-up (see :mod:`naravard.core.checks`).

naravard.E021: every theme the indicator catalogue names exists in the coding frame, so an
indicator's themes link it to coded initiatives.
"""

from __future__ import annotations

from naravard.catalog.catalogue import CatalogueError, catalogue
from naravard.collect.definition import DefinitionError
from naravard.core.checks import error
from naravard.qualitative.frame import current_frame

THEMES_IN_FRAME = 21


def catalogue_themes_in_frame(app_configs=None, **kwargs) -> list:
    """naravard.E021: each theme of each catalogue indicator is a theme of the coding frame."""
    try:
        indicators = catalogue()
    except (CatalogueError, DefinitionError):
        return []  # naravard.E003 says the catalogue does not load
    frame = current_frame()
    known = {t.id for t in frame.all_themes}
    return [
        error(
            THEMES_IN_FRAME,
            f"indicator {ind.id} names theme {theme!r}, which coding frame {frame.id} "
            f"v{frame.version} does not have",
            "Use a theme id of the coding frame (qualitative/frames/) in the catalogue's "
            "'themes', or add the theme to the frame.",
        )
        for ind in indicators.values()
        for theme in ind.themes
        if theme not in known
    ]
