"""System checks of the register engine against the catalogue (naravard.E004–E006).

Registered in :class:`naravard.engine.apps.EngineConfig`; see :mod:`naravard.core.checks`.
The catalogue says an indicator is computed by the register engine in its source, which ends
in "(computed by naravard)" (Swedish "(beräknat av naravard)").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.checks import CheckMessage

from naravard.catalog import catalogue as catalogue_module
from naravard.core.checks import error

if TYPE_CHECKING:
    from naravard.engine.indicators import Definition

DEFINITION_NOT_IN_CATALOGUE = 4
COMPUTED_WITHOUT_DEFINITION = 5
CARE_REGION_WITH_MUNICIPALITIES = 6
COMPUTED_MARK = "(computed by naravard)"
DEFINITIONS_FILE = "src/naravard/engine/indicators.py"
CATALOGUE_FILE = "src/naravard/catalog/definitions/indicators.yaml"


def _definitions() -> tuple[Definition, ...]:
    """The register definitions (imported here, not at start: they need Ibis)."""
    from naravard.engine import indicators

    return indicators.DEFINITIONS


def _catalogue() -> dict[str, catalogue_module.Indicator] | None:
    """The catalogue, or None when it does not load (naravard.E003 says why)."""
    try:
        return catalogue_module.catalogue()
    except catalogue_module.CatalogueError:
        return None


def definitions_in_catalogue(app_configs=None, **kwargs) -> list[CheckMessage]:
    """naravard.E004: every register definition computes an indicator of the catalogue."""
    known = _catalogue()
    if known is None:
        return []
    return [
        error(
            DEFINITION_NOT_IN_CATALOGUE,
            f"Register definition {d.indicator_id!r} has no entry in the indicator catalogue.",
            f"Add {d.indicator_id} to {CATALOGUE_FILE} (its name, unit, source ending in "
            f"'{COMPUTED_MARK}'), or correct the id in {DEFINITIONS_FILE}.",
            obj=d.indicator_id,
        )
        for d in _definitions()
        if d.indicator_id not in known
    ]


def computed_indicators_defined(app_configs=None, **kwargs) -> list[CheckMessage]:
    """naravard.E005: every catalogue indicator whose source says naravard computes it has a
    register definition."""
    known = _catalogue()
    if known is None:
        return []
    defined = {d.indicator_id for d in _definitions()}
    return [
        error(
            COMPUTED_WITHOUT_DEFINITION,
            f"Indicator {ind.id!r} is computed by naravard by its source, but the register "
            "engine has no definition of it.",
            f"Add a Definition({ind.id!r}, …) to DEFINITIONS in {DEFINITIONS_FILE}, or "
            f"correct its source in {CATALOGUE_FILE}.",
            obj=ind.id,
        )
        for ind in known.values()
        if ind.source["en"].rstrip().endswith(COMPUTED_MARK) and ind.id not in defined
    ]


def care_region_breakdown_in_catalogue(app_configs=None, **kwargs) -> list[CheckMessage]:
    """naravard.E006: an indicator computed by region of care has no municipality level in
    the catalogue (the engine gives it no municipality values)."""
    known = _catalogue()
    if known is None:
        return []
    return [
        error(
            CARE_REGION_WITH_MUNICIPALITIES,
            f"Register definition {d.indicator_id!r} is by region of care, but the catalogue "
            "lists it for municipalities too.",
            f"Set level: [region] for {d.indicator_id} in {CATALOGUE_FILE}, or by_care_region="
            f"False in {DEFINITIONS_FILE} if it is by municipality of residence.",
            obj=d.indicator_id,
        )
        for d in _definitions()
        if d.by_care_region
        and d.indicator_id in known
        and "municipality" in known[d.indicator_id].levels
    ]
