"""Indicators derived from the municipal survey, defined once per form series.

A survey indicator is the share of a county's municipalities that gave one answer to one
question. It belongs to the form *series* (``kommunenkat``), not to one year's form: a round
of any form of the series derives the same indicator ids for its own year. A family below
turns every row of a grid question into one indicator; single questions are declared in
``definitions/indicators.yaml`` with ``derived_from: {series, question, answer}``.

A survey indicator follows its question through the series' lineage (``collect/lineage.py``):
``derived_from.question`` names the question as the first form asked it, and each later form
counts the item that continues it, with the counted answer carried through any recoding. Where
the lineage says a question is not comparable with the year before, or a recoding makes the
share count other answers too, the indicator has a *break* at that form's year
(:func:`survey_breaks`), which charts, tables and the open data mark.

Names come from the newest form of the series that asks the question. Every form of the
series must still ask each question an earlier form asked (as a choice with the counted
answer among its options) or say that it dropped it: :func:`series_problems` finds those
that do not, and system check naravard.E020 reports them at start.
"""

from __future__ import annotations

from dataclasses import dataclass

from naravard.collect import lineage
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

    def indicator_id(self, row_id: str) -> str:
        return self.id_pattern.format(row=row_id.split(".")[-1])


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


def newest_rows(family: SurveyFamily) -> list[tuple[str, Item]]:
    """The grid's rows over every form of the series, in the order they first appeared: each
    row's id as the first form asked it (which names its indicator), and the row as the newest
    form asks it (which names it in words)."""
    forms = {f.id: f for f in series_forms(family.series)}
    rows = []
    for chain in lineage.chains(family.series, list(forms.values())):
        root = forms[chain.root.form].item(chain.root.item)
        if root.question_id == family.question and root.choices:
            newest = chain.steps[-1]
            rows.append((root.id, forms[newest.form].item(newest.item)))
    return rows


def survey_breaks(derived_from: dict) -> list[dict]:
    """Where a survey indicator's series breaks: for each form whose count of the answer
    cannot be compared with the form's before, its year and why (as the catalogue's
    ``breaks`` take them)."""
    forms = series_forms(derived_from["series"])
    chain = lineage.chain_of(derived_from["series"], derived_from["question"])
    if chain is None:
        return []
    by_id = {f.id: f for f in forms}
    return [
        {"period": str(by_id[c.form].series_year), "reason": dict(c.reason or {})}
        for c in lineage.counted(chain, derived_from["answer"], forms)[1:]
        if not c.comparable
    ]


def counted_in(derived_from: dict, form: FormDefinition) -> tuple[str, frozenset[str]] | None:
    """The item of ``form`` that a survey indicator counts, and the answer codes it counts
    there; None if the form does not ask the question (or no answer of it counts)."""
    forms = series_forms(derived_from["series"])
    if form.id not in {f.id for f in forms}:
        forms = sorted([*forms, form], key=lambda f: (f.series_year or 0, f.id))
    for chain in lineage.chains(derived_from["series"], forms):
        if chain.root.item != derived_from["question"]:
            continue
        for c in lineage.counted(chain, derived_from["answer"], forms):
            if c.form == form.id and c.codes:
                return c.item, c.codes
    return None


def family_indicator(family: SurveyFamily, root_id: str, item: Item) -> dict:
    """The raw catalogue entry (as in indicators.yaml) of one row of a family: ``root_id`` is
    the row as the series first asked it, ``item`` as the newest form asks it."""
    text = {lang: item.text[lang].lower() for lang in ("sv", "en")}
    return {
        "id": family.indicator_id(root_id),
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
        "derived_from": {"series": family.series, "question": root_id, "answer": family.answer},
        "versions": [
            {
                "valid_from": FIRST_VALID,
                "definition": {
                    "sv": f"Andel av de kommuner som besvarat fråga {root_id} {family.counted[0]}.",
                    "en": f"Share of the municipalities answering question {root_id} {family.counted[1]}.",
                },
            }
        ],
    }


def survey_indicators() -> list[dict]:
    """The raw catalogue entries of every family: one per row of its grid in the series."""
    return [
        family_indicator(family, root_id, item)
        for family in SURVEY_FAMILIES
        for root_id, item in newest_rows(family)
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
    chain = lineage.chain_of(series, question)
    if chain is None:
        return [f"{indicator_id}: no form of series {series!r} asks question {question}"]
    by_id = {f.id: f for f in forms}
    problem = form_problem(by_id[chain.root.form], question, answer)
    if problem:
        return [f"{indicator_id}: {problem}"]
    problems = []
    counted = {c.form: c for c in lineage.counted(chain, answer, forms)}
    last = chain.root
    for form in forms[[f.id for f in forms].index(chain.root.form) + 1 :]:
        step = chain.step_in(form.id)
        if step is None:
            if not form.says_dropped(last.item):
                problems.append(
                    f"{indicator_id}: form {form.id} no longer asks question {last.item} "
                    "and does not list it under dropped"
                )
            continue
        last = step
        codes = counted[form.id].codes
        if not codes:
            problems.append(
                f"{indicator_id}: answer {answer!r} has no counterpart in form {form.id} "
                f"question {step.item}"
            )
        problems += [
            f"{indicator_id}: {problem}"
            for code in sorted(codes)
            if (problem := form_problem(form, step.item, code))
        ][:1]
    return problems


def family_problems() -> list[str]:
    """Families whose question no form of their series asks as a grid of choices."""
    return [
        f"survey family {family.id_pattern}: no form of series {family.series!r} asks "
        f"question {family.question} with choices"
        for family in SURVEY_FAMILIES
        if not newest_rows(family)
    ]
