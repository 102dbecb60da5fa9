"""The fact-check round: versioned drafts, the regions' comments, proposed corrections and
approvals, and the analyst's decisions.

An accepted correction is imported like any other indicator value (history and provenance
in the store, naming the region, the proposal and its source), and a new draft version is
made from the store; every region reads only its own profile.
"""

from __future__ import annotations

import datetime as dt
import difflib

from django.db import transaction
from django.utils import timezone, translation

from naravard.catalog.catalogue import CatalogueError, get_indicator
from naravard.refdata.models import Region
from naravard.report.content import Report, Section, build_report
from naravard.report.models import (Draft, FactCheck, Feedback, FeedbackKind, FeedbackStatus,
                                    FollowUp)


INDICATORS = "_indikatorer"


class FactCheckError(ValueError):
    """Something the fact-check round does not allow (closed, unknown passage, bad value)."""


def _passages(section: Section) -> list[list[str]]:
    out = [[f"text-{i}", p] for i, p in enumerate(section.paragraphs, start=1)]
    for block in section.blocks:
        for row in block.display_rows:
            cells = "; ".join(f"{h}: {c}" for h, c in zip(block.header[1:], row[1:]))
            out.append([f"{block.key}/{row[0]}"[:200], f"{block.title} – {row[0]}: {cells}"])
    return out


def passages(report: Report) -> dict[str, list[list[str]]]:
    """The report as text passages: the profiles by region code, the rest by section."""
    out = {"sammanfattning": [[f"text-{i}", s] for i, s in enumerate(report.summary, 1)]}
    for section in report.sections + report.appendices:
        out[section.key] = _passages(section)
    for profile in report.profiles:
        out[profile.region.code] = _passages(profile)
    out[INDICATORS] = [[i, ""] for i in report.indicator_ids]  # what a correction may name
    return out


@transaction.atomic
def new_draft(followup: FollowUp, *, actor: str, reason: str = "") -> Draft:
    """Snapshot the report as it now follows from the store (in Swedish, the checked text)."""
    with translation.override("sv"):
        report = build_report(followup)
    last = followup.drafts.order_by("-version").first()
    content = passages(report)
    if last is not None and last.passages == content:
        return last  # nothing changed: no new version
    return Draft.objects.create(followup=followup, version=(last.version + 1) if last else 1,
                                actor=actor, reason=reason, passages=content)


def latest_draft(followup: FollowUp) -> Draft | None:
    return followup.drafts.order_by("-version").first()


@transaction.atomic
def open_factcheck(followup: FollowUp, deadline: dt.date, *, actor: str) -> FactCheck:
    if hasattr(followup, "factcheck"):
        raise FactCheckError(f"the fact-check of {followup.name} is already open "
                             f"(until {followup.factcheck.deadline})")
    if deadline < timezone.localdate():
        raise FactCheckError(f"the deadline {deadline} has passed")
    new_draft(followup, actor=actor, reason="fact-check opened")
    return FactCheck.objects.create(followup=followup, deadline=deadline, actor=actor)


def _open(followup: FollowUp) -> FactCheck:
    check = getattr(followup, "factcheck", None)
    if check is None:
        raise FactCheckError(f"no fact-check is open for {followup.name}")
    if timezone.localdate() > check.deadline:
        raise FactCheckError(f"the fact-check of {followup.name} closed on {check.deadline}")
    return check


def region_passages(followup: FollowUp, region: Region) -> tuple[Draft, list[tuple[str, str]]]:
    draft = latest_draft(followup)
    if draft is None:
        raise FactCheckError(f"{followup.name} has no draft yet")
    return draft, draft.part(region.code)


def _feedback(followup: FollowUp, region: Region, kind: str, *, actor: str, passage: str = "",
              **fields) -> Feedback:
    check = _open(followup)
    draft, own = region_passages(followup, region)
    if passage and passage not in dict(own):
        raise FactCheckError(f"{region.name}'s profile has no passage {passage!r}")
    return Feedback.objects.create(factcheck=check, region=region, draft=draft, kind=kind,
                                   passage=passage, created_by=actor, **fields)


def comment(followup: FollowUp, region: Region, passage: str, text: str, *,
            actor: str) -> Feedback:
    if not text.strip():
        raise FactCheckError("the comment is empty")
    return _feedback(followup, region, FeedbackKind.COMMENT, actor=actor, passage=passage,
                     text=text.strip())


