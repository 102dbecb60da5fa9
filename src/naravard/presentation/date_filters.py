"""Template filters every page has without ``{% load %}``: periods and days as people read
them (see :mod:`naravard.core.dates`)."""

from django import template

from naravard.core.dates import period_label as label_of_period

register = template.Library()


@register.filter
def period_label(period) -> str:
    """A period or a day as people read it, in the page's language: '2022', 'mars 2020',
    '31 december 2022' (never the ISO code; links, downloads and form values keep that)."""
    return label_of_period(period) if period else ""
