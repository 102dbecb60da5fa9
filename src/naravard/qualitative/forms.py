"""Forms of the coding pages: code a passage, decide on a suggestion, filter, upload, write a
fact box."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naravard.core.fields import field_of
from naravard.qualitative.frame import current_frame, labels
from naravard.qualitative.models import FactBox, Passage, TextKind
from naravard.refdata.resolve import AmbiguousName, Resolver, UnknownName


def theme_choices() -> list[tuple[str, str]]:
    return list(labels(current_frame().all_themes).items())


def stage_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *labels(current_frame().stages).items()]


class CodeForm(forms.Form):
    """Themes and a stage for a passage: the span selected with the mouse (start/end, set by
    the page's script) or, without script, a range of sentences."""

    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    quote = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    first = forms.TypedChoiceField(label=gettext_lazy("Från mening"), coerce=int, required=False)
    last = forms.TypedChoiceField(
        label=gettext_lazy("Till och med mening"), coerce=int, required=False
    )
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Teman"), widget=forms.CheckboxSelectMultiple
    )
    stage = forms.ChoiceField(label=gettext_lazy("Skede"), required=False, widget=forms.RadioSelect)
    quotable = forms.BooleanField(
        label=gettext_lazy("Citat: rapporten får citera passagen"), required=False
    )

    def __init__(self, *args, segments=(), body: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.segments = list(segments)
        self.body = body
        numbered = [(s.position, f"{s.position + 1}: {s.body[:70]}") for s in self.segments]
        field_of(self, "first", forms.ChoiceField).choices = [("", "–")] + numbered
        field_of(self, "last", forms.ChoiceField).choices = [("", "–")] + numbered
        field_of(self, "themes", forms.ChoiceField).choices = theme_choices()
        field_of(self, "stage", forms.ChoiceField).choices = stage_choices(_("Inget skede"))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None:
            if end <= start:
                raise forms.ValidationError(_("Markeringen slutar före sin början."))
            if data.get("quote") and self.body[start:end] != data["quote"]:
                raise forms.ValidationError(
                    _("Markeringen stämmer inte med texten; markera passagen igen.")
                )
            data["span"] = (start, end)
            return data
        first, last = data.get("first"), data.get("last")
        if first in (None, ""):
            raise forms.ValidationError(_("Markera en passage i texten eller välj meningar."))
        if last in (None, ""):
            last = first
        by_position = {s.position: s for s in self.segments}
        if first not in by_position or last not in by_position or last < first:
            raise forms.ValidationError(
                _("Välj meningar i ordning: den sista får inte komma före den första.")
            )
        data["span"] = (by_position[first].start, by_position[last].end)
        return data


class DecideForm(forms.Form):
    """Accept a suggestion (with the themes and stage ticked) or reject it."""

    decision = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    themes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    stage = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "themes", forms.ChoiceField).choices = theme_choices()
        field_of(self, "stage", forms.ChoiceField).choices = stage_choices("–")


class FilterForm(forms.Form):
    """Which texts and passages to count or list (GET)."""

    kind = forms.ChoiceField(label=gettext_lazy("Slag av text"), required=False)
    round = forms.TypedChoiceField(
        label=gettext_lazy("Omgång"), required=False, coerce=int, empty_value=None
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    coder = forms.TypedChoiceField(
        label=gettext_lazy("Analytiker"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, rounds=(), regions=(), coders=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("Alla"))
        choices = {
            "kind": [everything, *TextKind.choices],
            "round": [everything, *((r.pk, r.title) for r in rounds)],
            "region": [everything, *((r.code, r.name) for r in regions)],
            "coder": [everything, *((u.pk, u.get_username()) for u in coders)],
        }
        for name, options in choices.items():
            field_of(self, name, forms.ChoiceField).choices = options


class DocumentForm(forms.Form):
    """An uploaded document and whose it is."""

    organisation = forms.CharField(
        label=gettext_lazy("Region eller kommun"),
        max_length=100,
        help_text=gettext_lazy("Namn eller kod, t.ex. Region Norrbotten, 25, Kiruna eller 2584."),
    )
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=300)
    file = forms.FileField(label=gettext_lazy("Fil (PDF eller text)"))

    def clean_organisation(self):
        name = self.cleaned_data["organisation"].strip()
        try:
            return Resolver.default().resolve(name)
        except AmbiguousName as exc:
            raise forms.ValidationError(
                _("%(name)s passar flera: %(places)s.")
                % {"name": name, "places": ", ".join(p.name for p in exc.places)}
            ) from None
        except UnknownName:
            raise forms.ValidationError(
                _("Ingen region eller kommun heter %(name)s.") % {"name": name}
            ) from None


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Sök i texterna"), max_length=200, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Slag av text"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("Alla"))
        field_of(self, "kind", forms.ChoiceField).choices = [everything, *TextKind.choices]
        field_of(self, "region", forms.ChoiceField).choices = [
            everything,
            *((r.code, r.name) for r in regions),
        ]


class QuotableForm(forms.Form):
    """Mark a coded passage as a quote the report may print, or unmark it."""

    quotable = forms.ChoiceField(choices=[("1", "yes"), ("0", "no")])

    @property
    def marked(self) -> bool:
        return self.cleaned_data["quotable"] == "1"


class PassageChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        quote = obj.quote if len(obj.quote) <= 100 else obj.quote[:99] + "…"
        return f"{obj.text.organisation.name}: {quote}"


class FactBoxForm(forms.ModelForm):
    """A fact box for one theme: the round it is for, the coded passage it builds on, and the
    analyst's title and text (plain paragraphs, a blank line between them). The model's
    :meth:`~naravard.qualitative.models.FactBox.clean` checks the passage against the round
    and the theme."""

    passage = PassageChoice(
        queryset=Passage.objects.none(),
        label=gettext_lazy("Kodad passage"),
        error_messages={
            "required": gettext_lazy("Välj den kodade passage som faktarutan bygger på."),
            "invalid_choice": gettext_lazy("Välj en passage som är kodad med temat."),
        },
    )

    class Meta:
        model = FactBox
        fields = ["round", "passage", "title", "text"]
        labels = {
            "round": gettext_lazy("Omgång"),
            "title": gettext_lazy("Rubrik (efter ”Exempel:”)"),
            "text": gettext_lazy("Text"),
        }
        help_texts = {
            "text": gettext_lazy("Vanlig text utan formatering; en tom rad mellan styckena."),
        }
        error_messages = {
            "round": {"required": gettext_lazy("Välj omgången som faktarutan gäller.")},
            "title": {"required": gettext_lazy("Skriv en rubrik.")},
            "text": {"required": gettext_lazy("Skriv faktarutans text.")},
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, theme_id: str, rounds, passages, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.theme = theme_id
        field_of(self, "round", forms.ModelChoiceField).queryset = rounds
        field_of(self, "passage", forms.ModelChoiceField).queryset = passages
