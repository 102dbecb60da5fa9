"""System checks of the indicators ingest derives (see :mod:`naravard.core.checks`).

naravard.E020: every form of a survey series can derive every survey indicator of its series
(the question is asked as a choice with the counted answer among its options), or the form
says that it dropped the question. Without it a round of next year's form silently derives
nothing.
"""

from __future__ import annotations

from naravard.catalog import survey
from naravard.catalog.catalogue import CatalogueError, catalogue
from naravard.collect.definition import DefinitionError
from naravard.core.checks import error

SURVEY_SERIES = 20
SURVEY_SERIES_HINT = (
    "Ask the question in the form (a choice with the counted answer), or add it to the form's "
    "'dropped' list if the series no longer asks it."
)


def survey_series_derive_their_indicators(app_configs=None, **kwargs) -> list:
    """naravard.E020: each survey indicator can be derived from every form of its series."""
    try:
        indicators = catalogue()
    except (CatalogueError, DefinitionError):
        return []  # naravard.E003 says the catalogue does not load
    problems = survey.family_problems()
    for ind in indicators.values():
        if survey.is_survey_derived(ind.derived_from):
            problems += survey.series_problems(ind.id, ind.derived_from)
    return [error(SURVEY_SERIES, problem, SURVEY_SERIES_HINT) for problem in problems]
