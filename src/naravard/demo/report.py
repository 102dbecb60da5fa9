"""The demo's follow-ups, created as an analyst creates them, and their published reports.

2020: the 2019 survey and status reports, and the indicator periods to 31 March 2020; its
report carries the analysts' texts written for the demo (data/rapport-2020/, stored by
:func:`store_texts_2020` before the report is published).
2022: the 2021 survey (synthetic answers) and status reports (invented, eight regions), and
the indicator periods to 31 December 2021 (:mod:`naravard.demo.followup_2022`).

The demo publishes both reports so that ``/rapporter/`` and the region pages show them, in
Swedish only (:data:`LANGUAGES`): a report with its PDF takes the better part of a minute to
build, and the English pages show a follow-up's Swedish report where there is no English one
(``naravard report publish --round 2022 --lang en --override REASON`` adds it). No
fact-check is held in the demo, so each is published with the reason
:data:`PUBLISHED_WITHOUT_FACTCHECK` (in the report's language), which the report's method
section prints, as an analyst publishing before the fact-check is done would give one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from naravard.collect.models import Round
from naravard.report import texts
from naravard.report.build import publish
from naravard.report.followups import create_followup
from naravard.report.models import FollowUp, PublishedReport, ReportText

ACTOR = "demodata"
LANGUAGES = ("sv",)
# the analysts' texts of the 2020 report: written for the demo, in Swedish, every number an
# expression evaluated when the report is built
TEXTS_2020 = Path(__file__).parent / "data" / "rapport-2020"
TEXT_AUTHOR = "demo"
PUBLISHED_WITHOUT_FACTCHECK = {
    "sv": "Demon publicerar rapporten utan faktagranskning; regionernas profiler bygger på "
    "påhittade nulägesrapporter.",
    "en": "The demo publishes the report without a fact-check; the region profiles rest on "
    "invented status reports.",
}


def build_followup_2020(survey_round: Round, status_round: Round) -> FollowUp:
    return create_followup(
        "2020",
        survey_round=survey_round,
        status_round=status_round,
        data_until=dt.date(2020, 3, 31),
        published_on=dt.date(2020, 6, 15),
        title_sv="Omställningen till en god och nära vård – uppföljning 2020",
        title_en="The transition to good and close care – follow-up 2020",
        actor=ACTOR,
    )


def store_texts_2020(followup: FollowUp) -> list[ReportText]:
    """Store the 2020 report's texts (:data:`TEXTS_2020`, one ``<key>.sv.md`` per chapter, as
    ``naravard report text export`` writes them) as the analysts' texts of ``followup``, by
    :data:`TEXT_AUTHOR`. Their expressions read the register's indicators and the demo's
    resources, so the report builds only after ``build_all(register=True)``."""
    return texts.save_many(followup, texts.read_files(TEXTS_2020), TEXT_AUTHOR)


def build_followup_2022(survey_round: Round, status_round: Round) -> FollowUp:
    return create_followup(
        "2022",
        survey_round=survey_round,
        status_round=status_round,
        data_until=dt.date(2021, 12, 31),
        published_on=dt.date(2022, 6, 15),
        title_sv="Omställningen till en god och nära vård – uppföljning 2022",
        title_en="The transition to good and close care – follow-up 2022",
        actor=ACTOR,
    )


def publish_reports(
    followups: list[FollowUp],
    languages: tuple[str, ...] = LANGUAGES,
    advance: Callable[[], None] | None = None,
) -> list[PublishedReport]:
    """Publish each follow-up's report in each language (HTML and PDF), as
    ``naravard report publish --override`` does; ``advance`` is called after each."""
    out = []
    for f in followups:
        for lang in languages:
            out.append(
                publish(f.name, lang, actor=ACTOR, override=PUBLISHED_WITHOUT_FACTCHECK[lang])
            )
            if advance:
                advance()
    return out
