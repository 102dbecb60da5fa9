"""Change since the previous round: a survey round's results per question and answer beside
those of an earlier round of a form of the same series, through the question lineage
(:mod:`naravard.collect.lineage`).

For each item of the later form that continues an item of the earlier one (items new since
then are left out):

* ``n`` and ``previous_n``: the submitted responses that answered the item in each round
  (each question its own denominator, as in :mod:`naravard.collect.results`);
* for a choice item (yes/no, choice, a grid's row), per answer code of the later form: its
  count and percent, and the earlier round's count and percent of the old codes that the
  lineage maps to it; the change in percentage points with its 95 % interval by Newcombe's
  hybrid score method for two independent proportions (statsmodels
  ``confint_proportions_2indep(method="newcomb", compare="diff")``);
* the panel: the organisations that answered the item in both rounds (``n_both``). Per
  answer code, ``moved_to`` counts those that gave another answer before and this one now,
  ``moved_from`` those that gave this one before and another now, and ``p_value`` is
  McNemar's test on the 2×2 table this answer before × this answer now (statsmodels
  ``mcnemar``: the exact binomial test when fewer than :data:`EXACT_BELOW` organisations
  moved, else the chi-square test with continuity correction). Every option carries its own
  panel; the question's ``panel`` is that of its first answer (``ja`` of a yes/no question,
  the first choice otherwise), which for a question of two answers says all there is.

When the lineage says the item is not comparable (a break in the series), the counts and
percentages are still given, but the change, its interval and the panel's moves and test are
None. Text, number and group items get only ``n``, ``previous_n`` and ``comparable``.

Two rounds compare only when their forms are different forms of one series and the earlier
round's form comes before the later one's (:class:`RoundsNotComparable` otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import confint_proportions_2indep

from naravard.collect import lineage
from naravard.collect.definition import FormDefinition, Item, registry, series_forms, series_of
from naravard.collect.models import Round
from naravard.collect.results import clean_submitted, percent
from naravard.collect.validation import applicable
from naravard.core.errors import Invalid
from naravard.core.language import pick

CHOICE_TYPES = ("yesno", "choice")
EXACT_BELOW = 25  # McNemar: the exact test when fewer organisations than this moved


class RoundsNotComparable(Invalid):
    """Two rounds whose forms cannot be compared: not one series, the same form, or the
    'earlier' one is not earlier."""


@dataclass
class OptionChange:
    """One answer code of a later item against the old codes that count as it."""

    code: str
    count: int
    percent: float | None
    previous_count: int
    previous_percent: float | None
    previous_year: int
    change_pp: float | None = None
    change_ci_low: float | None = None
    change_ci_high: float | None = None
    moved_to: int | None = None
    moved_from: int | None = None
    p_value: float | None = None

    @property
    def words(self) -> str:
        """'2019: 48 %, +14 procentenheter, 95 % KI 9–19' ('' without a change)."""
        if self.change_pp is None or self.previous_percent is None:
            return ""
        text = _("%(year)s: %(previous)s %%, %(change)s procentenheter") % {
            "year": self.previous_year,
            "previous": _whole(self.previous_percent),
            "change": _signed(self.change_pp),
        }
        if self.change_ci_low is None or self.change_ci_high is None:
            return text
        interval = (
            _("%(low)s till %(high)s") if round(self.change_ci_low) < 0 else _("%(low)s–%(high)s")
        ) % {"low": _whole(self.change_ci_low), "high": _whole(self.change_ci_high)}
        return _("%(text)s, 95 %% KI %(interval)s") % {"text": text, "interval": interval}

    @property
    def panel_words(self) -> str:
        """'20 / 5 (p = 0,003)': how many moved to and from this answer, and McNemar's p
        ('' without a panel)."""
        if self.moved_to is None or self.moved_from is None or self.p_value is None:
            return ""
        text = f"{self.moved_to} / {self.moved_from}"
        if self.p_value < 0.001:
            return f"{text} (p < {formats.number_format(0.001)})"
        return f"{text} (p = {formats.number_format(round(self.p_value, 3))})"

    def panel(self) -> dict[str, Any]:
        return {"moved_to": self.moved_to, "moved_from": self.moved_from, "p_value": self.p_value}


@dataclass
class ItemChange:
    """One item of the later form and the earlier item it continues."""

    item: Item
    previous_item: str
    n: int
    previous_n: int
    comparable: bool
    reason: dict[str, str] | None
    previous_year: int
    n_both: int = 0
    options: dict[str, OptionChange] = field(default_factory=dict)

    @property
    def is_choice(self) -> bool:
        return self.item.type in CHOICE_TYPES

    @property
    def not_comparable_words(self) -> str:
        """'ej jämförbar med 2019' ('' when comparable)."""
        if self.comparable:
            return ""
        return _("ej jämförbar med %(year)s") % {"year": self.previous_year}

    @property
    def reason_text(self) -> str:
        """Why the item does not compare, in the active language ('' when it does)."""
        return pick(self.reason)

    def panel(self) -> dict[str, Any]:
        """The question's panel: the organisations in both rounds and its first answer's
        moves and test."""
        first = next(iter(self.options.values()), None)
        moves = first.panel() if first else {"moved_to": None, "moved_from": None, "p_value": None}
        return {"n_both": self.n_both, **moves}

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "n": self.n,
            "previous_n": self.previous_n,
            "comparable": self.comparable,
        }
        if not self.is_choice:
            return out
        out["options"] = {
            code: {
                "count": o.count,
                "percent": o.percent,
                "previous_count": o.previous_count,
                "previous_percent": o.previous_percent,
                "change_pp": o.change_pp,
                "change_ci_low": o.change_ci_low,
                "change_ci_high": o.change_ci_high,
                "panel": o.panel(),
            }
            for code, o in self.options.items()
        }
        out["panel"] = self.panel()
        return out


@dataclass
class RoundChange:
    """A round against an earlier round of its series, per continued item."""

    round: Round
    previous: Round
    items: dict[str, ItemChange]

    @property
    def previous_year(self) -> int:
        return self.previous.form_year

    def as_json(self) -> dict[str, Any]:
        """The exchange format (``naravard results --compare-with``)."""
        return {
            "form": self.round.form_id,
            "previous_form": self.previous.form_id,
            "questions": {item_id: c.as_json() for item_id, c in self.items.items()},
        }


# ----------------------------------------------------------------- numbers ---


def _whole(value: float) -> str:
    """A number rounded to a whole, as the active language writes it (minus sign U+2212)."""
    rounded = round(value)
    text = formats.number_format(abs(rounded), 0)
    return f"\u2212{text}" if rounded < 0 else text


def _signed(value: float) -> str:
    rounded = round(value)
    return f"+{_whole(value)}" if rounded > 0 else _whole(value)


def newcombe_pp(count: int, n: int, previous_count: int, previous_n: int) -> tuple[float, float]:
    """The 95 % interval of ``count/n − previous_count/previous_n`` in percentage points."""
    low, high = confint_proportions_2indep(
        count, n, previous_count, previous_n, method="newcomb", compare="diff"
    )
    return 100.0 * float(low), 100.0 * float(high)


def mcnemar_p(stayed: int, moved_from: int, moved_to: int, neither: int) -> float:
    """McNemar's test on before (this answer / another) × now (this answer / another)."""
    exact = moved_from + moved_to < EXACT_BELOW
    result = mcnemar([[stayed, moved_from], [moved_to, neither]], exact=exact, correction=True)
    return float(result.pvalue)


