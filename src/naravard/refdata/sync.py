"""Bring the stored reference data in line with the files shipped in the package.

Idempotent: a second run changes nothing. Used by the data migration (with
historical models) and by ``naravard migrate``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from naravard.refdata import files

Progress = Callable[[str, int], None]  # (step description, rows done in that step)


@dataclass
class SyncReport:
    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)

    stored: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [
            f"{self.stored.get(what, 0)} {what} ({self.added.get(what, 0)} added, "
            f"{self.changed.get(what, 0)} changed)"
            for what in ("regions", "municipalities", "population cells")
        ]
        return "; ".join(parts)


def _upsert(model, rows: list[dict], key: str, label: str, report: SyncReport) -> None:
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    new, changed = [], []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            new.append(model(**row))
            continue
        if any(getattr(obj, f) != v for f, v in row.items()):
            for f, v in row.items():
                setattr(obj, f, v)
            changed.append(obj)
    model.objects.bulk_create(new)
    if changed:
        model.objects.bulk_update(changed, [f for f in rows[0] if f != key])
    report.added[label] = len(new)
    report.changed[label] = len(changed)
    report.stored[label] = model.objects.count()


def sync_population(
    Population,
    rows: Iterable[files.PopulationRow],
    source: str,
    report: SyncReport,
    progress: Progress | None = None,
    keep_other_sources: bool = False,
) -> None:
    """Insert or update population cells; cells not named in ``rows`` are kept.

    ``keep_other_sources``: leave cells alone that came from another source
    (a correction imported by a user is not undone by the shipped data).
    """
    existing = {
        (p.year, p.region_id or p.municipality_id, p.sex, p.age_band): p
        for p in Population.objects.all()
    }
    new, changed = [], []
    for i, row in enumerate(rows, 1):
        key = (row.year, row.code, row.sex, row.age_band)
        obj = existing.get(key)
        if obj is None:
            area = (
                {"region_id": row.code} if row.level == "region" else {"municipality_id": row.code}
            )
            new.append(
                Population(
                    year=row.year,
                    sex=row.sex,
                    age_band=row.age_band,
                    population=row.population,
                    source=source,
                    **area,
                )
            )
        elif keep_other_sources and obj.source != source:
            pass
        elif obj.population != row.population or obj.source != source:
            obj.population, obj.source = row.population, source
            changed.append(obj)
        if progress and i % 2000 == 0:
            progress("population", 2000)
    Population.objects.bulk_create(new, batch_size=2000)
    Population.objects.bulk_update(changed, ["population", "source"], batch_size=2000)
    label = "population cells"
    report.added[label] = report.added.get(label, 0) + len(new)
    report.changed[label] = report.changed.get(label, 0) + len(changed)
    report.stored[label] = Population.objects.count()


def sync_reference_data(
    Region, Municipality, Population, progress: Progress | None = None
) -> SyncReport:
    """Upsert regions, municipalities and the shipped population in one transaction."""
    report = SyncReport()
    with transaction.atomic():
        region_rows = [
            dict(
                code=r.code,
                county_name=r.county_name,
                name=r.name,
                short_name=r.short_name,
                iso_code=r.iso_code,
            )
            for r in files.regions()
        ]
        _upsert(Region, region_rows, "code", "regions", report)
        if progress:
            progress("regions", len(region_rows))
        municipality_rows = [
            dict(code=m.code, name=m.name, full_name=m.full_name, region_id=m.region_code)
            for m in files.municipalities()
        ]
        _upsert(Municipality, municipality_rows, "code", "municipalities", report)
        if progress:
            progress("municipalities", len(municipality_rows))
        sync_population(
            Population,
            files.population(),
            files.POPULATION_SOURCE,
            report,
            progress,
            keep_other_sources=True,
        )
    return report
