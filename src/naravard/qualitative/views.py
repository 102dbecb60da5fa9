"""The analysts' coding pages: theme counts, one theme's quotes and fact boxes, texts, coding a
text, marking quotable passages, suggestions, agreement between analysts, full-text search and
document upload."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naravard.accounts.permissions import analyst_view
from naravard.catalog.catalogue import indicators_for_theme
from naravard.collect.models import Round
from naravard.core.language import pick
from naravard.qualitative import agreement, coding, counts, documents, search, texts
from naravard.qualitative.forms import (
    CodeForm,
    DecideForm,
    DocumentForm,
    FactBoxForm,
    FilterForm,
    QuotableForm,
    SearchForm,
)
from naravard.qualitative.frame import current_frame, labels
from naravard.qualitative.models import (
    FactBox,
    Passage,
    Suggestion,
    SuggestionStatus,
    Text,
    TextKind,
)
from naravard.refdata.models import Municipality, Region

PAGE_SIZE = 50
SEARCH_LIMIT = 50


def _filter_form(request) -> tuple[FilterForm, counts.Filters]:
    coders = (
        get_user_model()
        .objects.filter(pk__in=Passage.objects.values("coder_id"))
        .order_by("username")
    )
    form = FilterForm(
        request.GET or None,
        rounds=Round.objects.filter(pk__in=Text.objects.values("round_id")),
        regions=Region.objects.all(),
        coders=coders,
    )
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return form, counts.Filters(
            kind=d["kind"], round_id=d["round"], coder_id=d["coder"], region=d["region"]
        )
    return form, counts.Filters()


def waiting_suggestions():
    """Suggestions still to decide, of the current frame, for current texts, on sentences no
    analyst has coded yet (a sentence coded by hand needs no suggestion)."""
    coded = Passage.objects.filter(
        text_id=OuterRef("segment__text_id"),
        start__lt=OuterRef("segment__end"),
        end__gt=OuterRef("segment__start"),
    )
    return Suggestion.objects.filter(
        status=SuggestionStatus.PENDING,
        frame_version=current_frame().version,
        segment__text__replaced_at__isnull=True,
    ).exclude(Exists(coded))


def _named(passages: list[Passage]) -> list[Passage]:
    """Give each passage the names of its stage and themes for the page."""
    stages = labels(current_frame().stages)
    themes = labels(current_frame().all_themes)
    for p in passages:
        p.stage_name = stages.get(p.stage, p.stage)
        p.theme_names = [themes.get(t, t) for t in p.theme_ids]
    return passages


@analyst_view
def overview(request):
    """Per theme: how many coded passages, which regions and municipalities raise it."""
    form, filters = _filter_form(request)
    rows = counts.theme_counts(filters)
    for row in rows:
        row.stage_list = current_frame().stage_counts(row.stages)
    replaced = Passage.objects.filter(text__replaced_at__isnull=False).count()
    return render(
        request,
        "qualitative/overview.html",
        {
            "form": form,
            "rows": rows,
            "query": request.GET.urlencode(),
            "n_regions": Region.objects.count(),
            "n_municipalities": Municipality.objects.count(),
            "n_texts": filters.texts().count(),
            "n_passages": filters.passages().count(),
            "n_pending": waiting_suggestions().count(),
            "replaced": replaced,
            "pairs": [(a, b, n, agreement.agreement(a, b)) for a, b, n in agreement.pairs()],
            "frame": current_frame(),
            "search_form": SearchForm(regions=Region.objects.all()),
        },
    )


@analyst_view
def theme(request, theme_id: str):
    """One theme: the regions and municipalities that raise it, with the quotes, and the
    indicators the catalogue links to it."""
    try:
        code = current_frame().theme(theme_id)
    except KeyError:
        raise Http404 from None
    form, filters = _filter_form(request)
    row = counts.theme_counts(filters, codes=(code,))[0]
    subthemes = counts.theme_counts(filters, codes=code.subthemes) if code.subthemes else []
    passages = _named(list(counts.quotes(theme_id, filters)))
    by_org: dict[str, dict[tuple, list[Passage]]] = {}
    for p in passages:  # the same span coded by several analysts is quoted once
        spans = by_org.setdefault(p.text.organisation.name, {})
        spans.setdefault((p.text_id, p.start, p.end), []).append(p)
    return render(
        request,
        "qualitative/theme.html",
        {
            "theme": code,
            "row": row,
            "form": form,
            "subthemes": subthemes,
            "parent": current_frame().theme(code.parent) if code.parent else None,
            # (organisation, [(the span's codings, whether the report may quote it)])
            "by_org": [
                (org, [(codings, any(c.quotable for c in codings)) for codings in spans.values()])
                for org, spans in by_org.items()
            ],
            "indicators": indicators_for_theme(theme_id),
            "n_regions": Region.objects.count(),
            "factboxes": _factboxes(code),
        },
    )


def _factboxes(code) -> list[FactBox]:
    """The fact boxes of a theme and of its sub-themes, with their passage and round."""
    return list(
        FactBox.objects.filter(theme__in=[code.id, *(s.id for s in code.subthemes)])
        .select_related("round", "passage__text__region", "passage__text__municipality")
        .select_related("author", "edited_by")
        .order_by("round__opened_at", "round_id", "created_at", "pk")
    )


@analyst_view
def text_list(request):
    """The collected texts, with their coded passages and waiting suggestions."""
    form, filters = _filter_form(request)
    rows = (
        filters.texts()
        .select_related("region", "municipality", "round")
        .annotate(n_passages=Count("passages"))
    )
    if request.GET.get("okodade"):
        rows = rows.filter(n_passages=0)
    page = Paginator(
        rows.order_by("region_id", "municipality_id", "round_id", "item_id", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("sida"))
    waiting = dict(
        waiting_suggestions()
        .filter(segment__text__in=list(page.object_list))
        .values_list("segment__text")
        .annotate(n=Count("pk"))
    )
    for t in page.object_list:
        t.n_pending = waiting.get(t.pk, 0)
    return render(
        request,
        "qualitative/texts.html",
        {
            "form": form,
            "page": page,
            "uncoded": bool(request.GET.get("okodade")),
            "query": _without(request, "sida"),
        },
    )


def _without(request, *keys) -> str:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


@analyst_view
def text_detail(request, pk: int):
    """One text by sentence, its coded passages, its suggestions and the coding form."""
    text = get_object_or_404(Text.objects.select_related("region", "municipality", "round"), pk=pk)
    segments = list(text.segments.all())
    if request.method == "POST":
        form = CodeForm(request.POST, segments=segments, body=text.body)
        if form.is_valid():
            start, end = form.cleaned_data["span"]
            try:
                passage = coding.code_passage(
                    text,
                    start,
                    end,
                    form.cleaned_data["themes"],
                    form.cleaned_data["stage"],
                    coder=request.user,
                    quotable=form.cleaned_data["quotable"],
                )
            except coding.CodingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Passagen är kodad: %(quote)s") % {"quote": _short(passage.quote)}
                )
                return redirect(reverse("qualitative:text", args=[text.pk]) + "#passager")
        status = 400
    else:
        form, status = CodeForm(segments=segments, body=text.body), 200
    return render(
        request, "qualitative/text.html", _text_context(text, segments, form), status=status
    )


def _short(quote: str, n: int = 80) -> str:
    return quote if len(quote) <= n else quote[: n - 1] + "…"


def _text_context(text: Text, segments, form) -> dict:
    passages = _named(list(text.passages.select_related("coder").prefetch_related("themes")))
    pending = {
        s.segment_id: s
        for s in _with_names(
            waiting_suggestions().filter(segment__text=text).select_related("segment")
        )
    }
    rows, at = [], 0
    for s in segments:
        rows.append(
            {
                "segment": s,
                "gap": text.body[at : s.start],
                "suggestion": pending.get(s.pk),
                "passages": [p for p in passages if p.start < s.end and p.end > s.start],
            }
        )
        at = s.end
    return {
        "text": text,
        "rows": rows,
        "form": form,
        "passages": passages,
        "subtheme_ids": {t.id for t in current_frame().all_themes if t.parent},
        "suggestions": list(pending.values()),
        "stage_choices": list(labels(current_frame().stages).items()),
        "other_versions": Text.objects.filter(response=text.response, item_id=text.item_id).exclude(
            pk=text.pk
        )
        if text.response_id
        else [],
    }


def _with_names(suggestions) -> list[Suggestion]:
    """Give each suggestion its themes' names with the words that matched."""
    names = labels(current_frame().all_themes)
    out = list(suggestions)
    for s in out:
        s.theme_rows = [(t, names.get(t, t), s.evidence.get(t, [])) for t in s.themes]
    return out


