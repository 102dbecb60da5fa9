"""A later follow-up against the previous one: what its report shows beside each survey share
and indicator value (the value then and the change), and the largest changes its summary names.

The previous follow-up (:func:`previous_followup`) is the latest one whose data end before
this one's (``data_until``); the first follow-up has none, and its report compares nothing.

* Survey shares: the follow-up's survey round against the previous follow-up's, question by
  question through the lineage (:func:`naravard.analysis.round_change.compare_rounds`): the
  share then, the change in percentage points and its 95 % interval (Newcombe). A question
  whose lineage says it is not comparable gets no change, but the words "ej jämförbar med
  2019" and its reason in the table's note.
* Indicators (:func:`value_change`): the value in the indicator's latest period on or before
  the previous follow-up's ``data_until``, read from today's store, marked "senaste
  tillgängliga" when it was stale for that follow-up (:mod:`naravard.analysis.freshness`);
  the change in the indicator's unit (percentage points for a share), with the Newcombe
  interval for a share whose numerator and denominator are known in both periods and no
  interval otherwise. Across a break in the series (``Indicator.break_between``) the change is
  "ej jämförbar (tidsseriebrott 2021)"; when the indicator has no period newer than the one
  compared with, "ingen ny period".
* The summary (:func:`largest`): the changes whose interval leaves out zero, the largest first,
  ties in a fixed order, survey shares and indicators alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from statsmodels.stats.proportion import confint_proportions_2indep

from naravard.analysis.freshness import is_stale
from naravard.analysis.profile import OrgResult, Profile
from naravard.analysis.round_change import (
    ItemChange,
    RoundChange,
    RoundsNotComparable,
    compare_rounds,
)
from naravard.catalog.breaks import note as break_note
from naravard.catalog.catalogue import Break, Indicator, period_end, period_label
from naravard.collect.models import Round
from naravard.core.language import current, pick
from naravard.presentation import charts
from naravard.report.models import FollowUp

MINUS = "\u2212"
SURVEY_DECIMALS = 0  # survey shares are printed whole, as everywhere in the report
LARGEST = 3  # how many changes the summary names


def previous_followup(followup: FollowUp) -> FollowUp | None:
    """The follow-up ``followup`` compares with: of those whose data end earlier, the one whose
    data end latest (ties: the later publication day, then the later name); None for the
    first."""
    return (
        FollowUp.objects.filter(data_until__lt=followup.data_until)
        .select_related("survey_round", "status_round")
        .order_by("-data_until", "-published_on", "-name")
        .first()
    )


# ----------------------------------------------------------------- numbers ---


def plain(value: float, decimals: int) -> str:
    """A number as the active language writes it, a negative one with a minus sign (U+2212)."""
    if round(value, decimals) == 0:
        return charts.number(0.0, decimals)
    text = charts.number(abs(value), decimals)
    return f"{MINUS}{text}" if value < 0 else text


def signed(value: float, decimals: int) -> str:
    """A change with its sign: '+23', '−3,2', '0'."""
    text = plain(value, decimals)
    return f"+{text}" if round(value, decimals) > 0 else text


def interval(low: float, high: float, decimals: int) -> str:
    """An interval of a change: '15–31', or '−5 till 12' when it starts below zero (a dash
    between a negative and another number reads badly)."""
    words = _("%(low)s till %(high)s") if round(low, decimals) < 0 else _("%(low)s–%(high)s")
    return words % {"low": plain(low, decimals), "high": plain(high, decimals)}


def leaves_out_zero(low: float | None, high: float | None) -> bool:
    """Is a change significant: does its 95 % interval lie wholly above or below zero?"""
    return low is not None and high is not None and (low > 0 or high < 0)


class Delta(NamedTuple):
    """A change in a table cell, printed with its sign ('+23', '−3,2'), or an end of its
    interval (``plus`` false: '−3,2', '12'); without a change, ``words`` say why ('ej
    jämförbar med 2019', 'ingen ny period'), or '–' for nothing to compare with. The data files
    keep the number, or the words."""

    value: float | None
    decimals: int
    words: str = ""
    plus: bool = True

    def __str__(self) -> str:
        if self.value is None:
            return self.words or "–"
        if self.plus:
            return signed(self.value, self.decimals)
        return plain(self.value, self.decimals)

    @property
    def datum(self) -> float | str:
        return self.words if self.value is None else self.value


# ---------------------------------------------------------------- surveys ---


@dataclass
class SurveyChange:
    """The follow-up's survey round against the previous follow-up's: the nation's change
    (``nation``), each county's on demand, and why there is none (``why``, for the method
    section, when the rounds cannot be compared)."""

    round: Round | None
    previous: Round | None
    nation: RoundChange | None
    why: str = ""

    @property
    def year(self) -> int:
        """The year the previous round describes."""
        assert self.previous is not None, "only a comparison has a year"
        return self.previous.form_year

    def item(self, item_id: str) -> ItemChange | None:
        return self.nation.items.get(item_id) if self.nation else None

    def county(self, municipality_codes: list[str]) -> RoundChange | None:
        if self.nation is None or self.round is None or self.previous is None:
            return None
        return compare_rounds(self.round, self.previous, municipality_codes)


def survey_change(followup: FollowUp, previous: FollowUp | None) -> SurveyChange:
    """The survey part of the comparison (nothing compared without two different rounds)."""
    now, then = followup.survey_round, previous.survey_round if previous else None
    if now is None or then is None:
        return SurveyChange(now, then, None)
    if now.pk == then.pk:
        why = _(
            "Kommunenkäten är samma omgång som i förra uppföljningen; dess andelar jämförs inte."
        )
        return SurveyChange(now, then, None, why)
    try:
        return SurveyChange(now, then, compare_rounds(now, then))
    except RoundsNotComparable as err:
        why = _("Kommunenkäten jämförs inte med förra uppföljningens: %(why)s") % {"why": err}
        return SurveyChange(now, then, None, why)


def share_header(then: str) -> list[str]:
    """The columns :func:`share_cells` fills, the first named ``then`` ('Ja 2019, %')."""
    return [
        then,
        _("Förändring, procentenheter"),
        _("95 % KI, nedre"),
        _("95 % KI, övre"),
    ]


SHARE_DECIMALS: list[int | None] = [SURVEY_DECIMALS] * 4  # the columns' decimals


def share_cells(change: ItemChange | None, code: str, shown: bool = True) -> list[Any]:
    """For one answer of one item: its share then (%), the change (percentage points) and the
    change's 95 % interval; a new question, a question not comparable with the year before, or
    a share not shown (``shown`` false: too few answered in a county) gets no change."""
    d = SURVEY_DECIMALS
    if change is None:
        return [None, Delta(None, d, _("ny fråga")), None, None]
    option = change.options.get(code)
    if option is None or not shown:
        return [None, Delta(None, d), None, None]
    if not change.comparable:
        return [option.previous_percent, Delta(None, d, change.not_comparable_words), None, None]
    return [
        option.previous_percent,
        Delta(option.change_pp, d),
        Delta(option.change_ci_low, d, plus=False),
        Delta(option.change_ci_high, d, plus=False),
    ]


def question_label(change: ItemChange, rnd: Round) -> str:
    """The question as a sentence names it: '2', or '1 (Politisk nivå)' for a grid's row."""
    question = rnd.form.question_of(change.item.id)
    number = getattr(question, "number", "") or change.item.question_id
    if question is not None and question.type == "grid":
        return f"{number} ({pick(change.item.text)})"
    return number


