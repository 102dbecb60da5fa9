"""Rounds for the demo: the 2019 survey and status reports, and an open round to try out
(of the 2021 survey; the 2021 rounds themselves are built by :mod:`naravard.demo.followup_2022`).

The 226 survey responses reproduce the published marginals of the 2020
follow-up report (tools/make_kommunenkat_2019.py). The regions' status
reports are invented for the demo, from short phrases or, for eight regions,
longer texts written for it (demo_data/nulagesrapporter-2019.yaml); they are
not real.

Both 2019 rounds are imported as collected before naravard existed, so each
response carries the day it was submitted then, not the day the demo was built:
made-up but plausible times on working days in the last weeks before the
deadline (status reports 23 September – 15 October 2019, deadline 15 October;
survey 7 – 27 January 2020, after the holidays, deadline 27 January), more of
them close to the deadline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from importlib import resources

import yaml
from django.utils import timezone

from naravard.collect import services, tabular
from naravard.collect.definition import get_form
from naravard.collect.models import STOCKHOLM, Round
from naravard.core.tables import read_table
from naravard.demo import survey_2021
from naravard.demo.coding import code_demo_texts
from naravard.publish.releases import publish_round
from naravard.refdata.models import Municipality, Region
from naravard.refdata.population import totals

ACTOR = "demodata"


def nine_oclock(day: dt.date) -> dt.datetime:
    """Nine in the morning, Swedish time, of ``day``: when the demo's rounds open."""
    return dt.datetime.combine(day, dt.time(9), tzinfo=STOCKHOLM)


def survey_rows():
    form = get_form("kommunenkat-2019")
    data = resources.files(__package__).joinpath("data", "kommunenkat-2019.csv").read_bytes()
    header, rows = read_table("kommunenkat-2019.csv", data)
    return tabular.parse_rows(form, header, rows)


def survey_rows_2021() -> list[services.ImportRow]:
    """The municipalities' synthetic answers to the 2021 survey (:mod:`naravard.demo.
    survey_2021`), one row for each municipality that answers."""
    municipalities = Municipality.objects.values_list("code", "region_id")
    return survey_2021.synthetic_rows(survey_rows(), list(municipalities))


