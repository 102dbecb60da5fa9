"""Fact-check pages: the analyst's overview and decisions, each region's own draft profile
with comments, proposed corrections and approval, and the difference between two drafts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from naravard.accounts.permissions import Action, analyst_view, has_permission, require
from naravard.catalog.catalogue import get_indicator, period_label
from naravard.collect.audit import actor_name
from naravard.core.fields import NumberField, field_of
from naravard.core.language import pick
from naravard.presentation import charts
from naravard.refdata.models import Region
from naravard.report import factcheck, factcheck_mail, texts
from naravard.report.factcheck import FactCheckError
from naravard.report.models import Draft, Feedback, FeedbackKind, FeedbackStatus, FollowUp


class OpenForm(forms.Form):
    deadline = forms.DateField(
        label=gettext_lazy("Sista dag för regionerna"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class CommentForm(forms.Form):
    passage = forms.CharField(widget=forms.HiddenInput, max_length=200)
    text = forms.CharField(
        label=gettext_lazy("Kommentar"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposalForm(forms.Form):
    """A corrected value for one of the region's figures: the indicator and period are
    chosen, not typed; an indicator whose values carry counts asks for numerator and
    denominator (the value follows), any other for the value itself."""

    passage = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)
    indicator_id = forms.ChoiceField(label=gettext_lazy("Indikator"))
    period = forms.ChoiceField(label=gettext_lazy("Period"))
    numerator = NumberField(label=gettext_lazy("Täljare"), required=False, min_value=0)
    denominator = NumberField(label=gettext_lazy("Nämnare"), required=False, min_value=0)
    value = NumberField(label=gettext_lazy("Rättat värde"), required=False)
    source = forms.CharField(
        label=gettext_lazy("Källa"),
        max_length=500,
        help_text=gettext_lazy(
            "Var det rättade värdet kommer ifrån, t.ex. "
            "regionens listningsregister den 31 "
            "december 2019."
        ),
    )
    text = forms.CharField(
        label=gettext_lazy("Motivering"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args, indicators=(), periods=(), indicator=None, how: str = "value", **kwargs
    ):
        super().__init__(*args, **kwargs)
        field_of(self, "indicator_id", forms.ChoiceField).choices = list(indicators)
        field_of(self, "period", forms.ChoiceField).choices = [
            (p, period_label(p)) for p in periods
        ]
        keep = {
            factcheck.Asked.FRACTION: ("numerator", "denominator"),
            factcheck.Asked.MEAN: ("value", "denominator"),
        }.get(how, ("value",))
        for name in ("numerator", "denominator", "value"):
            if name in keep:
                self.fields[name].required = True
            else:
                del self.fields[name]
        if indicator is not None and "value" in self.fields:
            self.fields["value"].label = _("Rättat värde (%(unit)s)") % {
                "unit": charts.unit_label(indicator.unit)
            }
            field_of(self, "value", NumberField).whole = indicator.unit_info.whole
        if indicator is not None and how == factcheck.Asked.FRACTION:  # persons or events
            self.fields["numerator"].help_text = pick(indicator.numerator)
            self.fields["denominator"].help_text = pick(indicator.denominator)
            field_of(self, "numerator", NumberField).whole = True
            field_of(self, "denominator", NumberField).whole = True
        if how == factcheck.Asked.MEAN:
            self.fields["denominator"].label = _("Antal personer")
            field_of(self, "denominator", NumberField).whole = True


class TextProposalForm(forms.Form):
    """The region's version of its profile's analyst text, with why."""

    lang = forms.ChoiceField(
        label=gettext_lazy("Språk"),
        choices=[("sv", gettext_lazy("svenska")), ("en", gettext_lazy("engelska"))],
    )
    proposed_text = forms.CharField(
        label=gettext_lazy("Föreslagen text"),
        max_length=factcheck.TEXT_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Hela stycket som ni vill att profilen ska ha. Analytikern ser ändringarna mot "
            "nuvarande text och godtar eller avvisar förslaget."
        ),
        error_messages={"required": gettext_lazy("Skriv den text du föreslår.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Motivering"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _followup(name: str) -> FollowUp:
    return get_object_or_404(
        FollowUp.objects.select_related("survey_round", "status_round"), name=name
    )


def _indicator_choices(followup: FollowUp) -> list[tuple[str, str]]:
    """The indicators of the draft a correction may name, by their names."""
    draft = factcheck.latest_draft(followup)
    ids = [p.key for p in draft.part(factcheck.INDICATORS)] if draft else []
    return [(i, pick(get_indicator(i).name)) for i in ids]


def _counts_text(ind, f: Feedback) -> str:
    """The counts a corrected value carries: numerator and denominator, or the persons an
    average is taken over."""
    if f.denominator is None:
        return ""
    if ind.kind == "amount":
        return _("%(n)s personer") % {"n": charts.number(f.denominator, 0)}
    return _("täljare / nämnare: %(num)s / %(den)s") % {
        "num": charts.number(f.numerator, 0),
        "den": charts.number(f.denominator, 0),
    }


def _text_before(f: Feedback) -> str:
    """What a proposed text is compared with: the current text while it is open, the version
    it changed once decided."""
    versions = texts.history(f.factcheck.followup, f"profil-{f.region_id}", f.lang)
    if f.status == FeedbackStatus.OPEN:
        return versions[0].text if versions else ""
    return next((v.text for v in versions if v.version == f.base_version), "")


def _feedback_rows(feedback) -> list[dict]:
    """Feedback as people read it: indicator names, periods and numbers in words."""
    out = []
    for f in feedback:
        row = {"f": f}
        if f.kind == FeedbackKind.TEXT:
            row.update(diff=factcheck.text_diff(_text_before(f), f.proposed_text))
        elif f.kind == FeedbackKind.PROPOSAL:
            ind = get_indicator(f.indicator_id)
            row.update(
                indicator=pick(ind.name),
                period=period_label(f.period),
                value=charts.number(f.value, charts.decimals(ind.unit)),
                unit=charts.unit_label(ind.unit),
                counts=_counts_text(ind, f),
            )
        out.append(row)
    return out


@analyst_view
def overview(request, name: str):
    """The analyst's page: open the fact-check, each region's state, every piece of feedback
    to decide, the draft versions, publication and the follow-up's log."""
    followup = _followup(name)
    check = getattr(followup, "factcheck", None)
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            factcheck.open_factcheck(
                followup, form.cleaned_data["deadline"], actor=actor_name(request.user)
            )
        except FactCheckError as exc:
            form.add_error(exc.field, str(exc))
        else:
            sent = factcheck_mail.send_opened(followup, request.build_absolute_uri("/"))
            messages.success(
                request,
                _(
                    "Faktagranskningen är öppnad. E-post gick till samordnarna i %(n)d regioner; "
                    "%(m)d regioner saknar samordnare med e-postadress."
                )
                % {"n": len(sent.sent), "m": len(sent.no_contact)},
            )
            if sent.failed:
                messages.error(
                    request,
                    _("E-posten kunde inte skickas till: %(failed)s")
                    % {"failed": "; ".join(sent.failed)},
                )
            return redirect("report:factcheck", name=name)
    state = factcheck.answers(followup)
    feedback = (
        list(check.feedback.select_related("region", "draft", "factcheck__followup"))
        if check
        else []
    )
    status = {
        r.code: label
        for regions, label in (
            (state.approved, _("godkänt")),
            (state.approved_earlier, _("godkänt en äldre version")),
            (state.commented, _("synpunkter, ej godkänt")),
            (state.silent, _("inte svarat")),
        )
        for r in regions
    }
    regions = [
        {
            "region": r,
            "status": status.get(r.code, ""),
            "approved": any(a.code == r.code for a in state.approved),
            "open": sum(
                f.region_id == r.code
                and f.status == FeedbackStatus.OPEN
                and f.kind != FeedbackKind.APPROVAL
                for f in feedback
            ),
        }
        for r in Region.objects.order_by("code")
    ]
    return render(
        request,
        "report/factcheck.html",
        {
            "followup": followup,
            "check": check,
            "form": form,
            "regions": regions,
            "feedback": _feedback_rows(feedback),
            "drafts": list(followup.drafts.order_by("version")),
            "is_open": factcheck.is_open(followup),
            "blockers": factcheck.publication_blockers(followup, state=state),
            "publish_form": PublishForm(),
            "published": followup.published.defer("html", "pdf")[:4],
            "events": followup.events.all()[:30],
        },
        status=400 if request.method == "POST" else 200,
    )