def not_comparable_notes(changes: list[ItemChange], rnd: Round) -> str:
    """Why the table's questions that do not compare with the year before do not: each
    question once, in the table's order."""
    seen: dict[str, str] = {}
    for c in changes:
        if not c.comparable and c.item.question_id not in seen:
            question = rnd.form.question_of(c.item.id)
            number = getattr(question, "number", "") or c.item.question_id
            seen[c.item.question_id] = _(
                "Fråga %(question)s jämförs inte med %(year)s: %(reason)s"
            ) % {"question": number, "year": c.previous_year, "reason": c.reason_text}
    return " ".join(seen.values())


# ------------------------------------------------------------- indicators ---


@dataclass(frozen=True)
class ValueChange:
    """One indicator's value (the nation's or an area's) now and at the previous follow-up."""

    indicator: Indicator
    period: str
    value: float | None
    previous_period: str | None  # None: no period on or before the previous follow-up's end
    previous_value: float | None
    previous_stale: bool  # the period was older than the previous follow-up expected
    change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    brk: Break | None = None  # a break in the series between the two periods

    @property
    def same_period(self) -> bool:
        return self.previous_period == self.period

    @property
    def significant(self) -> bool:
        return self.change is not None and leaves_out_zero(self.ci_low, self.ci_high)

    def cell(self) -> Delta:
        """The change as a table shows it, or why there is none."""
        d = charts.decimals(self.indicator.unit)
        if self.brk is not None:
            return Delta(
                None,
                d,
                _("ej jämförbar (tidsseriebrott %(period)s)")
                % {"period": self.brk.label(current())},
            )
        if self.same_period and self.previous_value is not None:
            return Delta(None, d, _("ingen ny period"))
        return Delta(self.change, d)

    def break_note(self) -> str:
        """'Andel …: Tidsseriebrott 2021: reason.' when the change crosses a break; ''."""
        if self.brk is None:
            return ""
        return f"{pick(self.indicator.name)}: {break_note(self.brk, current()).rstrip('.')}."


def _row(p: Profile, org: str | None) -> OrgResult | None:
    if org is None:
        return p.national
    return next((r for r in p.rows if r.org == org), None)


def _newcombe(ind: Indicator, now: OrgResult, then: OrgResult) -> tuple[float, float] | None:
    """The 95 % interval of a share's change in its unit (Newcombe's hybrid score method), when
    both periods' numerators and denominators are known; None otherwise."""
    counts = (now.numerator, now.denominator, then.numerator, then.denominator)
    if not ind.is_share or any(c is None for c in counts):
        return None
    num, den, previous_num, previous_den = (float(c) for c in counts)  # type: ignore[arg-type]
    if den <= 0 or previous_den <= 0:
        return None
    low, high = confint_proportions_2indep(
        num, den, previous_num, previous_den, method="newcomb", compare="diff"
    )
    return ind.scale * float(low), ind.scale * float(high)


