"""The demo's second follow-up, 2022: the 2021 municipal survey and the 2021 status reports,
recorded as historical rounds (collected before, imported by an analyst with each answer's own
submission time) and published as the 2019 rounds are.

Neither holds real answers: the survey's are synthetic, made from each municipality's 2019
answers (:mod:`naravard.demo.survey_2021`), and the status reports are invented for the eight
regions that have written 2019 texts (:mod:`naravard.demo.status_2021`), each starting from
its 2019 initiatives as the web form starts it. Each round carries a note saying so, which its
pages, the public pages and the report's method section show (``Round.note``).

Both are deterministic: the same answers and submission times every time the demo is built.
Submission times are working days before the deadline, later days likelier
(:func:`naravard.demo.rounds.submission_times`): the survey 10 – 31 January 2022 (deadline
31 January, opened 13 December 2021), the status reports 20 September – 15 October 2021
(deadline 15 October, opened 1 September).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from naravard.collect import services
from naravard.collect.models import Round
from naravard.demo import status_2021, survey_2021
from naravard.demo.rounds import ACTOR, nine_oclock, submission_times, survey_rows_2021
from naravard.publish.releases import publish_round

SURVEY_DEADLINE = dt.date(2022, 1, 31)
STATUS_DEADLINE = dt.date(2021, 10, 15)


def with_note(rnd: Round, sv: str, en: str) -> Round:
    """Give ``rnd`` the note its pages and the report show beside its answers."""
    rnd.note_sv, rnd.note_en = sv, en
    rnd.save(update_fields=["note_sv", "note_en"])
    return rnd


@transaction.atomic
def build_survey_2021() -> Round:
    rnd = services.open_round(
        survey_2021.FORM_2021,
        SURVEY_DEADLINE,
        actor=ACTOR,
        title="Enkät till kommunerna 2021",
        year=2021,
        opened_at=nine_oclock(dt.date(2021, 12, 13)),
        historical=True,
    )
    with_note(rnd, survey_2021.NOTE_SV, survey_2021.NOTE_EN)
    rows = submission_times(survey_rows_2021(), dt.date(2022, 1, 10), rnd.deadline, seed=2022)
    services.import_rows(rnd, rows, actor=ACTOR, require=False)
    return rnd


@transaction.atomic
def build_status_reports_2021() -> Round:
    rnd = services.open_round(
        status_2021.FORM,
        STATUS_DEADLINE,
        actor=ACTOR,
        title="Nulägesrapporter 2021",
        year=2021,
        opened_at=nine_oclock(dt.date(2021, 9, 1)),
        historical=True,
    )
    with_note(rnd, status_2021.NOTE_SV, status_2021.NOTE_EN)
    plans = status_2021.plans()
    responses = {r.org_code: r for r in rnd.responses.select_related("round", "region")}
    rng = random.Random(2021)
    rows = [
        services.ImportRow(
            n,
            code,
            status_2021.status_report_2021(
                responses[code], plans[code], services.previous_answers(responses[code]), rng
            ),
        )
        for n, code in enumerate(sorted(plans), start=2)
    ]
    rows = submission_times(rows, dt.date(2021, 9, 20), rnd.deadline, seed=2021)
    services.import_rows(rnd, rows, actor=ACTOR)
    return rnd


def build_rounds_2021() -> tuple[Round, Round]:
    """The 2021 survey and status-report rounds, their results published; (survey, status)."""
    survey, status = build_survey_2021(), build_status_reports_2021()
    for rnd in (survey, status):
        publish_round(rnd.pk, actor=ACTOR)
    return survey, status