@analyst_view
@require_POST
def decide(request, name: str, feedback_id: int):
    feedback = get_object_or_404(Feedback, pk=feedback_id, factcheck__followup__name=name)
    try:
        draft = factcheck.decide(
            feedback,
            request.POST.get("decision") == "accept",
            actor=actor_name(request.user),
            user=request.user,
            note=request.POST.get("note", "")[:2000],
        )
    except FactCheckError as exc:
        messages.error(request, str(exc))
    else:
        feedback.refresh_from_db()
        if feedback.kind == FeedbackKind.TEXT and feedback.status == FeedbackStatus.ACCEPTED:
            messages.success(request, _("Regionens text är nu profilens text."))
        elif draft is not None:
            messages.success(
                request, _("Värdet är infört; utkastet är nu version %(v)d.") % {"v": draft.version}
            )
        else:
            messages.success(request, _("Beslutet är sparat."))
    return redirect("report:factcheck", name=name)


@analyst_view
@require_POST
def close(request, name: str):
    """End the fact-check before its deadline."""
    followup = _followup(name)
    try:
        factcheck.close_factcheck(followup, actor=actor_name(request.user))
    except FactCheckError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Faktagranskningen är stängd."))
    return redirect("report:factcheck", name=name)


class PublishForm(forms.Form):
    override = forms.CharField(
        label=gettext_lazy("Skäl att publicera ändå"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Behövs bara om faktagranskningen inte är klar. Skälet sparas i "
            "loggen och skrivs i rapportens metodavsnitt."
        ),
    )