# --------------------------------------------------------------- comparing ---


def _answers(rnd: Round, orgs: Iterable[str] | None) -> dict[str, dict[str, Any]]:
    """Per organisation that submitted, the items it answered (those asked of it)."""
    form = rnd.form
    out = {}
    for response, clean in clean_submitted(rnd, orgs):
        out[response.org_code] = {
            item.id: clean[item.id]
            for item in form.items
            if item.id in clean and applicable(item, clean)
        }
    return out


def correspondences(
    earlier: FormDefinition, later: FormDefinition
) -> dict[str, lineage.Correspondence]:
    """How the items of ``later`` continue those of ``earlier``; refused unless the two are
    different forms of one series, ``earlier`` the earlier."""
    if earlier.id == later.id:
        raise RoundsNotComparable(
            _(
                "Båda omgångarna gäller formuläret %(form)s; jämför med en omgång av ett "
                "tidigare formulär i samma serie."
            )
            % {"form": later.id}
        )
    series, earlier_series = series_of(later), series_of(earlier)
    if not series or series != earlier_series:
        raise RoundsNotComparable(
            _(
                "Formulären %(later)s och %(earlier)s hör inte till samma serie och kan inte "
                "jämföras fråga för fråga."
            )
            % {"later": later.id, "earlier": earlier.id}
        )
    if (earlier.series_year or 0) >= (later.series_year or 0):
        raise RoundsNotComparable(
            _("Formuläret %(earlier)s är inte tidigare i serien än %(later)s.")
            % {"later": later.id, "earlier": earlier.id}
        )
    try:  # a form stored in a round before forms named their series: the shipped one's lineage
        return lineage.between(
            earlier if earlier.series else registry().get(earlier.id, earlier),
            later if later.series else registry().get(later.id, later),
        )
    except ValueError as err:  # a stored form that does not name its series
        raise RoundsNotComparable(
            _("Formulären %(later)s och %(earlier)s hör inte till samma serie.")
            % {"later": later.id, "earlier": earlier.id}
        ) from err


