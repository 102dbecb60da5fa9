"""Run the register indicators on a backend and store the results with provenance."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from naravard.catalog.catalogue import get_indicator
from naravard.engine.backends import Session
from naravard.engine.indicators import DEFINITIONS, Definition
from naravard.engine.schemas import validate_dataset
from naravard.ingest.store import Observation, store_observations


@dataclass(frozen=True)
class Cell:
    indicator_id: str
    org: str
    period: str
    sex: str
    numerator: float | None
    denominator: float | None
    value: float | None
    age_band: str = "total"


@dataclass
class RunReport:
    cells: list[Cell] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def _cells(definition: Definition, rows: list[dict]) -> list[Cell]:
    """Cells for every organisation, sex and age band, with totals summed from the parts:
    municipalities add up to regions, women and men to T, age bands to 'total'. A mean keeps
    only its number of persons (for disclosure control), not the sum behind it.

    The same register gives the same cells to the last digit: the rows are added in one order
    whatever order the backend returns them in, and each engine's own sums (which a parallel
    engine adds in varying order) are taken to SIGNIFICANT digits first."""
    sums: dict[tuple, list[float]] = {}
    records = [
        {**r, "numerator": _steady(r["numerator"]), "denominator": _steady(r["denominator"])}
        for r in rows
    ]
    records.sort(
        key=lambda r: tuple(str(r.get(k, "")) for k in ("year", "org", "month", "sex", "age_band"))
    )
    for r in records:
        org = str(r["org"])
        orgs = [org, org[:2]] if len(org) == 4 else [org]
        sexes = [r["sex"], "T"] if "sex" in r else ["T"]
        ages = [r["age_band"], "total"] if "age_band" in r else ["total"]
        for o in orgs:
            for sex in sexes:
                for age in ages:
                    acc = sums.setdefault((o, _period(r), sex, age), [0.0, 0.0])
                    acc[0] += float(r["numerator"])
                    acc[1] += float(r["denominator"])
    mean = definition.kind == "mean"
    out = [
        Cell(
            definition.indicator_id,
            org,
            period,
            sex,
            None if mean else num,
            den,
            definition.scale * num / den if den else None,
            age,
        )
        for (org, period, sex, age), (num, den) in sums.items()
    ]
    return sorted(out, key=lambda c: (c.indicator_id, c.period, c.org, c.sex, c.age_band))


SIGNIFICANT = 12  # far beyond any published decimal, far above a float sum's jitter (1e-16)


def _steady(value) -> float:
    """A backend's sum without the last digits that its order of adding may change."""
    return float(f"{float(value):.{SIGNIFICANT}g}")


def _period(record: dict) -> str:
    year = int(record["year"])
    return f"{year}-{int(record['month']):02d}" if "month" in record else str(year)


def run(
    root: Path,
    years: list[int],
    backend: str = "auto",
    indicators: list[str] | None = None,
    validate: bool = True,
    spark_master: str | None = None,
) -> RunReport:
    """Compute every (or the named) register indicator for ``years``; ``auto`` runs each on
    its faster local backend, a named backend runs them all (Spark on ``spark_master``,
    engine/backends.py)."""
    report = RunReport()
    if validate:  # every year is read (readmissions look ahead), so every year is checked
        report.rows = validate_dataset(root)
    session = Session(root, backend, spark_master)
    for definition in DEFINITIONS:
        if indicators and definition.indicator_id not in indicators:
            continue
        report.cells += _cells(definition, session.run(definition, years))
    return report


def store_cells(
    report: RunReport, root: Path, backend: str, years: list[int], *, actor: str, user=None
) -> dict[str, int]:
    """Write computed cells into the indicator store (history and provenance as for imports)."""

    observations = []
    for c in report.cells:
        if c.value is None:
            continue
        ind = get_indicator(c.indicator_id)
        observations.append(
            Observation(
                0,
                ind,
                c.org,
                ind.normal_period(c.period),
                c.sex,
                c.value,
                c.numerator,
                c.denominator,
                c.age_band,
            )
        )
    fingerprint = hashlib.sha256(json.dumps(report.rows, sort_keys=True).encode()).hexdigest()
    plan, _batch = store_observations(
        observations,
        kind="computed",
        file_name=str(root)[:255],
        sha256=fingerprint,
        actor=actor,
        user=user,
        note=f"computed on {backend} for {', '.join(map(str, years))}; rows: "
        + ", ".join(f"{k} {v}" for k, v in report.rows.items()),
    )
    return {"added": plan.added, "changed": plan.changed, "unchanged": plan.unchanged}
