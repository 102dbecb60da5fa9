"""The demo's follow-up round 2020: the 2019 survey and status reports, and the indicator
periods that the 2020 report could use."""

from __future__ import annotations

import datetime as dt

from naravard.collect.models import Round
from naravard.report.models import FollowUp


def build_followup_2020(survey_round: Round, status_round: Round) -> FollowUp:
    return FollowUp.objects.create(
        name="2020",
        title_sv="Omställningen till en god och nära vård – uppföljning 2020",
        title_en="The transition to good and close care – follow-up 2020",
        published_on=dt.date(2020, 6, 15),
        data_until=dt.date(2020, 3, 31),
        survey_round=survey_round,
        status_round=status_round,
    )