def compare_rounds(rnd: Round, previous: Round, orgs: Iterable[str] | None = None) -> RoundChange:
    """``rnd`` against the earlier round ``previous``, over every submitted response or
    those of ``orgs`` (organisation codes)."""
    later, earlier = rnd.form, previous.form
    links = correspondences(earlier, later)
    orgs = list(orgs) if orgs is not None else None
    now_all, before_all = _answers(rnd, orgs), _answers(previous, orgs)
    year = previous.form_year
    items = {}
    for item in later.items:
        link = links.get(item.id)
        if link is None or not earlier.has_item(link.previous_item):
            continue
        now = {org: a[item.id] for org, a in now_all.items() if item.id in a}
        before = {
            org: link.later_code(a[link.previous_item])
            for org, a in before_all.items()
            if link.previous_item in a
        }
        change = ItemChange(
            item,
            link.previous_item,
            n=len(now),
            previous_n=len(before),
            comparable=link.comparable,
            reason=link.reason,
            previous_year=year,
            n_both=len(now.keys() & before.keys()),
        )
        if change.is_choice:
            change.options = {
                code: _option(code, now, before, year, link.comparable) for code in item.codes
            }
        items[item.id] = change
    return RoundChange(rnd, previous, items)


def _option(
    code: str, now: dict[str, Any], before: dict[str, Any], year: int, comparable: bool
) -> OptionChange:
    count = sum(v == code for v in now.values())
    previous_count = sum(v == code for v in before.values())
    option = OptionChange(
        code,
        count,
        percent(count, len(now)),
        previous_count,
        percent(previous_count, len(before)),
        year,
    )
    if not comparable:
        return option
    if option.percent is not None and option.previous_percent is not None:
        option.change_pp = option.percent - option.previous_percent
        option.change_ci_low, option.change_ci_high = newcombe_pp(
            count, len(now), previous_count, len(before)
        )
    both = now.keys() & before.keys()
    option.moved_to = sum(before[o] != code and now[o] == code for o in both)
    option.moved_from = sum(before[o] == code and now[o] != code for o in both)
    if both:
        stayed = sum(before[o] == code and now[o] == code for o in both)
        neither = len(both) - stayed - option.moved_to - option.moved_from
        option.p_value = mcnemar_p(stayed, option.moved_from, option.moved_to, neither)
    return option


# ------------------------------------------------------- the previous round ---


def previous_round(rnd: Round, candidates: Iterable[Round] | None = None) -> Round | None:
    """The round ``rnd`` is compared with: of the rounds of earlier forms of its series
    (``candidates``, default every round with a submitted response), the one of the latest
    year (its form's place in the series, then the year it describes, then when it opened);
    None if there is none."""
    form = rnd.form
    series, year = series_of(form), form.series_year
    if not series or year is None:
        return None
    earlier = {f.id for f in series_forms(series) if (f.series_year or 0) < year}
    if candidates is None:
        candidates = (
            Round.objects.filter(form_id__in=earlier)
            .filter(Q(responses__submitted_answers__isnull=False))
            .distinct()
        )
    best: tuple[tuple, Round] | None = None
    for other in candidates:
        if other.pk == rnd.pk or other.form_id not in earlier:
            continue
        key = (other.form.series_year or 0, other.form_year, other.opened_at)
        if best is None or key > best[0]:
            best = (key, other)
    return best[1] if best else None


def change_since_previous(rnd: Round) -> RoundChange | None:
    """``rnd`` against its previous round (see :func:`previous_round`), if it has one: what
    the round's follow-up page shows beside each share."""
    previous = previous_round(rnd)
    return compare_rounds(rnd, previous) if previous is not None else None
