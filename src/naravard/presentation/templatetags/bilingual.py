"""{{ texts|pick }}: the current language's text of a {'sv': …, 'en': …} pair."""

from django import template

from naravard.core.language import pick as pick_text

register = template.Library()


@register.filter
def pick(texts):
    return pick_text(texts)
