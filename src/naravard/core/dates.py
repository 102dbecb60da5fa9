"""Periods and days as people read and write them: "2022", "mars 2020", "31 december 2022"
(English "March 2020", "31 December 2022"); one display form for every page, message, e-mail
and the report, while machine outputs keep the ISO codes."""

from __future__ import annotations

import datetime as dt
import re

from naravard.core.language import current

MONTHS = {
    "sv": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def period_label(period: str | dt.date | dt.datetime, lang: str | None = None) -> str:
    """A period (or a day) as people read it, the one display form of every page, chart,
    table, message and the report: "2022", "mars 2020", "31 december 2022" (English:
    "March 2020", "31 December 2022"), in the active language unless ``lang`` is given.
    Machine outputs (CSV and JSON columns, API fields, PxWeb codes) keep the code."""
    if isinstance(period, dt.datetime):
        from django.utils import timezone

        period = timezone.localtime(period).date() if timezone.is_aware(period) else period.date()
    if isinstance(period, dt.date):
        period = period.isoformat()
    lang = lang if lang in MONTHS else current()
    match = re.fullmatch(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(\d{2}))?)?", period.strip())
    if match is None:
        return period
    year, month, day = match.groups()
    if month is None:
        return year
    name = MONTHS[lang][int(month) - 1]
    return f"{name} {year}" if day is None else f"{int(day)} {name} {year}"


def period_code(text: str) -> str:
    """The code of a period a person typed in any of the forms shown: 2022, 2020-03,
    2020-03-31, "mars 2020", "31 december 2022", "March 2020", PxWeb's 2020M03. Anything
    else comes back as typed (stripped), to be refused by :meth:`Indicator.valid_period`."""
    text = " ".join(text.split())
    pxweb = re.fullmatch(r"(\d{4})M(\d{2})", text, re.IGNORECASE)
    if pxweb:
        return f"{pxweb.group(1)}-{pxweb.group(2)}"
    months = {
        name.casefold(): number
        for names in MONTHS.values()
        for number, name in enumerate(names, start=1)
    }
    words = text.casefold().removeprefix("den ").split(" ")
    if len(words) == 2 and words[0] in months and re.fullmatch(r"\d{4}", words[1]):
        return f"{words[1]}-{months[words[0]]:02d}"
    if (
        len(words) == 3
        and re.fullmatch(r"\d{1,2}", words[0])
        and words[1] in months
        and re.fullmatch(r"\d{4}", words[2])
    ):
        return f"{words[2]}-{months[words[1]]:02d}-{int(words[0]):02d}"
    return text
