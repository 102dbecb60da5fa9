"""Indicator data for the demo: the published 2020 figures, imported as an analyst would,
five years of register indicators computed from a small synthetic register, and five years of
demo values for costs, staffing, trust and specialist certificates (:mod:`naravard.demo.
resources`: invented, and their imports say so).

Tabell 2 keeps the report's spelling of the region names; the two misprints are
confirmed with aliases, exactly as an analyst confirms them on the command line.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from importlib import resources
from pathlib import Path

from django.utils import timezone

from naravard.demo.resources import build_resources
from naravard.engine.compute import run, store_cells
from naravard.ingest.derive import derive_survey
from naravard.ingest.importer import import_file
from naravard.publish.calendar import plan
from naravard.publish.open_data import public_indicators
from naravard.publish.releases import release_everything_stored
from naravard.synth.generator import Spec, generate

ACTOR = "demodata"
TABELL_2_ALIASES = ["Götaland=09", "Norrbottnen=25"]
REGISTER_YEARS = (2019, 2020, 2021, 2022, 2023)
REGISTER_SCALE = 0.01  # about 100 000 persons: small municipalities' cells are suppressed
REGISTER_SEED = 2019


def _demo_file(name: str) -> tuple[bytes, str]:
    return resources.files(__package__).joinpath("data", name).read_bytes(), name


def build_register() -> int:
    """Generate the synthetic register, compute its indicators and store them; returns the
    values stored."""

    with tempfile.TemporaryDirectory(prefix="naravard-register-") as tmp:
        root = Path(tmp)
        generate(root, Spec(REGISTER_SCALE, REGISTER_YEARS, REGISTER_SEED))
        report = run(root, list(REGISTER_YEARS))
        stored = store_cells(report, root, "auto", list(REGISTER_YEARS), actor=ACTOR)
    return stored["added"] + stored["changed"]


def build_all(survey_round=None, register: bool = False, later_survey_rounds=()) -> int:
    """Import the demo files (after the synthetic register when ``register``), derive the
    survey indicators of ``survey_round`` and ``later_survey_rounds`` and publish them all;
    returns values stored."""
    stored = build_register() if register else 0
    data, name = _demo_file("tabell2-webbtidbok-2020-03.csv")
    report = import_file(name, None, data=data, name=name, aliases=TABELL_2_ALIASES, actor=ACTOR)
    stored += report.plan.added + sum(report.derived.values())
    data, name = _demo_file("named-doctor-2022.csv")
    report = import_file(name, "named_doctor_share", data=data, name=name, actor=ACTOR)
    stored += report.plan.added
    stored += build_resources()
    for rnd in [survey_round, *later_survey_rounds]:
        if rnd is not None:
            stored += sum(derive_survey(rnd, actor=ACTOR).values())
    release_everything_stored(actor=ACTOR, note="demons årliga publicering")
    plan_next_releases()
    return stored


def plan_next_releases(today: dt.date | None = None) -> int:
    """The release calendar of the demo: each published indicator's next period planned for
    a weekday in the coming months, one of them moved; returns the number planned."""
    today = today or timezone.localdate()
    planned = 0
    for i, pub in enumerate(public_indicators()):
        ind = pub.indicator
        day = today + dt.timedelta(days=14 + 21 * (i % 8))
        if day.weekday() >= 5:  # a Saturday or Sunday: the Monday after
            day += dt.timedelta(days=7 - day.weekday())
        plan(ind.id, ind.next_period(pub.periods[-1]), day, actor=ACTOR)
        planned += 1
        if i == 0:
            plan(
                ind.id,
                ind.next_period(pub.periods[-1]),
                day + dt.timedelta(days=14),
                actor=ACTOR,
                note="Källan levererar senare än väntat.",
            )
    return planned
