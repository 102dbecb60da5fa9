"""Follow-up of a round: response rates, non-respondents and results per question.

Only submitted answers count: for a response that an analyst has reopened,
the answers as last submitted count until it is submitted again. Each
question's percentages use its own denominator: the responses that answered
it (item non-response is left out).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from naravard.collect.definition import Item
from naravard.collect.models import Response, ResponseStatus, Round
from naravard.collect.validation import applicable, validate
from naravard.refdata.models import Region


def percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


@dataclass
class CountyRate:
    code: str
    name: str
    invited: int
    responded: int

    @property
    def rate(self) -> float | None:
        return percent(self.responded, self.invited)


@dataclass
class RoundSummary:
    invited: int
    responded: int
    drafts: int
    reopened: int
    per_county: list[CountyRate]
    non_respondents: list[Response]

    @property
    def rate(self) -> float | None:
        return percent(self.responded, self.invited)


def summary(rnd: Round) -> RoundSummary:
    responses = list(rnd.responses.select_related("region", "municipality__region"))
    counties: dict[str, CountyRate] = {}
    for r in responses:
        org = r.organisation
        county = org if isinstance(org, Region) else org.region
        rate = counties.setdefault(county.code, CountyRate(county.code, county.county_name, 0, 0))
        rate.invited += 1
        rate.responded += r.has_submitted
    return RoundSummary(
        invited=len(responses),
        responded=sum(r.has_submitted for r in responses),
        drafts=sum(r.status == ResponseStatus.DRAFT and not r.has_submitted for r in responses),
        reopened=sum(r.has_submitted and r.status != ResponseStatus.SUBMITTED for r in responses),
        per_county=sorted(counties.values(), key=lambda c: c.code),
        non_respondents=sorted(
            (r for r in responses if not r.has_submitted), key=lambda r: r.org_code
        ),
    )


@dataclass
class ItemResult:
    item: Item
    asked: int  # submitted responses to which the item applied
    n: int  # of those, how many answered
    options: dict[str, int] = field(default_factory=dict)  # choice items: code -> count
    numbers: list[float] = field(default_factory=list)  # numeric items
    texts: list[tuple[str, str]] = field(default_factory=list)  # text items: (org code, text)
    rows: int = 0  # group items: number of rows
    field_options: dict[str, Counter] = field(default_factory=dict)  # group choice fields

    @property
    def missing(self) -> int:
        return self.asked - self.n

    def option_percent(self, code: str) -> float | None:
        return percent(self.options.get(code, 0), self.n)

    @property
    def stats(self) -> dict[str, float] | None:
        if not self.numbers:
            return None
        return {
            "sum": sum(self.numbers),
            "mean": statistics.fmean(self.numbers),
            "median": statistics.median(self.numbers),
            "min": min(self.numbers),
            "max": max(self.numbers),
        }


def clean_submitted(
    rnd: Round, orgs: Iterable[str] | None = None
) -> list[tuple[Response, dict[str, Any]]]:
    """Each response that has been submitted (by one of ``orgs`` if given), with its clean
    answers as last submitted."""
    form = rnd.form
    out = []
    responses = rnd.responses.filter(submitted_answers__isnull=False)
    if orgs is not None:
        orgs = list(orgs)
        responses = responses.filter(Q(region__in=orgs) | Q(municipality__in=orgs))
    for response in responses.select_related("region", "municipality"):
        out.append(
            (
                response,
                validate(
                    form, response.submitted_answers or {}, strict_skips=False, require=False
                ).clean,
            )
        )
    return out


def item_results(rnd: Round, orgs: Iterable[str] | None = None) -> list[ItemResult]:
    """Per item of the form: n and counts, over every submitted response or those of ``orgs``."""
    form = rnd.form
    results = {
        item.id: ItemResult(item, 0, 0, options={c.code: 0 for c in item.choices})
        for item in form.items
    }
    for response, clean in clean_submitted(rnd, orgs):
        for item in form.items:
            if not applicable(item, clean):
                continue
            res = results[item.id]
            res.asked += 1
            if item.id not in clean:
                continue
            res.n += 1
            value = clean[item.id]
            if item.type in ("yesno", "choice"):
                res.options[value] = res.options.get(value, 0) + 1
            elif item.type in ("number", "money", "year"):
                res.numbers.append(value)
            elif item.type == "text":
                res.texts.append((response.org_code, value))
            elif item.type == "group":
                res.rows += len(value)
                for f in item.fields:
                    if f.choices:
                        counter = res.field_options.setdefault(f.id, Counter())
                        counter.update(row[f.id] for row in value if f.id in row)
    return [results[item.id] for item in form.items]


def results_json(rnd: Round) -> dict:
    """The exchange format: per question n and, per option, count and unrounded percent."""
    s = summary(rnd)
    questions = {}
    for res in item_results(rnd):
        entry: dict[str, Any] = {"n": res.n}
        if res.item.choices:
            entry["options"] = {
                code: {"count": count, "percent": res.option_percent(code)}
                for code, count in res.options.items()
            }
        if res.stats:
            entry["stats"] = res.stats
        if res.item.type == "group":
            entry["rows"] = res.rows
            entry["fields"] = {
                f: {
                    "options": {
                        code: {"count": n, "percent": percent(n, res.rows)}
                        for code, n in sorted(counter.items())
                    }
                }
                for f, counter in res.field_options.items()
            }
        questions[res.item.id] = entry
    return {
        "form": rnd.form_id,
        "round": rnd.pk,
        "invited": s.invited,
        "responded": s.responded,
        "response_rate": s.rate,
        "questions": questions,
    }


# ---------------------------------------------------- the change since before ---

# The follow-up page shows beside each share its change since the previous round of the form's
# series, with its interval and test. That is analysis (analysis/round_change.py), a layer
# above collection, so the page asks for it through this one hook, which the workspace (the
# analysts' pages) fills when Django starts (workspace/apps.py). The hook takes a round and
# gives None (no earlier round) or an object whose ``items`` maps an item id to its change.
_change_since_previous: Callable[[Round], Any] | None = None


def show_change_with(provider: Callable[[Round], Any] | None) -> None:
    """Set (or with None, clear) what :func:`change_since_previous` asks."""
    global _change_since_previous
    _change_since_previous = provider


def change_since_previous(rnd: Round) -> Any:
    """The round's change since its previous round, as the hook gives it (None without one)."""
    return _change_since_previous(rnd) if _change_since_previous else None
