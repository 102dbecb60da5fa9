"""Filters that word an indicator result the same way on every page."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from naravard.analysis import wording
from naravard.core.language import pick
from naravard.presentation.charts import (
    decimals,
    judgement_label,
    number,
    target_text,
    unit_label,
    with_interval,
)

register = template.Library()


register.filter("vs_national", wording.vs_national)
register.filter("target_status", wording.target_status)
register.filter("trend_words", wording.trend)
register.filter("judgement", judgement_label)


@register.filter
def value_ci(row, unit: str | None = None) -> str:
    """'54,3 (52,1–56,4)', 'skyddad …' for a suppressed cell, '–' for none."""
    return with_interval(row, unit) if row is not None else "–"


@register.filter
def num(value, decimals_or_unit=1) -> str:
    """A number with the given decimals, or with as many as a unit ('ratio', 'count'…) needs."""
    if isinstance(decimals_or_unit, str) and not decimals_or_unit.isdigit():
        return number(value, decimals(decimals_or_unit))
    return number(value, int(decimals_or_unit))


@register.filter
def describe(target, unit: str | None = None) -> str:
    """The target in words, in the page's language, with the indicator's unit when given
    ('minst 55 %' / 'at least 55 %')."""
    return target_text(target, unit) if target else ""


@register.filter
def caveats_at(indicator, period) -> str:
    """The indicator's caveats that hold in the period shown, in the page's language."""
    return pick(indicator.caveats_at(period)) if period else ""


@register.filter
def unit(code: str) -> str:
    """A catalogue unit as readers write it."""
    return unit_label(code)


@register.filter
def signed(value, unit: str) -> str:
    """A difference with its sign, as many decimals as the unit needs: '+2,1', '−0,4'."""
    if value is None:
        return "–"
    shown = number(abs(value), decimals(unit))
    if shown.strip("0,.\u2009") == "":
        return shown
    return ("+" if value > 0 else "\u2212") + shown


@register.filter
def of_area(by_area: dict | None, code: str):
    """The entry of an area (by its code) in a dict keyed by area codes, or None."""
    return (by_area or {}).get(code)


# what ends a script element or starts markup, written as JSON escapes (as Django's json_script)
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def chart_json(spec: dict, element_id: str) -> str:
    """A chart's spec in a JSON script element, as Django's ``json_script`` writes it but with
    the letters as they are (å, not \\u00e5) and no spaces: a chart of many values is a
    third smaller."""
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text)
    )