@analyst_view
@require_POST
def remove_passage(request, pk: int):
    passage = get_object_or_404(Passage, pk=pk)
    try:
        coding.remove_passage(passage, user=request.user)
    except coding.CodingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Passagen är borttagen."))
    return redirect(reverse("qualitative:text", args=[passage.text_id]) + "#passager")


def _back(request, default: str) -> str:
    """The page to go back to: the form's ``tillbaka`` if it is a path on this site."""
    back = request.POST.get("tillbaka", "")
    return back if back.startswith("/") and not back.startswith("//") else default


@analyst_view
@require_POST
def mark_quotable(request, pk: int):
    """Mark a coded passage as a quote the report may print ("citat"), or unmark it."""
    passage = get_object_or_404(Passage, pk=pk)
    back = _back(request, reverse("qualitative:text", args=[passage.text_id]) + f"#passage-{pk}")
    form = QuotableForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Valet om citat kunde inte läsas."))
        return redirect(back)
    coding.mark_quotable(passage, form.marked)
    if form.marked:
        messages.success(
            request, _("Passagen får citeras: %(quote)s") % {"quote": _short(passage.quote)}
        )
    else:
        messages.success(
            request, _("Passagen citeras inte längre: %(quote)s") % {"quote": _short(passage.quote)}
        )
    return redirect(back)


