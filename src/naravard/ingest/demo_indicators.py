"""Indicator data for the demo: the published 2020 figures, imported as an analyst would.

Tabell 2 keeps the report's spelling of the region names; the two misprints are
confirmed with aliases, exactly as an analyst confirms them on the command line.
"""

from __future__ import annotations

from importlib import resources

from naravard.ingest.derive import derive_survey
from naravard.ingest.importer import import_file
from naravard.publish.releases import release_everything_stored

ACTOR = "demo data"
TABELL_2_ALIASES = ["Götaland=09", "Norrbottnen=25"]


def _demo_file(name: str) -> tuple[bytes, str]:
    return resources.files(__package__).joinpath("demo_data", name).read_bytes(), name


def build_all(survey_round=None) -> int:
    """Import the demo files, derive the survey indicators and publish them all; returns
    values stored."""
    stored = 0
    data, name = _demo_file("tabell2-webbtidbok-2020-03.csv")
    report = import_file(name, None, data=data, name=name, aliases=TABELL_2_ALIASES, actor=ACTOR)
    stored += len(report.plan.added) + sum(report.derived.values())
    data, name = _demo_file("named-doctor-2022.csv")
    report = import_file(name, "named_doctor_share", data=data, name=name, actor=ACTOR)
    stored += len(report.plan.added)
    if survey_round is not None:
        stored += sum(derive_survey(survey_round, actor=ACTOR).values())
    release_everything_stored(actor=ACTOR, note="the demo's annual release")
    return stored
