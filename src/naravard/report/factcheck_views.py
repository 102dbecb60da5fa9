"""Fact-check pages: the analyst's overview and decisions, each region's own draft profile
with comments, proposed corrections and approval, and the difference between two drafts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from naravard.accounts.permissions import Action, analyst_view, has_permission, require
from naravard.collect.audit import actor_name
from naravard.refdata.models import Region
from naravard.report import factcheck
from naravard.report.factcheck import FactCheckError
from naravard.report.models import Draft, Feedback, FeedbackKind, FeedbackStatus, FollowUp


class OpenForm(forms.Form):
    deadline = forms.DateField(label=gettext_lazy("Sista dag för regionerna"),
                               widget=forms.DateInput(attrs={"type": "date"}))


class CommentForm(forms.Form):
    passage = forms.CharField(widget=forms.HiddenInput, max_length=200)
    text = forms.CharField(label=gettext_lazy("Kommentar"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ProposalForm(forms.Form):
    passage = forms.CharField(widget=forms.HiddenInput, max_length=200)
    indicator_id = forms.ChoiceField(label=gettext_lazy("Indikator"))
    period = forms.CharField(label=gettext_lazy("Period"), max_length=20)
    value = forms.FloatField(label=gettext_lazy("Rättat värde"))
    source = forms.CharField(label=gettext_lazy("Källa"), max_length=500)
    text = forms.CharField(label=gettext_lazy("Motivering"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_id"].choices = list(indicators)


def _followup(name: str) -> FollowUp:
    return get_object_or_404(FollowUp.objects.select_related("survey_round", "status_round"),
                             name=name)


def _indicator_choices(followup: FollowUp) -> list[tuple[str, str]]:
    from naravard.catalog.catalogue import get_indicator
    from naravard.language import pick

    draft = factcheck.latest_draft(followup)
    ids = [key for key, _text in draft.part(factcheck.INDICATORS)] if draft else []
    return [(i, pick(get_indicator(i).name)) for i in ids]


@analyst_view
def overview(request, name: str):
    """The analyst's page: open the fact-check, each region's state, every piece of feedback
    to decide, the draft versions."""
    followup = _followup(name)
    check = getattr(followup, "factcheck", None)
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            factcheck.open_factcheck(followup, form.cleaned_data["deadline"],
                                     actor=actor_name(request.user))
        except FactCheckError as exc:
            form.add_error("deadline", str(exc))
        else:
            messages.success(request, _("Faktagranskningen är öppnad."))
            return redirect("report:factcheck", name=name)
    approved = {r.code for r in factcheck.approvals(followup)}
    feedback = list(check.feedback.select_related("region", "draft")) if check else []
    regions = [{"region": r, "approved": r.code in approved,
                "open": sum(f.region_id == r.code and f.status == FeedbackStatus.OPEN
                            and f.kind != FeedbackKind.APPROVAL for f in feedback)}
               for r in Region.objects.order_by("code")]
    drafts = list(followup.drafts.order_by("version"))
    return render(request, "report/factcheck.html", {
        "followup": followup, "check": check, "form": form, "regions": regions,
        "feedback": feedback, "drafts": drafts,
    })


@analyst_view
@require_POST
def decide(request, name: str, feedback_id: int):
    feedback = get_object_or_404(Feedback, pk=feedback_id, factcheck__followup__name=name)
    try:
        draft = factcheck.decide(feedback, request.POST.get("decision") == "accept",
                                 actor=actor_name(request.user), user=request.user,
                                 note=request.POST.get("note", "")[:2000])
    except FactCheckError as exc:
        messages.error(request, str(exc))
    else:
        if draft is not None:
            messages.success(request, _("Värdet är infört; utkastet är nu version %(v)d.")
                             % {"v": draft.version})
        else:
            messages.success(request, _("Beslutet är sparat."))
    return redirect("report:factcheck", name=name)


def region(request, name: str, code: str):
    """A region's draft profile: what it says, and the region's comments, proposals and
    approval. A coordinator sees and acts for their own region only."""
    followup = _followup(name)
    obj = get_object_or_404(Region, code=code)
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    require(request, Action.VIEW, obj)
    check = getattr(followup, "factcheck", None)
    if check is None:
        raise Http404
    draft, passages = factcheck.region_passages(followup, obj)
    indicators = _indicator_choices(followup)
    comment_form, proposal_form = CommentForm(), ProposalForm(indicators=indicators)
    if request.method == "POST":
        require(request, Action.EDIT, obj)
        actor = actor_name(request.user)
        what = request.POST.get("what")
        try:
            if what == "approve":
                factcheck.approve(followup, obj, actor=actor, text=request.POST.get("text", ""))
                messages.success(request, _("Profilen är godkänd (version %(v)d).")
                                 % {"v": draft.version})
                return redirect("report:factcheck-region", name=name, code=code)
            if what == "comment":
                comment_form = CommentForm(request.POST)
                if comment_form.is_valid():
                    factcheck.comment(followup, obj, comment_form.cleaned_data["passage"],
                                      comment_form.cleaned_data["text"], actor=actor)
                    messages.success(request, _("Kommentaren är sparad."))
                    return redirect("report:factcheck-region", name=name, code=code)
            elif what == "propose":
                proposal_form = ProposalForm(request.POST, indicators=indicators)
                if proposal_form.is_valid():
                    factcheck.propose(followup, obj, actor=actor, **proposal_form.cleaned_data)
                    messages.success(request, _("Förslaget är skickat till analytikern."))
                    return redirect("report:factcheck-region", name=name, code=code)
            else:
                messages.error(request, _("Okänd åtgärd."))
        except FactCheckError as exc:
            messages.error(request, str(exc))
    own = check.feedback.filter(region=obj).select_related("draft")
    return render(request, "report/factcheck_region.html", {
        "followup": followup, "check": check, "region": obj, "draft": draft,
        "passages": passages, "feedback": own, "comment_form": comment_form,
        "proposal_form": proposal_form,
        "can_edit": has_permission(request.user, Action.EDIT, obj),
        "approved": obj in factcheck.approvals(followup),
    }, status=400 if request.method == "POST" else 200)


@analyst_view
def draft_diff(request, name: str, a: int, b: int):
    """What changed between two draft versions (all parts, or ?del=CODE for one region)."""
    followup = _followup(name)
    old = get_object_or_404(Draft, followup=followup, version=a)
    new = get_object_or_404(Draft, followup=followup, version=b)
    part = request.GET.get("del") or None
    if part is not None and part not in (set(old.passages) | set(new.passages)):
        raise Http404
    return render(request, "report/draft_diff.html", {
        "followup": followup, "old": old, "new": new, "part": part,
        "lines": factcheck.diff(old, new, part),
    })