def value_change(
    series: list[Profile], now: Profile, previous: FollowUp, org: str | None = None
) -> ValueChange:
    """``org``'s value (None: the nation's) in ``now`` against its value in the latest of
    ``series`` (the indicator's periods, oldest first) that ends on or before the previous
    follow-up's ``data_until``."""
    ind = now.indicator
    then = next((q for q in reversed(series) if period_end(q.period) <= previous.data_until), None)
    row_now = _row(now, org)
    value = row_now.value if row_now else None
    if then is None:
        return ValueChange(ind, now.period, value, None, None, False)
    row_then = _row(then, org)
    before = row_then.value if row_then else None
    stale = is_stale(ind.period_type, then.period, previous.data_until)
    base = ValueChange(ind, now.period, value, then.period, before, stale)
    if then.period == now.period:
        return base
    brk = ind.break_between(then.period, now.period)
    if brk is not None:
        return ValueChange(ind, now.period, value, then.period, before, stale, brk=brk)
    if value is None or before is None or row_now is None or row_then is None:
        return base
    ci = _newcombe(ind, row_now, row_then)
    return ValueChange(
        ind,
        now.period,
        value,
        then.period,
        before,
        stale,
        value - before,
        ci[0] if ci else None,
        ci[1] if ci else None,
    )


# ---------------------------------------------------------------- summary ---


@dataclass(frozen=True)
class Finding:
    """A significant change in percentage points, and the sentence that says it."""

    size: float
    order: tuple[str, ...]  # the tie-break: kind, then ids
    text: str


def survey_findings(change: SurveyChange) -> list[Finding]:
    """Every significant change of a survey share in the nation. Of a question with two
    answers only the first is counted (the other moves by as much the other way)."""
    if change.nation is None or change.round is None:
        return []
    out = []
    for item_id, c in change.nation.items.items():
        if not c.comparable or not c.is_choice:
            continue
        codes = c.item.codes[:1] if len(c.item.codes) == 2 else c.item.codes
        for code in codes:
            o = c.options.get(code)
            if o is None or o.change_pp is None or o.previous_percent is None:
                continue
            if o.percent is None or not leaves_out_zero(o.change_ci_low, o.change_ci_high):
                continue
            assert o.change_ci_low is not None and o.change_ci_high is not None
            words = (
                _(
                    "Andelen kommuner som svarade ”%(answer)s” på fråga %(question)s ökade från "
                    "%(before)s %% till %(now)s %% (%(change)s procentenheter, 95 %% KI "
                    "%(interval)s)."
                )
                if o.change_pp > 0
                else _(
                    "Andelen kommuner som svarade ”%(answer)s” på fråga %(question)s minskade "
                    "från %(before)s %% till %(now)s %% (%(change)s procentenheter, 95 %% KI "
                    "%(interval)s)."
                )
            )
            text = words % {
                "answer": c.item.choice_text(code, current()),
                "question": question_label(c, change.round),
                "before": plain(o.previous_percent, SURVEY_DECIMALS),
                "now": plain(o.percent, SURVEY_DECIMALS),
                "change": signed(o.change_pp, SURVEY_DECIMALS),
                "interval": interval(o.change_ci_low, o.change_ci_high, SURVEY_DECIMALS),
            }
            out.append(Finding(o.change_pp, ("survey", item_id, code), text))
    return out


def indicator_finding(c: ValueChange) -> Finding | None:
    """The nation's change of an indicator, if it is significant (only shares have an
    interval)."""
    if not c.significant or c.value is None or c.previous_value is None:
        return None
    assert c.change is not None and c.ci_low is not None and c.ci_high is not None
    assert c.previous_period is not None
    ind, d = c.indicator, charts.decimals(c.indicator.unit)
    words = (
        _(
            "%(name)s ökade i riket från %(before)s %(unit)s (%(then)s) till %(now)s %(unit)s "
            "(%(period)s), %(change)s procentenheter (95 %% KI %(interval)s)."
        )
        if c.change > 0
        else _(
            "%(name)s minskade i riket från %(before)s %(unit)s (%(then)s) till %(now)s "
            "%(unit)s (%(period)s), %(change)s procentenheter (95 %% KI %(interval)s)."
        )
    )
    text = words % {
        "name": pick(ind.name),
        "before": plain(c.previous_value, d),
        "now": plain(c.value, d),
        "unit": charts.unit_label(ind.unit),
        "then": period_label(c.previous_period),
        "period": period_label(c.period),
        "change": signed(c.change, d),
        "interval": interval(c.ci_low, c.ci_high, d),
    }
    return Finding(c.change, ("indicator", ind.id), text)


def largest(findings: list[Finding], n: int = LARGEST) -> list[str]:
    """The ``n`` largest changes, by size in percentage points; equal ones in a fixed order."""
    return [f.text for f in sorted(findings, key=lambda f: (-abs(f.size), f.order))[:n]]