@analyst_view
@require_POST
def publish(request, name: str):
    """Publish the report in Swedish and English, if the fact-check allows it or the analyst
    gives a reason."""
    # building loads WeasyPrint and the chart renderer: only when an analyst publishes
    from naravard.report.build import PublicationRefused, ReportError
    from naravard.report.build import publish as publish_report

    followup = _followup(name)
    form = PublishForm(request.POST)
    override = form.cleaned_data["override"] if form.is_valid() else ""
    try:
        with transaction.atomic():
            for lang in ("sv", "en"):
                publish_report(
                    followup.name, lang, actor=actor_name(request.user), override=override
                )
    except PublicationRefused as exc:
        messages.error(
            request,
            _("Rapporten publicerades inte: %(why)s. Ange ett skäl om den ändå ska publiceras nu.")
            % {"why": "; ".join(exc.blockers)},
        )
    except ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Rapporten är publicerad på svenska och engelska."))
    return redirect("report:factcheck", name=name)


def _region(request, name: str, code: str, action: Action):
    """The follow-up, the region and its fact-check, for a signed-in user who may see it."""
    followup = _followup(name)
    obj = get_object_or_404(Region, code=code)
    require(request, action, obj)
    check = getattr(followup, "factcheck", None)
    if check is None:
        raise Http404
    return followup, obj, check


