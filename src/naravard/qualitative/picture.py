"""The national picture of the coded material, per theme of the coding frame, for the rounds of
a follow-up (its status reports and its survey): which regions and which municipalities raise
the theme, at which stages the coded initiatives stand as the regions reported them, the
passages analysts marked as quotes (the organisation named), and the analysts' fact boxes.

Only current texts count (a replaced answer's codes stay stored but are left out), a span
coded by several analysts counts once, and every list has a fixed order, so the same store
gives the same picture. Names are in the active language.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from naravard.collect import statusreport
from naravard.collect.models import Response, Round
from naravard.core.language import current, pick
from naravard.qualitative.frame import Code, current_frame
from naravard.qualitative.models import FactBox, PassageTheme
from naravard.refdata.models import Municipality, Region


@dataclass(frozen=True)
class Quote:
    """A coded passage an analyst marked as quotable, with whose words they are."""

    passage_id: int
    words: str
    organisation: str  # the region's or the municipality's name
    region_code: str  # the region, or the municipality's region
    municipality_code: str = ""  # "" for a region's own text
    item_id: str = ""


@dataclass(frozen=True)
class Example:
    """An analyst's fact box ("Exempel: …"): a title, plain paragraphs and the passage it
    builds on."""

    factbox_id: int
    title: str
    paragraphs: tuple[str, ...]
    quote: Quote
    author: str
    written_at: dt.datetime


@dataclass
class ThemePicture:
    """One theme of the frame across the rounds."""

    theme: Code
    regions: list[Region] = field(default_factory=list)  # by code
    municipalities: list[Municipality] = field(default_factory=list)  # by code
    # (stage code, stage name, coded initiatives at that stage) in the form's order of stages
    stages: list[tuple[str, str, int]] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)

    @property
    def name(self) -> str:
        return pick(self.theme.name)

    @property
    def raised(self) -> bool:
        return bool(self.regions or self.municipalities)

    @property
    def initiatives(self) -> int:
        """Coded initiatives under the theme (with a stage given)."""
        return sum(n for _code, _name, n in self.stages)

    def region_quotes(self, region_code: str) -> list[Quote]:
        """The quotes from the region's own texts."""
        return [q for q in self.quotes if q.region_code == region_code and not q.municipality_code]


def _initiative_row(item_id: str) -> int | None:
    """The 1-based row of an initiative's answer ("insatser.2.beskrivning" -> 2)."""
    parts = item_id.split(".")
    if len(parts) == 3 and parts[0] == statusreport.INITIATIVES and parts[1].isdigit():
        return int(parts[1])
    return None


def _reported_stages(keys: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """(response, initiative row) -> the stage the region gave the initiative."""
    answers = dict(
        Response.objects.filter(pk__in={response for response, _row in keys}).values_list(
            "pk", "submitted_answers"
        )
    )
    out = {}
    for response, row in keys:
        rows = statusreport.initiative_rows(answers.get(response))
        if 0 < row <= len(rows):
            out[(response, row)] = rows[row - 1].get(statusreport.STAGE) or ""
    return out


def _stage_names(rounds: list[Round]) -> list[tuple[str, str]]:
    """The stages of the rounds' status-report forms in their order, named."""
    lang = current()
    out: dict[str, str] = {}  # code -> name, the first form's name kept
    for rnd in rounds:
        stage = statusreport.stage_field(rnd.form)
        if stage is not None:
            for choice in stage.choices:
                out.setdefault(choice.code, choice.text[lang])
    return list(out.items())


def national_picture(rounds: Iterable[Round]) -> list[ThemePicture]:
    """One :class:`ThemePicture` per theme of the current frame, in the frame's order (themes
    no one raises included, empty), from the current texts of ``rounds``. A sub-theme counts
    under its theme."""
    rounds = [r for r in rounds if r is not None]
    frame = current_frame()
    top = {c.id: t.id for t in frame.themes for c in (t, *t.subthemes)}
    pictures = {t.id: ThemePicture(t) for t in frame.themes}
    coded = (
        PassageTheme.objects.filter(
            passage__text__round__in=rounds,
            passage__text__replaced_at__isnull=True,
            theme__in=list(top),
        )
        .order_by(
            "passage__text__region_id",
            "passage__text__municipality_id",
            "passage__text__item_id",
            "passage__start",
            "passage__end",
            "passage_id",
            "theme",
        )
        .values_list(
            "theme",
            "passage_id",
            "passage__text_id",
            "passage__start",
            "passage__end",
            "passage__quotable",
            "passage__quote",
            "passage__text__region_id",
            "passage__text__municipality_id",
            "passage__text__municipality__region_id",
            "passage__text__item_id",
            "passage__text__response_id",
        )
    )
    region_codes: dict[str, set[str]] = defaultdict(set)
    municipality_codes: dict[str, set[str]] = defaultdict(set)
    initiatives: dict[str, set[tuple[int, int]]] = defaultdict(set)
    quoted: dict[str, dict[tuple[int, int, int], tuple]] = defaultdict(dict)
    for (
        theme,
        passage,
        text,
        start,
        end,
        quotable,
        words,
        region,
        municipality,
        county,
        item,
        response,
    ) in coded:
        theme_id = top[theme]
        if region:
            region_codes[theme_id].add(region)
            row = _initiative_row(item)
            if row is not None and response is not None:
                initiatives[theme_id].add((response, row))
        if municipality:
            municipality_codes[theme_id].add(municipality)
        if quotable:  # the first coding of a span stands for it
            quoted[theme_id].setdefault(
                (text, start, end), (passage, words, region, municipality, county, item)
            )
    regions = {r.code: r for r in Region.objects.all()}
    municipalities = Municipality.objects.in_bulk(
        set().union(*municipality_codes.values()) if municipality_codes else []
    )
    stage_of = _reported_stages({key for keys in initiatives.values() for key in keys})
    stage_names = _stage_names(rounds)
    for theme_id, picture in pictures.items():
        picture.regions = [regions[c] for c in sorted(region_codes[theme_id])]
        picture.municipalities = [municipalities[c] for c in sorted(municipality_codes[theme_id])]
        counted: dict[str, int] = defaultdict(int)
        for key in initiatives[theme_id]:
            if stage_of.get(key):
                counted[stage_of[key]] += 1
        picture.stages = [(code, name, counted[code]) for code, name in stage_names]
        known = {code for code, _name in stage_names}
        picture.stages += [(code, code, counted[code]) for code in sorted(set(counted) - known)]
        picture.quotes = [
            Quote(
                passage,
                words,
                regions[region].name if region else municipalities[municipality].name,
                region or county,
                municipality or "",
                item,
            )
            for passage, words, region, municipality, county, item in quoted[theme_id].values()
        ]
    for box in (
        FactBox.objects.filter(round__in=rounds, theme__in=list(top))
        .select_related("author", "passage__text__region", "passage__text__municipality")
        .order_by("created_at", "pk")
    ):
        source = box.passage.text
        pictures[top[box.theme]].examples.append(
            Example(
                box.pk,
                box.title,
                tuple(box.paragraphs),
                Quote(
                    box.passage_id,
                    box.passage.quote,
                    source.organisation.name,
                    source.region_id
                    or (source.municipality.region_id if source.municipality else ""),
                    source.municipality_id or "",
                    source.item_id,
                ),
                box.author.get_username(),
                box.created_at,
            )
        )
    return list(pictures.values())
