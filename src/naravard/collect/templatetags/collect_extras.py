"""Template filters for the collection pages."""

from django import template

from naravard.core.language import current

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (None when missing)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def dom_id(item_id: str) -> str:
    """The HTML id of an item's input or row, e.g. '1.politisk' -> 'q-1-politisk'."""
    return "q-" + str(item_id).replace(".", "-")


@register.filter
def item_label(form, item_id: str) -> str:
    """An item as the person calls it ('Fråga 1, Politisk nivå'), in the page's language."""

    return form.label(str(item_id), current()) if form is not None else str(item_id)
