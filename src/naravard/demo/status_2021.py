"""The 2021 status reports of the demo's eight regions with written texts (form
nulagesrapport-2021), invented for the demo from ``data/nulagesrapporter-2021.yaml``.

A report starts as the web form starts it (:func:`naravard.collect.initiatives.
starting_answers`): the region's initiatives of its 2019 report carried over with their ids.
The data file says, by those ids, what became of each initiative by October 2021 (a new stage,
or ended, or merged into another) and which initiatives were added; the written texts replace
the 2019 ones. Amounts are drawn from a random generator seeded by the caller: the funds
received grow from the 2019 answer as the agreements grew, and each initiative that goes on
gets a cost. Nothing here stores anything; :mod:`naravard.demo.followup_2022` imports the
reports into a historical round whose pages say that they are invented (:data:`NOTE_SV`,
:data:`NOTE_EN`).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml

from naravard.collect import initiatives
from naravard.collect.models import Response
from naravard.collect.statusreport import (
    CONTINUATION,
    ENDED,
    INITIATIVE_ID,
    INITIATIVES,
    MERGED,
    NEW,
)
from naravard.core.errors import Invalid

FORM = "nulagesrapport-2021"
TEXTS = (
    "beslut.beskrivning",
    "organisation.beskrivning",
    "forandringar.beskrivning",
    "forandringar.hinder",
    "ekonomi.beskrivning",
)
FUNDS_GROWTH = (1.3, 1.5)  # funds received in 2021 against 2019
FUNDS_USED = (0.75, 1.0)  # the share of them used
COST_SHARE = (0.05, 0.25)  # an initiative's cost, as a share of the funds used

NOTE_SV = (
    "Nulägesrapporterna i den här omgången är påhittade för demon: åtta regioners rapporter "
    "bygger vidare på deras påhittade rapporter 2019, med insatser som gått vidare, avslutats "
    "eller slagits samman och några nya. Ingen region har lämnat dem."
)
NOTE_EN = (
    "The status reports in this round are invented for the demo: eight regions' reports build "
    "on their invented 2019 reports, with initiatives that moved on, ended or were merged and a "
    "few new ones. No region has submitted them."
)


class PlanError(Invalid):
    """The data file does not fit the region's carried initiatives (a mistake in the demo's
    data, found when the demo is built)."""


def plans() -> dict[str, dict[str, Any]]:
    """What each region reports in 2021 (region code -> plan), as the data file says."""
    raw = resources.files(__package__).joinpath("data", "nulagesrapporter-2021.yaml")
    return yaml.safe_load(raw.read_text(encoding="utf-8"))


def status_report_2021(
    response: Response, plan: Mapping[str, Any], previous: Mapping[str, Any], rng: random.Random
) -> dict[str, Any]:
    """The 2021 answers of ``response`` (a region's response nobody has saved yet): its
    carried initiatives changed as ``plan`` says, the plan's new initiatives, its texts, and
    amounts drawn with ``rng`` from the region's 2019 answers ``previous``."""
    start, _carried = initiatives.starting_answers(response, {})
    carried = {row[INITIATIVE_ID]: row for row in start.get(INITIATIVES, [])}
    changes: dict[str, dict] = plan.get("insatser") or {}
    if set(changes) != set(carried):
        raise PlanError(
            f"nulagesrapporter-2021.yaml, region {response.org_code}: the plan names "
            f"{sorted(changes)}, but the 2019 report carries {sorted(carried)}"
        )
    received = round(float(previous["medel.erhallna"]) * rng.uniform(*FUNDS_GROWTH), -3)
    used = round(received * rng.uniform(*FUNDS_USED), -3)
    rows = []
    for row_id, row in carried.items():
        row = {**row, **changes[row_id]}
        if row.get(CONTINUATION) not in (ENDED, MERGED):
            row["kostnad"] = str(int(round(used * rng.uniform(*COST_SHARE), -3)))
        rows.append(row)
    for new in plan.get("nya") or []:
        rows.append(
            {
                **new,
                CONTINUATION: NEW,
                "kostnad": str(int(round(used * rng.uniform(*COST_SHARE), -3))),
            }
        )
    return {
        "beslut.strategi": "ja",
        "beslut.ar": str(plan["beslut.ar"]),
        "organisation.samordnare": "ja",
        **{item: plan[item] for item in TEXTS},
        "medel.erhallna": str(int(received)),
        "medel.anvanda": str(int(used)),
        INITIATIVES: rows,
    }