def submission_times(
    rows: list[services.ImportRow], first: dt.date, deadline: dt.date, seed: int
) -> list[services.ImportRow]:
    """The rows with a plausible submission time each: a working day from ``first`` to the
    deadline (later days likelier), between 08:00 and 17:00 Swedish time."""
    rng = random.Random(seed)
    days = [first + dt.timedelta(n) for n in range((deadline - first).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    weights = [1 + 3 * n / len(days) for n in range(len(days))]
    out = []
    for row in rows:
        day = rng.choices(days, weights)[0]
        at = dt.datetime.combine(
            day, dt.time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=STOCKHOLM
        )
        out.append(dataclasses.replace(row, submitted_at=at))
    return out


def build_survey_2019() -> Round:
    rnd = services.open_round(
        "kommunenkat-2019",
        dt.date(2020, 1, 27),
        actor=ACTOR,
        title="Enkät till kommunerna 2019",
        year=2019,
        opened_at=nine_oclock(dt.date(2019, 12, 16)),
    )
    rows = submission_times(survey_rows(), dt.date(2020, 1, 7), rnd.deadline, seed=2020)
    services.import_rows(rnd, rows, actor=ACTOR, require=False, allow_locked=True)
    return rnd


STRATEGY = [
    "Regionfullmäktige har antagit en strategi för nära vård med mål till 2025.",
    "En gemensam målbild med länets kommuner är beslutad i den politiska samverkansberedningen.",
    "Omställningen ingår i regionplanen och i budgeten för kommande tre år.",
    "Ett inriktningsbeslut är fattat; en handlingsplan tas fram under nästa år.",
]
ORGANISATION = [
    "En programledare för nära vård leder ett kansli med fyra utvecklare.",
    "Omställningen drivs i linjen med stöd av en samordnare och en styrgrupp med kommunerna.",
    "Ett programkontor samordnar arbetet och rapporterar till regiondirektören.",
]
CHANGES = [
    "Mobila team för äldre med stora behov har startat i två kommuner.",
    "Alla vårdcentraler erbjuder nu bokning via webbtidbok.",
    "Fast vårdkontakt har införts för patienter med flera kroniska sjukdomar.",
    "Digitala vårdbesök erbjuds i hela länet.",
    "Rehabilitering i hemmet sker i samarbete med kommunerna.",
]
OBSTACLES = [
    "Brist på specialister i allmänmedicin bromsar arbetet.",
    "Olika journalsystem försvårar informationsöverföring till kommunerna.",
    "Framgångsfaktor: tidig dialog med professionerna och kommunerna.",
]
INITIATIVES = {
    "omstallning": [
        "Mobilt närvårdsteam",
        "Gemensam målbild med kommunerna",
        "Hälsocentral på landsbygden",
    ],
    "tillganglighet": [
        "Webbtidbok på alla vårdcentraler",
        "Digital första linje",
        "Utökade öppettider",
    ],
    "patientkontrakt": [
        "Patientkontrakt för multisjuka",
        "Fast vårdkontakt",
        "Samordnad individuell plan digitalt",
    ],
    "it_stod": ["Taligenkänning i journalen", "Gemensam läkemedelslista"],
    "kompetensanvandning": ["Undersköterskor avlastar sjuksköterskor", "Apotekare i primärvården"],
    "kompetensforsorjning": [
        "Fler ST-tjänster i allmänmedicin",
        "Betald specialistutbildning för sjuksköterskor",
    ],
    "arbetssituation": [
        "Schemaläggning med större inflytande",
        "Ledarutveckling för chefer i primärvården",
    ],
}
TARGET_GROUPS = [
    "äldre med stora behov",
    "invånare i hela länet",
    "personer med psykisk ohälsa",
    "medarbetare i primärvården",
    "barn och unga",
]


def written_status_reports() -> dict[str, dict]:
    """Free-text answers written for the demo for some regions (region code -> answers)."""
    raw = resources.files(__package__).joinpath("data", "nulagesrapporter-2019.yaml")
    return yaml.safe_load(raw.read_text(encoding="utf-8"))


def status_report(
    region: Region, population: int, rng: random.Random, written: dict | None = None
) -> dict:
    """A made-up but plausible status report for one region; ``written`` answers (the demo's
    longer texts) replace the phrases drawn at random."""
    decided = rng.random() < 0.8
    received = round(population * rng.uniform(140, 160), -3)
    used = round(received * rng.uniform(0.55, 1.0), -3)
    rows = []
    for area in rng.sample(sorted(INITIATIVES), rng.randint(3, 6)):
        rows.append(
            {
                "omrade": area,
                "beskrivning": rng.choice(INITIATIVES[area]),
                "malgrupp": rng.choice(TARGET_GROUPS),
                "skede": rng.choices(
                    ["planerad", "pilot", "bred_inforing", "ordinarie_drift"], weights=[3, 5, 2, 1]
                )[0],
                "startar": str(rng.randint(2016, 2020)),
                "kostnad": str(int(round(used * rng.uniform(0.05, 0.3), -3))),
            }
        )
    return {
        "beslut.strategi": "ja" if decided else "nej",
        "beslut.ar": str(rng.randint(2017, 2019)) if decided else "",
        "beslut.beskrivning": rng.choice(STRATEGY),
        "organisation.samordnare": "ja" if rng.random() < 0.85 else "nej",
        "organisation.beskrivning": rng.choice(ORGANISATION),
        "forandringar.beskrivning": " ".join(rng.sample(CHANGES, 2)),
        "forandringar.hinder": rng.choice(OBSTACLES),
        "ekonomi.beskrivning": "Medlen från överenskommelserna används till utvecklingsarbete; "
        "ordinarie budget omfördelas stegvis till primärvården.",
        "medel.erhallna": str(int(received)),
        "medel.anvanda": str(int(used)),
        "insatser": rows,
    } | _written(written, rng)


def _written(written: dict | None, rng: random.Random) -> dict:
    if not written:
        return {}
    out = dict(written)
    if "insatser" in out:
        out["insatser"] = [
            {"startar": str(rng.randint(2016, 2020)), **row} for row in out["insatser"]
        ]
    return out


def build_status_reports_2019() -> Round:
    rnd = services.open_round(
        "nulagesrapport-2019",
        dt.date(2019, 10, 15),
        actor=ACTOR,
        title="Nulägesrapporter 2019",
        year=2019,
        opened_at=nine_oclock(dt.date(2019, 9, 2)),
    )
    rng = random.Random(2019)
    population = totals("region", 2019)
    written = written_status_reports()
    rows = [
        services.ImportRow(
            n,
            region.code,
            status_report(region, population[region.code], rng, written.get(region.code)),
        )
        for n, region in enumerate(Region.objects.all(), start=2)
    ]
    rows = submission_times(rows, dt.date(2019, 9, 23), rnd.deadline, seed=2019)
    services.import_rows(rnd, rows, actor=ACTOR, allow_locked=True)
    return rnd


PRACTICE_NOTE_SV = (
    "Omgången är till för att prova naravard. De svar som redan finns är syntetiska, "
    "framräknade ur kommunernas svar 2019."
)
PRACTICE_NOTE_EN = (
    "This round is for trying out naravard. The answers already in it are synthetic, derived "
    "from the municipalities' answers in 2019."
)


def build_practice_round() -> Round:
    """An open round of the newest survey (kommunenkat-2021) where part of the country has
    answered, to try things out: synthetic answers (:mod:`naravard.demo.survey_2021`) of 30
    municipalities that answered in 2019, and drafts of a few more. The municipalities that
    did not answer in 2019 have not answered it (the browser tests answer as one of them)."""
    rnd = services.open_round(
        survey_2021.FORM_2021,
        timezone.localdate() + dt.timedelta(days=45),
        actor=ACTOR,
        title="Enkät till kommunerna – övningsomgång i demon",
    )
    rnd.note_sv, rnd.note_en = PRACTICE_NOTE_SV, PRACTICE_NOTE_EN
    rnd.save(update_fields=["note_sv", "note_en"])
    answered_2019 = {row.org for row in survey_rows()}
    rows = [row for row in survey_rows_2021() if row.org in answered_2019]
    responses = {r.org_code: r for r in rnd.responses.all()}
    rng = random.Random(7)
    for row in rng.sample(rows, 40)[:30]:
        services.save(
            responses[row.org],
            row.answers,
            actor=ACTOR,
            submit=True,
            strict_skips=True,
            as_analyst=True,
            require=False,
        )
    for row in rng.sample(rows, 10):
        response = responses[row.org]
        response.refresh_from_db()
        if response.status == "not_started":
            services.save(response, {k: v for k, v in list(row.answers.items())[:5]}, actor=ACTOR)
    return rnd


def build_all() -> list[Round]:
    """The demo's rounds; the status reports' texts are coded by the demo's two analysts."""
    rounds = [build_survey_2019(), build_status_reports_2019()]
    services.lock_due_rounds()

    code_demo_texts()
    for rnd in rounds:
        publish_round(rnd.pk, actor=ACTOR)
    rounds.append(build_practice_round())
    return rounds