def _theme_or_404(theme_id: str):
    try:
        return current_frame().theme(theme_id)
    except KeyError:
        raise Http404 from None


def _factbox_form(request, code, instance: FactBox | None = None) -> FactBoxForm:
    """The fact-box form for a theme: rounds with texts, and the passages coded with the
    theme on current texts of a round."""
    passages = (
        Passage.objects.filter(
            themes__theme=code.id, text__replaced_at__isnull=True, text__round__isnull=False
        )
        .select_related("text__region", "text__municipality")
        .order_by("text__region_id", "text__municipality_id", "text__item_id", "start", "pk")
    )
    initial = {}
    if instance is None and request.method == "GET" and request.GET.get("passage", "").isdigit():
        chosen = passages.filter(pk=int(request.GET["passage"])).first()
        if chosen is not None:
            initial = {"passage": chosen.pk, "round": chosen.text.round_id}
    return FactBoxForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        initial=initial,
        theme_id=code.id,
        rounds=Round.objects.filter(pk__in=Text.objects.values("round_id")).order_by(
            "-opened_at", "pk"
        ),
        passages=passages,
    )


@analyst_view
def factbox_new(request, theme_id: str):
    """Write a fact box ("Exempel: …") for a theme from one of its coded passages."""
    return _factbox_page(request, _theme_or_404(theme_id), None)


@analyst_view
def factbox_edit(request, pk: int):
    """Change a fact box; who changed it and when is kept beside its author."""
    box = get_object_or_404(FactBox.objects.select_related("author"), pk=pk)
    return _factbox_page(request, _theme_or_404(box.theme), box)


def _factbox_page(request, code, box: FactBox | None):
    """The fact box's form: stored (a new one with its author, a changed one with who changed
    it and when) and back to the theme's page, or shown again with what to correct."""
    form = _factbox_form(request, code, box)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if box is None:
            saved.author = request.user
            done = _("Faktarutan är sparad: %(title)s")
        else:
            saved.edited_by, saved.edited_at = request.user, timezone.now()
            done = _("Faktarutan är ändrad: %(title)s")
        saved.save()
        messages.success(request, done % {"title": saved.title})
        return redirect(reverse("qualitative:theme", args=[code.id]) + f"#faktaruta-{saved.pk}")
    return render(
        request,
        "qualitative/factbox.html",
        {"form": form, "theme": code, "box": box},
        status=400 if request.method == "POST" else 200,
    )


@analyst_view
@require_POST
def factbox_delete(request, pk: int):
    box = get_object_or_404(FactBox, pk=pk)
    box.delete()
    messages.success(request, _("Faktarutan är borttagen: %(title)s") % {"title": box.title})
    return redirect(reverse("qualitative:theme", args=[box.theme]) + "#faktarutor")


@analyst_view
def suggestions(request):
    """Waiting suggestions, and how earlier ones were decided per theme."""
    pending = (
        waiting_suggestions()
        .select_related("segment__text__region", "segment__text__municipality")
        .order_by(
            "segment__text__region_id",
            "segment__text__municipality_id",
            "segment__text_id",
            "segment__position",
        )
    )
    theme = request.GET.get("tema", "")
    if theme:
        pending = [s for s in pending if theme in s.themes]
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "qualitative/suggestions.html",
        {
            "page": page,
            "items": _with_names(page.object_list),
            "theme": theme,
            "decided": _decided_per_theme(),
            "themes": current_frame().all_themes,
            "stage_choices": list(labels(current_frame().stages).items()),
        },
    )


