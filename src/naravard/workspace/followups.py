"""The analysts' page of follow-ups: every follow-up with its rounds and publication, and a form
to create one (through :func:`naravard.report.followups.create_followup`, as the command line
does, so each problem is told at its field and nothing is stored)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naravard.accounts.permissions import analyst_view
from naravard.collect.audit import actor_name
from naravard.collect.models import Round
from naravard.report.followups import (
    AUDIENCE,
    NAME_LENGTH,
    TITLE_LENGTH,
    FollowUpRefused,
    create_followup,
    default_titles,
    followup_rows,
)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class FollowUpForm(forms.Form):
    """The fields of a new follow-up as typed; the service checks them (no checks here, so
    the page and the command line refuse the same things with the same words)."""

    name = forms.CharField(
        label=gettext_lazy("Namn"),
        required=False,
        help_text=gettext_lazy(
            "Kort, t.ex. året: 2021. Det blir en del av rapportens adress och namnet i kommandona."
        ),
        widget=forms.TextInput(attrs={"maxlength": NAME_LENGTH, "size": 12}),
    )
    survey_round = forms.CharField(
        label=gettext_lazy("Kommunenkät"),
        required=False,
        help_text=gettext_lazy("En stängd omgång av enkäten till kommunerna."),
        widget=forms.Select,
    )
    status_round = forms.CharField(
        label=gettext_lazy("Nulägesrapporter"),
        required=False,
        help_text=gettext_lazy("En stängd omgång av regionernas nulägesrapporter."),
        widget=forms.Select,
    )
    data_until = forms.CharField(
        label=gettext_lazy("Data till och med"),
        required=False,
        help_text=gettext_lazy(
            "Indikatorernas perioder som slutar senast denna dag kommer med i rapporten."
        ),
        widget=_date_input(),
    )
    published_on = forms.CharField(
        label=gettext_lazy("Publiceringsdag"),
        required=False,
        help_text=gettext_lazy("Den enda dag som står i rapporten."),
        widget=_date_input(),
    )
    title_sv = forms.CharField(
        label=gettext_lazy("Titel på svenska (valfri)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": TITLE_LENGTH, "size": 60}),
    )
    title_en = forms.CharField(
        label=gettext_lazy("Titel på engelska (valfri)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": TITLE_LENGTH, "size": 60}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        closed = [r for r in Round.objects.order_by("-opened_at", "-pk") if r.is_locked]
        for field, level in AUDIENCE.items():
            choices = [("", _("Välj en omgång"))] + [
                (
                    str(r.pk),
                    _("%(title)s (omgång %(id)s, %(form)s, avser %(year)s)")
                    % {"title": r.title, "id": r.pk, "form": r.form_id, "year": r.form_year},
                )
                for r in closed
                if r.form.audience_level == level
            ]
            widget = self.fields[field].widget
            assert isinstance(widget, forms.Select)
            widget.choices = choices
        sv, en = default_titles(_("NAMN"))
        self.fields["title_sv"].widget.attrs["placeholder"] = sv
        self.fields["title_en"].widget.attrs["placeholder"] = en


@analyst_view
def followups(request):
    """Every follow-up with its rounds, periods and publication; a form to create one."""
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = create_followup(
                data["name"],
                survey_round=data["survey_round"],
                status_round=data["status_round"],
                data_until=data["data_until"],
                published_on=data["published_on"],
                title_sv=data["title_sv"],
                title_en=data["title_en"],
                actor=actor_name(request.user),
            )
        except FollowUpRefused as exc:
            for field, text in exc.problems.items():
                form.add_error(field, text)
        else:
            messages.success(
                request, _("Uppföljningen %(name)s är skapad.") % {"name": created.name}
            )
            return redirect("workspace:followups")
    return render(
        request,
        "workspace/followups.html",
        {"rows": followup_rows(), "form": form},
        status=400 if form.errors else 200,
    )
