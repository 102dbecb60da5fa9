"""System checks of the indicator catalogue and its units table (naravard.E001–E003).

Registered in :class:`naravard.catalog.apps.CatalogConfig`; see :mod:`naravard.core.checks`.
"""

from __future__ import annotations

from django.core.checks import CheckMessage

from naravard.catalog import catalogue as catalogue_module
from naravard.catalog import units
from naravard.core.checks import error
from naravard.core.errors import Invalid

UNIT_MISSING = 1
UNIT_INCOMPLETE = 2
CATALOGUE_BROKEN = 3
UNITS_FILE = "src/naravard/catalog/units.py"


def catalogue_loads(app_configs=None, **kwargs) -> list[CheckMessage]:
    """naravard.E003: the catalogue (indicators.yaml and the survey series) loads."""
    try:
        catalogue_module.catalogue()
    except Invalid as exc:  # the catalogue's own file, or a survey form it reads
        return [
            error(
                CATALOGUE_BROKEN,
                f"The indicator catalogue does not load: {str(exc).rstrip('.')}.",
                "Correct src/naravard/catalog/definitions/indicators.yaml (or the survey form "
                "the message names) as the message says.",
            )
        ]
    return []


def units_cover_catalogue(app_configs=None, **kwargs) -> list[CheckMessage]:
    """naravard.E001: every unit an indicator of the catalogue uses has a row in the table."""
    try:
        indicators = catalogue_module.catalogue().values()
    except Invalid:
        return []  # naravard.E003 says why
    used: dict[str, list[str]] = {}
    for ind in indicators:
        used.setdefault(ind.unit, []).append(ind.id)
    return [
        error(
            UNIT_MISSING,
            f"Unit {code!r}, used by {', '.join(ids)}, has no row in the units table.",
            f"Add a Unit({code!r}, …) row to UNITS in {UNITS_FILE}, or correct the unit "
            "in indicators.yaml.",
            obj=code,
        )
        for code, ids in sorted(used.items())
        if code not in units.UNITS
    ]


def unit_rows_complete(app_configs=None, **kwargs) -> list[CheckMessage]:
    """naravard.E002: every row of the units table is complete."""
    return [
        error(
            UNIT_INCOMPLETE,
            f"Unit {key!r} of the units table {problem}.",
            f"Complete the row in UNITS in {UNITS_FILE}.",
            obj=key,
        )
        for key, unit in units.UNITS.items()
        for problem in units.row_problems(key, unit)
    ]
