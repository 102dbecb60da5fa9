"""Published collection rounds as the public pages show them: a county's municipalities'
survey results against the nation, and a region's status-report initiatives.

Only rounds whose results are published are read, and only aggregates of at least
:data:`MIN_RESPONSES` responding organisations are shown, so that no single municipality's
answers can be read off a county with few municipalities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from naravard.analysis.round_change import RoundChange, compare_rounds, previous_round
from naravard.collect import statusreport
from naravard.collect.models import Response, Round
from naravard.collect.results import ItemResult, item_results
from naravard.core.language import current, pick
from naravard.publish.kept import kept, of_surveys
from naravard.publish.releases import published_rounds
from naravard.publish.survey_change import ItemNote, OptionNote, attach_change

MIN_RESPONSES = 3


@dataclass
class ItemComparison:
    """One closed question: per option, the county's share and the nation's."""

    text: str
    short: str  # for a chart's axis: the number and, for a grid, the row
    n: int
    national_n: int
    options: list[tuple[str, str, float | None, float | None]]  # code, label, county %, nation %
    hidden: bool = False  # fewer than MIN_RESPONSES answered in the county
    item_id: str = ""
    change: ItemNote | None = None  # since the previous published round (survey_change.py)

    @property
    def rows(self) -> list[tuple[str, str, float | None, float | None, OptionNote | None]]:
        """The options, each with its change since the previous round (None: not shown)."""
        notes = self.change.options if self.change else {}
        return [(*option, notes.get(option[0])) for option in self.options]


@dataclass
class SurveyComparison:
    round: Round
    responded: int
    invited: int
    items: list[ItemComparison] = field(default_factory=list)
    spec: dict | None = None  # the page's chart, when drawn
    previous: Round | None = None  # the round the change is since (survey_change.py)

    @property
    def breaks(self) -> list[tuple[str, list[str]]]:
        """Why questions do not compare with the previous round: each reason once, with the
        questions (short labels) it concerns."""
        out: dict[str, list[str]] = {}
        for item in self.items:
            if item.change and not item.change.comparable:
                out.setdefault(item.change.reason, []).append(item.short)
        return list(out.items())

    @property
    def chart_key(self) -> str:
        return str(self.round.pk)


SHORT_LABEL = 48


def _labels(rnd: Round, res: ItemResult) -> tuple[str, str]:
    """The item's full label and a short one for a chart's axis."""
    questions = {q.id: q for sec in rnd.form.sections for q in sec.questions}
    question = questions[res.item.question_id]
    if question.type == "grid":
        return (
            f"{question.number}. {pick(question.text)} – {pick(res.item.text)}",
            f"{question.number}. {pick(res.item.text)}",
        )
    text = pick(res.item.text)
    short = text if len(text) <= SHORT_LABEL else text[: SHORT_LABEL - 1].rstrip() + "…"
    return f"{question.number}. {text}", f"{question.number}. {short}"


def compare_county(
    rnd: Round, municipality_codes: list[str], national: dict[str, ItemResult] | None = None
) -> SurveyComparison:
    """One survey round: the county's municipalities against the nation, per closed
    question (``national``: the round's item results, when already computed)."""
    lang = current()
    everyone = national or {res.item.id: res for res in item_results(rnd)}
    responses = Response.objects.filter(round=rnd, municipality__in=municipality_codes)
    comparison = SurveyComparison(
        rnd,
        responded=responses.filter(submitted_answers__isnull=False).count(),
        invited=responses.count(),
    )
    for res in item_results(rnd, municipality_codes):
        if not res.item.choices:
            continue
        nation = everyone[res.item.id]
        hidden = res.n < MIN_RESPONSES
        comparison.items.append(
            ItemComparison(
                *_labels(rnd, res),
                res.n,
                nation.n,
                [
                    (
                        c.code,
                        c.text[lang],
                        None if hidden else res.option_percent(c.code),
                        nation.option_percent(c.code),
                    )
                    for c in res.item.choices
                ],
                hidden=hidden,
                item_id=res.item.id,
            )
        )
    return comparison


def county_survey_results(municipality_codes: list[str]) -> list[SurveyComparison]:
    """Each published municipal survey, the county's municipalities against the nation, with
    the change since the previous published round of its series."""
    rounds = municipal_rounds()
    out = []
    for rnd in rounds:
        national = national_results(rnd, rounds)
        out.append(
            attach_change(
                compare_county(rnd, municipality_codes, national.items),
                rounds,
                municipality_codes,
                MIN_RESPONSES,
                national.change,
            )
        )
    return out


@dataclass(frozen=True)
class _National:
    """A published round's results in the whole nation, and their change since the round
    before it (None if there is none)."""

    items: dict[str, ItemResult]
    change: RoundChange | None


def municipal_rounds() -> list[Round]:
    return [rnd for rnd in published_rounds() if rnd.form.audience == "municipalities"]


def national_results(rnd: Round, published: list[Round] | None = None) -> _National:
    """A published municipal round's results in the whole nation and their change since the
    round before it among the ``published`` ones, made once per state of the surveys."""
    published = municipal_rounds() if published is None else published
    return kept(
        of_surveys(),
        ("national results", rnd.pk),
        partial(_national, rnd, published),
        in_words=False,
    )


def _national(rnd: Round, published: list[Round]) -> _National:
    previous = previous_round(rnd, published)
    return _National(
        {res.item.id: res for res in item_results(rnd)},
        compare_rounds(rnd, previous) if previous is not None else None,
    )


@dataclass
class Initiative:
    area: str
    description: str
    target_group: str
    stage_code: str
    stage: str
    start: str


@dataclass
class StatusReport:
    round: Round
    initiatives: list[Initiative]
    stages: list[tuple[str, str]]  # the form's stages in order: code, label
    areas: list[tuple[str, dict[str, int]]]  # area label -> initiatives per stage code
    spec: dict | None = None  # the page's chart, when drawn

    @property
    def chart_key(self) -> str:
        return str(self.round.pk)

    @property
    def area_rows(self) -> list[tuple[str, list[int]]]:
        """Initiatives per area as a table: one count per stage, in the form's order."""
        return [
            (area, [counts.get(code, 0) for code, _label in self.stages])
            for area, counts in self.areas
        ]


def status_report(rnd: Round, region_code: str) -> StatusReport | None:
    """The region's initiatives in one status-report round (as last submitted), if any."""
    lang = current()
    area_field, stage_field = statusreport.area_field(rnd.form), statusreport.stage_field(rnd.form)
    if area_field is None or stage_field is None:
        return None
    response = rnd.responses.filter(region=region_code, submitted_answers__isnull=False).first()
    if response is None:
        return None
    initiatives = [
        Initiative(
            area_field.choice_text(row.get(statusreport.AREA, ""), lang),
            row.get(statusreport.DESCRIPTION, ""),
            row.get(statusreport.TARGET_GROUP, ""),
            row.get(statusreport.STAGE, ""),
            stage_field.choice_text(row.get(statusreport.STAGE, ""), lang),
            str(row.get(statusreport.START_YEAR, "")),
        )
        for row in statusreport.initiative_rows(response.submitted_answers)
    ]
    areas: dict[str, dict[str, int]] = {}
    for choice in area_field.choices:
        counts = {c.code: 0 for c in stage_field.choices}
        for i in initiatives:
            if i.area == choice.text[lang]:
                counts[i.stage_code] = counts.get(i.stage_code, 0) + 1
        if any(counts.values()):
            areas[choice.text[lang]] = counts
    return StatusReport(
        rnd,
        sorted(initiatives, key=lambda i: (i.area, i.stage_code)),
        [(c.code, c.text[lang]) for c in stage_field.choices],
        list(areas.items()),
    )


def region_initiatives(region_code: str) -> list[StatusReport]:
    """The region's initiatives from each published status-report round."""
    reports = (status_report(rnd, region_code) for rnd in published_rounds())
    return [r for r in reports if r is not None]