def propose(followup: FollowUp, region: Region, passage: str, *, indicator_id: str,
            period: str, value: float, source: str, text: str = "", actor: str) -> Feedback:
    """A corrected value for the region's own figure, with where it comes from."""
    try:
        ind = get_indicator(indicator_id)
    except CatalogueError as exc:
        raise FactCheckError(str(exc)) from None
    if not ind.valid_period(period):
        raise FactCheckError(f"{ind.id}: {period!r} is not a {ind.period_type} period")
    low, high = ind.value_range
    if (low is not None and value < low) or (high is not None and value > high):
        raise FactCheckError(f"{ind.id}: {value:g} is outside {low}–{high}")
    if not source.strip():
        raise FactCheckError("a proposed value needs its source")
    return _feedback(followup, region, FeedbackKind.PROPOSAL, actor=actor, passage=passage,
                     indicator_id=ind.id, period=ind.normal_period(period), value=value,
                     source=source.strip(), text=text.strip())


def approve(followup: FollowUp, region: Region, *, actor: str, text: str = "") -> Feedback:
    return _feedback(followup, region, FeedbackKind.APPROVAL, actor=actor, text=text.strip())


@transaction.atomic
def decide(feedback: Feedback, accept: bool, *, actor: str, note: str = "",
           user=None) -> Draft | None:
    """Accept or reject a proposal (an accepted value is imported and a new draft made), or
    note a comment. Returns the new draft when there is one."""
    from naravard.ingest.importer import ImportRefused, import_file

    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.status != FeedbackStatus.OPEN:
        raise FactCheckError(f"feedback {feedback.pk} is already {feedback.status}")
    if feedback.kind == FeedbackKind.APPROVAL:
        raise FactCheckError("an approval is not decided on")
    feedback.decided_at, feedback.decided_by, feedback.decision_note = timezone.now(), actor, note
    draft = None
    if feedback.kind == FeedbackKind.COMMENT:
        feedback.status = FeedbackStatus.NOTED
    elif not accept:
        feedback.status = FeedbackStatus.REJECTED
    else:
        feedback.status = FeedbackStatus.ACCEPTED
        data = (f"org,period,sex,value\n{feedback.region_id},{feedback.period},T,"
                f"{feedback.value!r}\n").encode()
        try:
            import_file(f"faktagranskning-{feedback.pk}.csv", feedback.indicator_id, data=data,
                        name=f"faktagranskning-{feedback.pk}.csv", user=user,
                        actor=f"{actor}; proposal {feedback.pk} by {feedback.created_by} "
                              f"({feedback.region_id}), source: {feedback.source}"[:150])
        except ImportRefused as exc:
            raise FactCheckError(f"the proposed value cannot be stored: {exc}") from None
    feedback.save()
    if feedback.status == FeedbackStatus.ACCEPTED:
        draft = new_draft(feedback.factcheck.followup, actor=actor,
                          reason=f"proposal {feedback.pk} accepted")
    return draft


def approvals(followup: FollowUp) -> list[Region]:
    """Regions whose latest approval is of the latest draft (or of one no later change
    touched their profile), in code order."""
    latest = latest_draft(followup)
    check = getattr(followup, "factcheck", None)
    if latest is None or check is None:
        return []
    out = []
    for region in Region.objects.order_by("code"):
        approval = check.feedback.filter(region=region, kind=FeedbackKind.APPROVAL).order_by(
            "-draft__version", "-pk").first()
        if approval and approval.draft.part(region.code) == latest.part(region.code):
            out.append(region)
    return out


def diff(a: Draft, b: Draft, part: str | None = None) -> list[str]:
    """Unified diff of two versions' passages (all parts, or one: a region code or section)."""
    keys = [part] if part else sorted(set(a.passages) | set(b.passages))
    lines = []
    for key in keys:
        old = [f"{k}: {t}" for k, t in a.part(key)]
        new = [f"{k}: {t}" for k, t in b.part(key)]
        lines += list(difflib.unified_diff(old, new, f"v{a.version}/{key}", f"v{b.version}/{key}",
                                           lineterm="", n=0))
    return lines
