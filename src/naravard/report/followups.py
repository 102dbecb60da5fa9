"""Follow-ups as analysts make them: what a new follow-up must be built from, and its creation.

A follow-up is made of closed rounds: a municipal survey (a form asked of the
municipalities) and a round of the regions' status reports, both locked, and the indicator
periods up to a day on or before the day it is published. The command line
(``naravard followup create``) and the analysts' page both go through
:func:`create_followup`, so the same input is refused with the same message everywhere, and
nothing is stored unless everything holds.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from naravard.collect.models import Round
from naravard.core.errors import Invalid
from naravard.core.text import clean_text
from naravard.report.models import FollowUp, PublishedReport, ReportEvent, ReportEventKind

NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]*")


def _max_length(field: str) -> int:
    length = getattr(FollowUp._meta.get_field(field), "max_length", None)
    assert isinstance(length, int), f"FollowUp.{field} is a CharField"
    return length


NAME_LENGTH = _max_length("name")
TITLE_LENGTH = _max_length("title_sv")

# The fields of a new follow-up, in the order their problems are told.
FIELDS = (
    "name",
    "survey_round",
    "status_round",
    "data_until",
    "published_on",
    "title_sv",
    "title_en",
)

# The rounds a follow-up takes, and the audience each one's form must be asked of.
AUDIENCE = {"survey_round": "municipality", "status_round": "region"}


class FollowUpRefused(Invalid):
    """A follow-up that cannot be created as asked; nothing was stored. ``problems`` names
    the field at fault (a name of :data:`FIELDS`) and what is wrong with it."""

    def __init__(self, problems: dict[str, str]):
        self.problems = {f: problems[f] for f in FIELDS if f in problems}
        super().__init__(" ".join(self.problems.values()))


def default_titles(name: str) -> tuple[str, str]:
    """The Swedish and English titles of a follow-up that is not given any."""
    return (
        f"Uppföljning av omställningen till god och nära vård {name}",
        f"Follow-up of the transition to good and close care {name}",
    )


def _day(value: dt.date | str | None, problems: dict[str, str], field: str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = (value or "").strip()
    if not text:
        problems[field] = _("Ange ett datum.")
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        problems[field] = _("”%(text)s” är inte ett datum ÅÅÅÅ-MM-DD.") % {"text": text}
        return None


def _round(value: Round | int | str | None, problems: dict[str, str], field: str) -> Round | None:
    """The round ``value`` names, if it exists, is asked of the right audience and is closed."""
    if isinstance(value, Round):
        rnd: Round | None = value
    else:
        text = str(value if value is not None else "").strip()
        if not text:
            problems[field] = _("Välj en omgång.")
            return None
        if not text.isdigit():
            problems[field] = _("”%(text)s” är inte ett omgångsnummer.") % {"text": text}
            return None
        rnd = Round.objects.filter(pk=int(text)).first()
        if rnd is None:
            problems[field] = _("Det finns ingen omgång %(id)s.") % {"id": text}
            return None
    assert rnd is not None
    level = rnd.form.audience_level
    if level != AUDIENCE[field]:
        problems[field] = (
            _(
                "Omgång %(id)s (%(form)s) ställs till regionerna; kommunenkäten ska vara en "
                "omgång som ställs till kommunerna."
            )
            if field == "survey_round"
            else _(
                "Omgång %(id)s (%(form)s) ställs till kommunerna; nulägesrapporterna ska vara "
                "en omgång som ställs till regionerna."
            )
        ) % {"id": rnd.pk, "form": rnd.form_id}
        return None
    if not rnd.is_locked:
        problems[field] = _(
            "Omgång %(id)s (%(form)s) är fortfarande öppen, till och med %(deadline)s; en "
            "uppföljning görs av stängda omgångar."
        ) % {"id": rnd.pk, "form": rnd.form_id, "deadline": rnd.deadline.isoformat()}
        return None
    return rnd


def _title(value: str, problems: dict[str, str], field: str) -> str:
    title = clean_text(value or "").strip()
    if len(title) > TITLE_LENGTH:
        problems[field] = _("En titel får vara högst %(n)s tecken.") % {"n": TITLE_LENGTH}
    return title


def create_followup(
    name: str,
    *,
    survey_round: Round | int | str | None,
    status_round: Round | int | str | None,
    data_until: dt.date | str | None,
    published_on: dt.date | str | None,
    title_sv: str = "",
    title_en: str = "",
    actor: str = "",
) -> FollowUp:
    """Create the follow-up ``name`` of two closed rounds, with the last day of the indicator
    periods it uses (``data_until``) and the day it is published; titles default to
    :func:`default_titles`. Rounds are given as rounds or their numbers, days as dates or
    ISO text. Raises :class:`FollowUpRefused` with every problem found, storing nothing."""
    problems: dict[str, str] = {}
    name = clean_text(name or "").strip()
    if not name:
        problems["name"] = _("Ange ett namn, t.ex. året: 2021.")
    elif len(name) > NAME_LENGTH or not NAME.fullmatch(name):
        problems["name"] = _(
            "”%(name)s” duger inte som namn: högst %(n)s tecken, bokstäverna a–z, siffror, "
            "bindestreck och understreck (namnet blir en del av rapportens adress)."
        ) % {"name": name, "n": NAME_LENGTH}
    elif FollowUp.objects.filter(name__iexact=name).exists():
        problems["name"] = _("Det finns redan en uppföljning som heter %(name)s.") % {"name": name}
    survey = _round(survey_round, problems, "survey_round")
    status = _round(status_round, problems, "status_round")
    until = _day(data_until, problems, "data_until")
    published = _day(published_on, problems, "published_on")
    if until and published and until > published:
        problems["data_until"] = _(
            "Data till och med %(until)s ligger efter publiceringsdagen %(published)s; "
            "en rapport kan bara bygga på perioder som slutat innan den publiceras."
        ) % {"until": until.isoformat(), "published": published.isoformat()}
    default_sv, default_en = default_titles(name)
    sv = _title(title_sv, problems, "title_sv") or default_sv
    en = _title(title_en, problems, "title_en") or default_en
    if problems:
        raise FollowUpRefused(problems)
    assert until is not None and published is not None, "a missing day is a problem above"
    try:
        with transaction.atomic():
            followup = FollowUp.objects.create(
                name=name,
                title_sv=sv,
                title_en=en,
                published_on=published,
                data_until=until,
                survey_round=survey,
                status_round=status,
            )
            ReportEvent.objects.create(
                followup=followup,
                kind=ReportEventKind.CREATED,
                actor=actor,
                note=f"kommunenkät omgång {survey.pk if survey else '–'}, nulägesrapporter "
                f"omgång {status.pk if status else '–'}, data till och med {until}, "
                f"publiceras {published}",
            )
    except IntegrityError as exc:  # created by someone else meanwhile
        raise FollowUpRefused(
            {"name": _("Det finns redan en uppföljning som heter %(name)s.") % {"name": name}}
        ) from exc
    return followup


def _round_facts(rnd: Round | None) -> dict[str, Any] | None:
    if rnd is None:
        return None
    return {"id": rnd.pk, "form": rnd.form_id, "year": rnd.form_year, "title": rnd.title}


def followup_rows() -> list[dict[str, Any]]:
    """Every follow-up, the latest publication day first: its rounds (id, form, year, title),
    the last day of its indicator periods, its publication day, and in which languages its
    report is published (a :class:`PublishedReport` exists)."""
    languages: dict[int, set[str]] = {}
    for followup_id, lang in PublishedReport.objects.values_list("followup_id", "lang"):
        languages.setdefault(followup_id, set()).add(lang)
    rows = []
    for f in FollowUp.objects.select_related("survey_round", "status_round"):
        published = sorted(languages.get(f.pk, set()))
        rows.append(
            {
                "name": f.name,
                "title_sv": f.title_sv,
                "title_en": f.title_en,
                "survey_round": _round_facts(f.survey_round),
                "status_round": _round_facts(f.status_round),
                "periods_until": f.data_until.isoformat(),
                "publish_date": f.published_on.isoformat(),
                "published": bool(published),
                "published_languages": published,
            }
        )
    return rows
