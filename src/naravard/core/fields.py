"""Form fields for numbers as people in Sweden type them: "31,4", "1 234,5", "12.5"."""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from naravard.core.tables import parse_number

F = TypeVar("F", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's field ``name`` as the ``kind`` it is, to set what only that kind has (the
    choices of a choice field, for instance) when the form is made."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"the field {name!r} is a {type(field).__name__}, not a {kind.__name__}")
    return field


class NumberField(forms.CharField):
    """A number field that takes the decimal comma and spaces between thousands, keeps what
    was typed when it is refused, and says why in the interface's language."""

    default_error_messages = {
        "invalid": _("Skriv ett tal, till exempel 31,4 eller 1 234."),
        "whole": _("Skriv ett heltal, utan decimaler."),
        "min_value": _("Talet får inte vara mindre än %(limit)s."),
        "max_value": _("Talet får inte vara större än %(limit)s."),
    }

    def __init__(
        self,
        *,
        min_value: float | None = None,
        max_value: float | None = None,
        whole: bool = False,
        **kwargs,
    ):
        self.min_value, self.max_value, self.whole = min_value, max_value, whole
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        # the length limit is for the typed text (checked in to_python), not for the number
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]
        self.widget.attrs.setdefault("inputmode", "numeric" if whole else "decimal")

    def to_python(self, value):
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        if self.max_length is not None and len(text) > self.max_length:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = parse_number(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if self.whole and not float(number).is_integer():
            raise forms.ValidationError(self.error_messages["whole"], code="whole")
        return number

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise forms.ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit": _limit(self.min_value)},
            )
        if self.max_value is not None and value > self.max_value:
            raise forms.ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": _limit(self.max_value)},
            )


def _limit(number: float) -> str:
    """A limit as the reader writes numbers (decimal comma in Swedish)."""
    return number_format(int(number) if float(number).is_integer() else number, force_grouping=True)
