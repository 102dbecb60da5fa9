"""Indicators derived from the municipal survey, defined once per form series.

A survey indicator is the share of a county's municipalities that gave one answer to one
question. It belongs to the form *series* (``kommunenkat``), not to one year's form: a round
of any form of the series derives the same indicator ids for its own year. A family below
turns every row of a grid question into one indicator; single questions are declared in
``definitions/indicators.yaml`` with ``derived_from: {series, question, answer}``.

Names come from the newest form of the series that asks the question. Every form of the
series must still ask each question an earlier form asked (as a choice with the counted
answer among its options) or say that it dropped it: :func:`series_problems` finds those
that do not, and system check naravard.E020 reports them at start.
"""

from __future__ import annotations

from dataclasses import dataclass

from naravard.collect.definition import FormDefinition, Item, series_forms

SOURCE = {"sv": "Enkät till kommunerna", "en": "Survey of the municipalities"}
FIRST_VALID = "2019-01-01"  # the first year the survey series was collected


@dataclass(frozen=True)
class SurveyFamily:
    """One indicator per row of a grid question: the share of municipalities that gave
    ``answer``."""

    series: str
    question: str  # the grid's question id; its rows are the items counted
    id_pattern: str  # "{row}" is the row's id
    answer: str  # the choice code counted
    direction: str  # higher | lower: which is better
    name: tuple[str, str]  # sv, en; "{text}" is the row's text in lower case
    counted: tuple[str, str]  # what the share counts, sv and en
    themes: tuple[str, ...]

    def indicator_id(self, item: Item) -> str:
        return self.id_pattern.format(row=item.id.split(".")[-1])


SURVEY_FAMILIES = (
    SurveyFamily(
        series="kommunenkat",
        question="1",
        id_pattern="survey_decision_{row}_share",
        answer="ja",
        direction="higher",
        name=(
            "Kommuner med beslut om samverkan: {text}",
            "Municipalities with decisions on cooperation: {text}",
        ),
        counted=("som svarat ja", "that answered yes"),
        themes=("samverkan",),
    ),
    SurveyFamily(
        series="kommunenkat",
        question="3",
        id_pattern="survey_shortage_{row}_share",
        answer="brist",
        direction="lower",
        name=("Kommuner med brist: {text}", "Municipalities reporting a shortage: {text}"),
        counted=("som anger brist", "that report a shortage"),
        themes=("kompetensforsorjning",),
    ),
)


def newest_rows(family: SurveyFamily) -> list[Item]:
    """The grid's rows over every form of the series, each as the newest form asks it, in
    the order they first appeared."""
    rows: dict[str, Item] = {}
    for form in series_forms(family.series):  # oldest first: a newer wording replaces an older
        for item in form.items:
            if item.question_id == family.question and item.choices:
                rows[item.id] = item
    return list(rows.values())


def family_indicator(family: SurveyFamily, item: Item) -> dict:
    """The raw catalogue entry (as in indicators.yaml) of one row of a family."""
    text = {lang: item.text[lang].lower() for lang in ("sv", "en")}
    return {
        "id": family.indicator_id(item),
        "unit": "percent",
        "kind": "share",
        "level": ["region"],
        "period_type": "year",
        "direction": family.direction,
        "interval": "none",  # every municipality of the county was asked: not a sample
        "source": SOURCE,
        "themes": list(family.themes),
        "name": {
            "sv": family.name[0].format(text=text["sv"]),
            "en": family.name[1].format(text=text["en"]),
        },
        "derived_from": {"series": family.series, "question": item.id, "answer": family.answer},
        "versions": [
            {
                "valid_from": FIRST_VALID,
                "definition": {
                    "sv": f"Andel av de kommuner som besvarat fråga {item.id} {family.counted[0]}.",
                    "en": f"Share of the municipalities answering question {item.id} {family.counted[1]}.",
                },
            }
        ],
    }


def survey_indicators() -> list[dict]:
    """The raw catalogue entries of every family: one per row of its grid in the series."""
    return [
        family_indicator(family, item) for family in SURVEY_FAMILIES for item in newest_rows(family)
    ]


def is_survey_derived(derived_from: dict) -> bool:
    return "series" in derived_from


def form_problem(form: FormDefinition, question: str, answer: str) -> str | None:
    """Why a form that asks ``question`` cannot count ``answer`` to it, if it cannot."""
    item = form.item(question)
    if not item.choices:
        return f"question {question} of form {form.id} is a {item.type}, not a choice"
    if answer not in item.codes:
        return (
            f"question {question} of form {form.id} has no answer {answer!r} "
            f"(its answers: {', '.join(item.codes)})"
        )
    return None


def series_problems(indicator_id: str, derived_from: dict) -> list[str]:
    """Why some form of the indicator's series cannot derive it: the series has no form, no
    form asks the question, a form asks it without the counted answer, or a form no longer
    asks a question an earlier form asked and does not say it dropped it."""
    series, question, answer = (derived_from[k] for k in ("series", "question", "answer"))
    forms = series_forms(series)
    if not forms:
        return [f"{indicator_id}: no shipped form belongs to series {series!r}"]
    if not any(f.has_item(question) for f in forms):
        return [f"{indicator_id}: no form of series {series!r} asks question {question}"]
    problems, asked_before = [], False
    for form in forms:
        if form.has_item(question):
            asked_before = True
            problem = form_problem(form, question, answer)
            if problem:
                problems.append(f"{indicator_id}: {problem}")
        elif asked_before and not form.says_dropped(question):
            problems.append(
                f"{indicator_id}: form {form.id} no longer asks question {question} "
                "and does not list it under dropped"
            )
    return problems


def family_problems() -> list[str]:
    """Families whose question no form of their series asks as a grid of choices."""
    return [
        f"survey family {family.id_pattern}: no form of series {family.series!r} asks "
        f"question {family.question} with choices"
        for family in SURVEY_FAMILIES
        if not newest_rows(family)
    ]
