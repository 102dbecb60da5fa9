"""The analysts' pages of a follow-up's report text: the outline's chapters with their texts'
versions, and an editor per text (Markdown with expressions) with a live preview, the typed
numbers the build would refuse and the versions before it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from naravard.accounts.permissions import analyst_view
from naravard.collect.audit import actor_name
from naravard.refdata.models import Region
from naravard.report import outline as outlines
from naravard.report import texts
from naravard.report.models import FollowUp
from naravard.report.preview import preview

LANGUAGES = {"sv": gettext_lazy("svenska"), "en": gettext_lazy("engelska")}


class TextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=texts.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 24, "cols": 80, "spellcheck": "true"}),
        help_text=gettext_lazy(
            'Markdown. Skriv tal som uttryck, t.ex. {{ enkat.andel("2", "ja") | procent }}; '
            'placera en figur med {{ figur("nyckel") }} på en egen rad och hänvisa med '
            '{{ ref("nyckel") }}.'
        ),
    )


def _followup(name: str) -> FollowUp:
    return get_object_or_404(FollowUp, name=name)


def _titles(followup: FollowUp) -> dict[str, str]:
    """Every text key an analyst may write, with its title: the chapters, the profiles."""
    try:
        shape = texts.outline_of(followup)
    except outlines.OutlineError:
        shape = outlines.standard()
    out = {c.key: c.name() for c in shape.chapters}
    for region in Region.objects.order_by("code"):
        out[f"profil-{region.code}"] = _("Profil: %(name)s") % {"name": region.name}
    return out


@analyst_view
def report_texts(request, name: str):
    """The outline's chapters and the profiles, each language's newest version and author."""
    followup = _followup(name)
    newest = texts.newest(followup)
    rows = [
        {
            "key": key,
            "title": title,
            "versions": {lang: newest.get((key, lang)) for lang in LANGUAGES},
        }
        for key, title in _titles(followup).items()
    ]
    outline_problem = ""
    try:
        texts.outline_of(followup)
    except outlines.OutlineError as exc:
        outline_problem = str(exc)
    return render(
        request,
        "workspace/report_texts.html",
        {
            "followup": followup,
            "rows": rows,
            "languages": LANGUAGES,
            "outline": newest.get((outlines.OUTLINE_KEY, "")),
            "outline_problem": outline_problem,
        },
    )


def _key_or_404(followup: FollowUp, key: str, lang: str) -> str:
    if lang not in LANGUAGES:
        raise Http404
    titles = _titles(followup)
    if key not in titles:
        raise Http404
    return titles[key]


@analyst_view
def edit_text(request, name: str, key: str, lang: str):
    """One text: save a new version, preview it (with or without JavaScript), the versions."""
    followup = _followup(name)
    title = _key_or_404(followup, key, lang)
    form = TextForm(request.POST or None, initial={"text": texts.text_of(followup, key, lang)})
    shown = None
    status = 200
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["text"]
        if "preview" in request.POST:
            shown = preview(followup, key, source)
        else:
            try:
                stored = texts.save(followup, key, lang, source, actor_name(request.user))
            except texts.TextRefused as exc:
                form.add_error("text", " ".join(exc.problems))
                status = 400
            else:
                if stored is None:
                    messages.info(request, _("Texten är oförändrad; ingen ny version sparades."))
                else:
                    messages.success(request, _("Version %(v)d är sparad.") % {"v": stored.version})
                return redirect("workspace:report_text", name=name, key=key, lang=lang)
    elif request.method == "POST":
        status = 400
    if shown is None:
        shown = preview(followup, key, form["text"].value() or "")
    return render(
        request,
        "workspace/report_text.html",
        {
            "followup": followup,
            "key": key,
            "lang": lang,
            "language": LANGUAGES[lang],
            "title": title,
            "form": form,
            "preview": shown,
            "history": texts.history(followup, key, lang)[:20],
        },
        status=status,
    )


@require_POST
@analyst_view
def preview_text(request, name: str, key: str, lang: str):
    """The preview as an HTML fragment, for the edit page's script."""
    followup = _followup(name)
    _key_or_404(followup, key, lang)
    form = TextForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            render_to_string(
                "workspace/_text_preview.html",
                {"preview": None, "errors": form.errors.get("text", [])},
                request,
            ),
            status=400,
        )
    shown = preview(followup, key, form.cleaned_data["text"])
    return HttpResponse(
        render_to_string("workspace/_text_preview.html", {"preview": shown}, request)
    )