@login_required
def region(request, name: str, code: str):
    """A region's draft profile: what it says, and the region's comments, proposals and
    approval. A coordinator sees and acts for their own region only."""
    followup, obj, check = _region(request, name, code, Action.VIEW)
    draft, passages = factcheck.region_passages(followup, obj)
    comment_form, open_passage = CommentForm(), None
    if request.method == "POST":
        require(request, Action.EDIT, obj)
        actor = actor_name(request.user)
        what = request.POST.get("what")
        try:
            if what == "approve":
                factcheck.approve(followup, obj, actor=actor, text=request.POST.get("text", ""))
                messages.success(
                    request, _("Profilen är godkänd (version %(v)d).") % {"v": draft.version}
                )
                return redirect("report:factcheck-region", name=name, code=code)
            if what == "comment":
                comment_form = CommentForm(request.POST)
                open_passage = request.POST.get("passage")
                if comment_form.is_valid():
                    factcheck.comment(
                        followup,
                        obj,
                        comment_form.cleaned_data["passage"],
                        comment_form.cleaned_data["text"],
                        actor=actor,
                    )
                    messages.success(request, _("Kommentaren är sparad."))
                    return redirect("report:factcheck-region", name=name, code=code)
            else:
                messages.error(request, _("Okänd åtgärd."))
        except FactCheckError as exc:
            messages.error(request, str(exc))
    own = check.feedback.filter(region=obj).select_related("draft", "factcheck__followup")
    return render(
        request,
        "report/factcheck_region.html",
        {
            "followup": followup,
            "check": check,
            "region": obj,
            "draft": draft,
            "passages": passages,
            "feedback": _feedback_rows(own),
            "comment_form": comment_form,
            "open_passage": open_passage,
            "is_open": factcheck.is_open(followup),
            "can_edit": has_permission(request.user, Action.EDIT, obj),
            "approved": obj in factcheck.approvals(followup),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def propose(request, name: str, code: str):
    """Propose a corrected value: opens on the passage's own indicator and period; errors are
    shown at their field with what was typed kept."""
    followup, obj, check = _region(request, name, code, Action.EDIT)
    draft, passages = factcheck.region_passages(followup, obj)
    by_key = {p.key: p for p in passages}
    data = request.POST if request.method == "POST" else request.GET
    passage = by_key.get(data.get("passage", ""))
    indicators = _indicator_choices(followup)
    known = [i for i, _label in indicators]
    if not known:
        raise Http404
    chosen = data.get("indicator_id") or (passage.indicator if passage else "") or known[0]
    if chosen not in known:
        chosen = known[0]
    ind = get_indicator(chosen)
    periods = factcheck.periods_for(followup, ind.id)
    period = data.get("period") or (passage.period if passage else "")
    how = factcheck.asked(ind, period if period in periods else (periods[0] if periods else ""))
    initial = {"passage": passage.key if passage else "", "indicator_id": chosen, "period": period}
    bound = request.method == "POST" and request.POST.get("what") == "propose"
    form = ProposalForm(
        request.POST if bound else None,
        initial=initial,
        indicators=indicators,
        periods=periods,
        indicator=ind,
        how=how,
    )
    if bound and form.is_valid():
        try:
            factcheck.propose(
                followup,
                obj,
                form.cleaned_data["passage"],
                actor=actor_name(request.user),
                **{k: v for k, v in form.cleaned_data.items() if k != "passage"},
            )
        except FactCheckError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Förslaget är skickat till analytikern."))
            return redirect("report:factcheck-region", name=name, code=code)
    return render(
        request,
        "report/factcheck_propose.html",
        {
            "followup": followup,
            "check": check,
            "region": obj,
            "draft": draft,
            "form": form,
            "passage": passage,
            "indicator": ind,
            "how": how,
            "is_open": factcheck.is_open(followup),
        },
        status=400 if bound else 200,
    )


@login_required
def propose_text(request, name: str, code: str):
    """Propose a change of the profile's analyst text: opens with the current text to edit;
    errors are shown at their field with what was typed kept."""
    followup, obj, check = _region(request, name, code, Action.EDIT)
    draft, _passages = factcheck.region_passages(followup, obj)
    lang = request.POST.get("lang") or request.GET.get("lang") or "sv"
    lang = lang if lang in texts.LANGS else "sv"
    key = factcheck.profile_key(obj)
    current = texts.text_of(followup, key, lang)
    form = TextProposalForm(
        request.POST if request.method == "POST" else None,
        initial={"lang": lang, "proposed_text": current},
    )
    if request.method == "POST" and form.is_valid():
        try:
            factcheck.propose_text(
                followup,
                obj,
                form.cleaned_data["lang"],
                form.cleaned_data["proposed_text"],
                actor=actor_name(request.user),
                reason=form.cleaned_data["reason"],
            )
        except FactCheckError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Textförslaget är skickat till analytikern."))
            return redirect("report:factcheck-region", name=name, code=code)
    return render(
        request,
        "report/factcheck_text.html",
        {
            "followup": followup,
            "check": check,
            "region": obj,
            "draft": draft,
            "form": form,
            "lang": lang,
            "current": current,
            "is_open": factcheck.is_open(followup),
        },
        status=400 if request.method == "POST" else 200,
    )


@analyst_view
def draft_diff(request, name: str, a: int, b: int):
    """What changed between two draft versions (all parts, or ?del=CODE for one region)."""
    followup = _followup(name)
    old = get_object_or_404(Draft, followup=followup, version=a)
    new = get_object_or_404(Draft, followup=followup, version=b)
    part = request.GET.get("del") or None
    if part is not None and part not in (set(old.passages) | set(new.passages)):
        raise Http404
    return render(
        request,
        "report/draft_diff.html",
        {
            "followup": followup,
            "old": old,
            "new": new,
            "part": part,
            "lines": factcheck.diff(old, new, part),
        },
    )