def _decided_per_theme() -> list[tuple[str, int, int, float]]:
    """(theme, suggested and kept, suggested and dropped or rejected, share kept)."""
    kept: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    for s in (
        Suggestion.objects.exclude(status=SuggestionStatus.PENDING)
        .select_related("passage")
        .prefetch_related("passage__themes")
    ):
        final = set(s.passage.theme_ids) if s.passage else set()
        for t in s.themes:
            (kept if t in final else dropped)[t] += 1
    out = []
    for t in current_frame().all_themes:
        n = kept[t.id] + dropped[t.id]
        if n:
            out.append((pick(t.name), kept[t.id], dropped[t.id], kept[t.id] / n))
    return out


@analyst_view
@require_POST
def decide(request, pk: int):
    suggestion = get_object_or_404(Suggestion.objects.select_related("segment"), pk=pk)
    form = DecideForm(request.POST)
    back = request.POST.get("tillbaka", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("qualitative:suggestions")
    if not form.is_valid():
        messages.error(
            request,
            _("Beslutet kunde inte läsas: %(errors)s")
            % {
                "errors": "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items())
            },
        )
        return redirect(back)
    try:
        if form.cleaned_data["decision"] == "accept":
            # the page sends the themes still ticked and the stage chosen: none ticked is
            # an error, not "all suggested"
            coding.accept(
                suggestion,
                user=request.user,
                themes=form.cleaned_data["themes"],
                stage=form.cleaned_data["stage"],
            )
            messages.success(request, _("Förslaget är godtaget."))
        else:
            coding.reject(suggestion, user=request.user)
            messages.success(request, _("Förslaget är avvisat."))
    except coding.CodingError as exc:
        messages.error(request, str(exc))
    return redirect(back)


@analyst_view
def agreement_view(request):
    """Cohen's kappa between every pair of analysts who coded the same texts."""
    results = [agreement.agreement(a, b) for a, b, _n in agreement.pairs()]
    return render(
        request,
        "qualitative/agreement.html",
        {
            "results": [r for r in results if r is not None],
            "stage_names": labels(current_frame().stages),
        },
    )


@analyst_view
def search_view(request):
    """Full-text search over every collected text, in Swedish."""
    form = SearchForm(request.GET or None, regions=Region.objects.all())
    hits, query = [], ""
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            hits = search.search(
                query,
                kind=form.cleaned_data["kind"] or None,
                region=form.cleaned_data["region"] or None,
                limit=SEARCH_LIMIT,
            )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "qualitative/search.html",
        {"form": form, "hits": hits, "query": query, "limit": SEARCH_LIMIT},
        status=status,
    )


@analyst_view
def upload(request):
    """Upload a PDF or text document of a region or municipality; its text can be coded."""
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            place = form.cleaned_data["organisation"]
            upload = form.cleaned_data["file"]
            data = upload.read(documents.MAX_BYTES + 1)  # a larger file is refused unread
            try:
                body = documents.extract_text(upload.name, data)
            except documents.DocumentError as exc:
                form.add_error("file", str(exc))
            else:
                region = Region.objects.get(code=place.code) if place.level == "region" else None
                municipality = (
                    Municipality.objects.get(code=place.code)
                    if place.level == "municipality"
                    else None
                )
                digest = documents.fingerprint(data)
                same = Text.objects.filter(
                    file_sha256=digest, region=region, municipality=municipality
                ).first()
                if same:
                    form.add_error(
                        "file",
                        _("Filen är redan uppladdad för %(org)s: %(title)s.")
                        % {"org": place.name, "title": same.title},
                    )
                else:
                    try:
                        with transaction.atomic():
                            text = texts.add_text(
                                kind=TextKind.DOCUMENT,
                                title=form.cleaned_data["title"],
                                body=body,
                                file_name=upload.name[:255],
                                file_sha256=digest,
                                user=request.user,
                                region=region,
                                municipality=municipality,
                            )
                    except IntegrityError:  # the same file, uploaded at the same moment
                        form.add_error(
                            "file", _("Filen är redan uppladdad för %(org)s.") % {"org": place.name}
                        )
                    else:
                        messages.success(
                            request,
                            _("Dokumentet är inläst: %(n)s meningar.")
                            % {"n": text.segments.count()},
                        )
                        return redirect("qualitative:text", pk=text.pk)
        status = 400
    else:
        form, status = DocumentForm(), 200
    return render(request, "qualitative/upload.html", {"form": form}, status=status)
