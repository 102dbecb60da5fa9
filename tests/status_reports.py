"""Status reports of two rounds for the tests of initiatives followed over time: a 2019 round
(the form without ids) with regions' submitted initiatives, and an open 2021 round; and the
transition table those two regions' reports make, counted by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from naravard.collect import services
from naravard.collect.models import STOCKHOLM, Response, Round

# The answers of a status report besides its initiatives (the same both years, so that the
# change-from-last-year checks on the amounts stay quiet).
REPORT = {
    "beslut.strategi": "ja",
    "beslut.ar": "2019",
    "beslut.beskrivning": "En strategi för nära vård är beslutad.",
    "organisation.samordnare": "ja",
    "organisation.beskrivning": "En samordnare leder arbetet.",
    "forandringar.beskrivning": "Mobila team har startat.",
    "medel.erhallna": "1000000",
    "medel.anvanda": "800000",
}


def initiative(area: str, text: str, stage: str, **more: str) -> dict[str, str]:
    return {"omrade": area, "beskrivning": text, "skede": stage, **more}


# Region 03's three initiatives in 2019 (the hand-counted example) and region 01's one.
UPPSALA_2019 = [
    initiative("omstallning", "Mobilt team", "pilot"),
    initiative("tillganglighet", "Digital första linje", "pilot"),
    initiative("omstallning", "Hälsosamtal", "planerad"),
]
STOCKHOLM_2019 = [initiative("it_stod", "Taligenkänning", "ordinarie_drift")]


def open_2019(rows_by_region: dict[str, list[dict]]) -> Round:
    """The 2019 status-report round, closed, with each region's initiatives submitted."""
    rnd = services.open_round(
        "nulagesrapport-2019",
        dt.date(2019, 10, 15),
        actor="test",
        year=2019,
        opened_at=dt.datetime(2019, 9, 2, 9, tzinfo=STOCKHOLM),
    )
    services.import_rows(
        rnd,
        [
            services.ImportRow(n, code, {**REPORT, "insatser": rows})
            for n, (code, rows) in enumerate(rows_by_region.items(), start=2)
        ],
        actor="test",
        allow_locked=True,
    )
    return rnd


def open_2021() -> Round:
    """An open round of the 2021 status report."""
    return services.open_round(
        "nulagesrapport-2021", timezone.localdate() + dt.timedelta(days=30), actor="test", year=2021
    )


def response(rnd: Round, code: str) -> Response:
    return rnd.responses.select_related("round", "region").get(region_id=code)


def submit(rnd: Round, code: str, rows: list[dict[str, Any]], **kw) -> services.SaveResult:
    """Save and submit a region's report in ``rnd`` with these initiatives."""
    return services.save(
        response(rnd, code), {**REPORT, "insatser": rows}, actor="test", submit=True, **kw
    )


# What region 03 says of its initiatives in 2021: the first went from pilot to broad rollout,
# the second ended while a pilot, the third (planned) was merged into the first; one is new.
UPPSALA_2021 = [
    {
        **initiative("omstallning", "Mobilt team", "bred_inforing"),
        "insats_id": "03-2019-1",
        "status": "fortsatter",
    },
    {
        **initiative("tillganglighet", "Digital första linje", "pilot"),
        "insats_id": "03-2019-2",
        "status": "avslutad",
    },
    {
        **initiative("omstallning", "Hälsosamtal", "planerad"),
        "insats_id": "03-2019-3",
        "status": "sammanslagen",
        "sammanslagen_med": "03-2019-1",
    },
    initiative("omstallning", "Äldremottagning", "pilot"),
]
STOCKHOLM_2021 = [
    {
        **initiative("it_stod", "Taligenkänning", "ordinarie_drift"),
        "insats_id": "01-2019-1",
        "status": "fortsatter",
    },
]


def followed_into_2021(*, stockholm: bool = True) -> tuple[Round, Round]:
    """The 2019 round with Uppsala's and Stockholm's initiatives, and the open 2021 round in
    which Uppsala, and Stockholm unless ``stockholm`` is false, has submitted its report."""
    r2019 = open_2019({"03": UPPSALA_2019, "01": STOCKHOLM_2019})
    r2021 = open_2021()
    assert submit(r2021, "03", UPPSALA_2021).submitted
    if stockholm:
        assert submit(r2021, "01", STOCKHOLM_2021).submitted
    return r2019, r2021


# A transition table's header: the stage in the report before, then each stage and outcome
# in the report after, then the total.
TRANSITIONS_HEADER = [
    "Skede i förra rapporten",
    "Planerad",
    "Pilot",
    "Bred införing",
    "Ordinarie drift",
    "Avslutad",
    "Sammanslagen",
    "Totalt",
]

# The rows of the table counted by hand (the stage before; how many went to each column of
# TRANSITIONS_HEADER; the total): Uppsala's initiatives from 2019 to 2021, and Stockholm's.
UPPSALA_MOVES = [
    ["Planerad", 0, 0, 0, 0, 0, 1, 1],
    ["Pilot", 0, 0, 1, 0, 1, 0, 2],
    ["Ny insats", 0, 1, 0, 0, 0, 0, 1],
]
STOCKHOLM_MOVES = [["Ordinarie drift", 0, 0, 0, 1, 0, 0, 1]]


def as_text(rows: list[list[Any]]) -> list[list[str]]:
    """Table rows as a page prints them: every cell as text."""
    return [[str(cell) for cell in row] for row in rows]
