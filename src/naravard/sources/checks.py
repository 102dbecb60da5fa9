"""System check of the source registry (see :mod:`naravard.core.checks`).

naravard.E040: the registry (``sources/data/sources.yaml``, or the file ``NARAVARD_SOURCES``
names) loads, fits its schema, and every indicator it names is in the catalogue and imported,
not derived. Without it a wrong id would first show in the night's sync.
"""

from __future__ import annotations

from naravard.core.checks import error
from naravard.sources.registry import RegistryError, load, registry_path

REGISTRY = 40
REGISTRY_HINT = "Correct the source registry; 'naravard sources list' reads it the same way."


def registry_loads(app_configs=None, **kwargs) -> list:
    """naravard.E040: the source registry loads and fits the catalogue."""
    try:
        load(registry_path())
    except RegistryError as exc:
        return [error(REGISTRY, str(exc), REGISTRY_HINT)]
    return []
