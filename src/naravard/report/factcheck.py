"""The fact-check round: versioned drafts, the regions' comments, proposed corrections and
approvals, and the analyst's decisions.

An accepted correction is imported like any other indicator value (history and provenance
in the store, naming the region, the proposal and its source), and a new draft version is
made from the store; every region reads only its own profile.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from html import unescape

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from naravard.catalog.catalogue import (
    CatalogueError,
    Indicator,
    get_indicator,
    period_end,
    period_label,
)
from naravard.core.errors import Invalid
from naravard.core.tables import ImportRefused, write_csv
from naravard.ingest.importer import import_file
from naravard.ingest.models import IndicatorValue
from naravard.refdata.models import Region
from naravard.report import texts
from naravard.report.content import Report, Section, build_report
from naravard.report.models import (
    Draft,
    FactCheck,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    FollowUp,
    Passage,
    ReportEvent,
    ReportEventKind,
)

INDICATORS = "_indikatorer"
ANALYST_TEXT = "analytikertext"  # the passage of a profile's analyst text


class FactCheckError(Invalid):
    """Something the fact-check round does not allow (closed, unknown passage, bad value);
    ``field`` names the form field it concerns, if one does."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _key(used: dict[str, int], key: str) -> str:
    """A passage key unique within its part: repeated row labels get a number."""
    key = key[:190]
    used[key] = used.get(key, 0) + 1
    return key if used[key] == 1 else f"{key} ({used[key]})"


def _cells(block, row: list[str], skip: frozenset[int]) -> str:
    return "; ".join(
        f"{h}: {c}"
        # a row may be shorter than the header: its missing cells are empty
        for i, (h, c) in enumerate(zip(block.header[1:], row[1:], strict=False), start=1)
        if i not in skip and c
    )


def _passages(section: Section) -> list[dict]:
    out = [{"key": f"text-{i}", "text": p} for i, p in enumerate(section.paragraphs, start=1)]
    for i, own in section.own_paragraphs.items():
        out[i]["own"] = own
    used: dict[str, int] = {}
    for block in section.blocks:
        for n, row in enumerate(block.display_rows):
            item = {
                "key": _key(used, f"{block.key}/{row[0]}"),
                "text": f"{block.title} – {row[0]}: {_cells(block, row, frozenset())}",
            }
            if n in block.context_rows:
                item["own"] = ""
            elif block.context_columns:
                item["own"] = (
                    f"{block.title} – {row[0]}: {_cells(block, row, block.context_columns)}"
                )
            ref = block.refs[n] if n < len(block.refs) else None
            if ref:
                item["indicator"], item["period"] = ref
            out.append(item)
    return out


def _written(section: Section) -> str:
    """The analyst's text of a section as it reads (its placed blocks left out)."""
    parts = [unescape(strip_tags(p)).strip() for p in section.body if isinstance(p, str)]
    return "\n\n".join(p for p in parts if p)


def passages(report: Report) -> dict[str, list[dict]]:
    """The report as text passages: the profiles by region code, the rest by section."""
    out = {
        "sammanfattning": [{"key": f"text-{i}", "text": s} for i, s in enumerate(report.summary, 1)]
    }
    for section in report.sections + report.appendices:
        out[section.key] = _passages(section)
    for profile in report.profiles:
        assert profile.region is not None, "every profile is a region's"
        out[profile.region.code] = _passages(profile)
        if written := _written(profile):  # the analyst's text, after the generated opening
            out[profile.region.code].insert(
                len(profile.paragraphs), {"key": ANALYST_TEXT, "text": written}
            )
    # what a correction may name
    out[INDICATORS] = [{"key": i, "text": "", "indicator": i} for i in report.indicator_ids]
    return out


def log(followup: FollowUp, kind: str, *, actor: str, note: str = "") -> ReportEvent:
    """One line in the follow-up's audit log."""
    return ReportEvent.objects.create(followup=followup, kind=kind, actor=actor, note=note)


@transaction.atomic
def new_draft(followup: FollowUp, *, actor: str, reason: str = "") -> Draft:
    """Snapshot the report as it now follows from the store (in Swedish, the checked text)."""
    with translation.override("sv"):
        content = passages(build_report(followup))
    last = followup.drafts.order_by("-version").first()
    if last is not None and last.passages == content:
        return last  # nothing changed: no new version
    draft = Draft.objects.create(
        followup=followup,
        version=(last.version + 1) if last else 1,
        actor=actor,
        reason=reason,
        passages=content,
    )
    log(
        followup,
        ReportEventKind.DRAFT,
        actor=actor,
        note=f"version {draft.version}" + (f": {reason}" if reason else ""),
    )
    return draft


def latest_draft(followup: FollowUp) -> Draft | None:
    return followup.drafts.order_by("-version").first()


@transaction.atomic
def open_factcheck(followup: FollowUp, deadline: dt.date, *, actor: str) -> FactCheck:
    if hasattr(followup, "factcheck"):
        raise FactCheckError(
            _("Faktagranskningen av %(name)s är redan öppnad (till och med %(day)s).")
            % {"name": followup.name, "day": period_label(followup.factcheck.deadline)},
            field="deadline",
        )
    if deadline < timezone.localdate():
        raise FactCheckError(
            _("Sista dagen %(day)s har redan passerat.") % {"day": period_label(deadline)},
            field="deadline",
        )
    new_draft(followup, actor=actor, reason=gettext_noop("faktagranskningen öppnad"))
    log(
        followup,
        ReportEventKind.FACTCHECK_OPENED,
        actor=actor,
        note=f"till och med {period_label(deadline, 'sv')}",
    )
    return FactCheck.objects.create(followup=followup, deadline=deadline, actor=actor)


@transaction.atomic
def close_factcheck(followup: FollowUp, *, actor: str) -> FactCheck:
    """End the fact-check before its deadline (e.g. when every region has answered)."""
    check = _open(followup)
    check.closed_at = timezone.now()
    check.save(update_fields=["closed_at"])
    log(followup, ReportEventKind.FACTCHECK_CLOSED, actor=actor)
    return check


def is_open(followup: FollowUp) -> bool:
    check = getattr(followup, "factcheck", None)
    return check is not None and check.is_open(timezone.localdate())


def open_check(followup: FollowUp) -> FactCheck:
    """The follow-up's fact-check, refused when it has none or it is closed."""
    return _open(followup)


def _open(followup: FollowUp) -> FactCheck:
    check = getattr(followup, "factcheck", None)
    if check is None:
        raise FactCheckError(
            _("Ingen faktagranskning är öppen för %(name)s.") % {"name": followup.name}
        )
    if not check.is_open(timezone.localdate()):
        raise FactCheckError(
            _("Faktagranskningen av %(name)s är stängd.") % {"name": followup.name}
        )
    return check


def region_passages(followup: FollowUp, region: Region) -> tuple[Draft, list[Passage]]:
    draft = latest_draft(followup)
    if draft is None:
        raise FactCheckError(_("%(name)s har inget utkast ännu.") % {"name": followup.name})
    return draft, draft.part(region.code)


def _feedback(
    followup: FollowUp, region: Region, kind: str, *, actor: str, passage: str = "", **fields
) -> Feedback:
    check = _open(followup)
    draft, own = region_passages(followup, region)
    if passage and passage not in {p.key for p in own}:
        raise FactCheckError(
            _("%(region)s profil har inget sådant avsnitt.") % {"region": region.name},
            field="passage",
        )
    return Feedback.objects.create(
        factcheck=check,
        region=region,
        draft=draft,
        kind=kind,
        passage=passage,
        created_by=actor,
        **fields,
    )


def comment(followup: FollowUp, region: Region, passage: str, text: str, *, actor: str) -> Feedback:
    if not text.strip():
        raise FactCheckError(_("Skriv en kommentar."), field="text")
    return _feedback(
        followup, region, FeedbackKind.COMMENT, actor=actor, passage=passage, text=text.strip()
    )


def periods_for(followup: FollowUp, indicator_id: str) -> list[str]:
    """The stored periods a correction of the indicator may name in this follow-up, latest
    first."""
    stored = set(
        IndicatorValue.objects.filter(indicator_id=indicator_id, is_current=True).values_list(
            "period", flat=True
        )
    )
    return sorted(
        (p for p in stored if period_end(p) <= followup.data_until), key=period_end, reverse=True
    )


class Asked:
    """What a correction gives, by how the indicator's values are kept."""

    FRACTION = "fraction"  # numerator and denominator; the value follows (shares, rates)
    MEAN = "mean"  # the mean and the number of persons; the sum follows (averages)
    VALUE = "value"  # the value alone (counts, and anything stored without counts)


def asked(indicator: Indicator, period: str) -> str:
    """What a correction of the indicator in the period must give: a cell whose neighbours
    carry counts is corrected with its counts, so that the nation is still summed from all
    areas."""
    if indicator.kind not in ("share", "rate", "amount"):
        return Asked.VALUE
    counted = IndicatorValue.objects.filter(
        indicator_id=indicator.id, period=period, is_current=True, denominator__isnull=False
    ).exists()
    if not counted:
        return Asked.VALUE
    return Asked.MEAN if indicator.kind == "amount" else Asked.FRACTION


def _need(number: float | None, field: str, message: str) -> float:
    if number is None:
        raise FactCheckError(message, field=field)
    return number


def _from_counts(ind: Indicator, how: str, value, numerator, denominator):
    """(value, numerator, denominator) of a correction, checked."""
    if how == Asked.VALUE:
        value = _need(value, "value", _("Ange det rättade värdet."))
        if ind.unit_info.whole and not float(value).is_integer():
            raise FactCheckError(_("Ange ett helt antal."), field="value")
        return value, None, None
    if how == Asked.MEAN:
        value = _need(value, "value", _("Ange det rättade medelvärdet."))
        denominator = _need(denominator, "denominator", _("Ange antalet personer."))
    else:
        numerator = _need(
            numerator, "numerator", _("Ange täljaren: värdet räknas fram ur täljare och nämnare.")
        )
        denominator = _need(
            denominator,
            "denominator",
            _("Ange nämnaren: värdet räknas fram ur täljare och nämnare."),
        )
    if denominator <= 0:
        raise FactCheckError(_("Nämnaren måste vara större än noll."), field="denominator")
    if how == Asked.MEAN:
        return value, value * denominator, denominator
    if numerator < 0:
        raise FactCheckError(_("Täljaren kan inte vara negativ."), field="numerator")
    if ind.kind == "share" and numerator > denominator:
        raise FactCheckError(
            _("Täljaren kan inte vara större än nämnaren för en andel."), field="numerator"
        )
    return ind.scale * numerator / denominator, numerator, denominator


def propose(
    followup: FollowUp,
    region: Region,
    passage: str,
    *,
    indicator_id: str,
    period: str,
    source: str,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    text: str = "",
    actor: str,
) -> Feedback:
    """A corrected value for the region's own figure, with where it comes from. Where the
    indicator's values carry counts, the counts are asked for (see :func:`asked`); a bare
    value is taken only for indicators without counts."""
    try:
        ind = get_indicator(indicator_id)
    except CatalogueError:
        raise FactCheckError(
            _("Välj en av rapportens indikatorer."), field="indicator_id"
        ) from None
    if not ind.valid_period(period) or ind.normal_period(period) not in periods_for(
        followup, ind.id
    ):
        raise FactCheckError(_("Välj en av indikatorns perioder i rapporten."), field="period")
    period = ind.normal_period(period)
    how = asked(ind, period)
    value, numerator, denominator = _from_counts(ind, how, value, numerator, denominator)
    low, high = ind.value_range
    if (low is not None and value < low) or (high is not None and value > high):
        raise FactCheckError(
            _("Värdet %(value)s ligger utanför det möjliga (%(low)s–%(high)s).")
            % {
                "value": number_format(round(value, 3)),
                "low": number_format(low) if low is not None else "",
                "high": number_format(high) if high is not None else "",
            },
            field="numerator" if how == Asked.FRACTION else "value",
        )
    if not source.strip():
        raise FactCheckError(_("Ange varifrån det rättade värdet kommer."), field="source")
    return _feedback(
        followup,
        region,
        FeedbackKind.PROPOSAL,
        actor=actor,
        passage=passage,
        indicator_id=ind.id,
        period=period,
        value=value,
        numerator=numerator,
        denominator=denominator,
        source=source.strip(),
        text=text.strip(),
    )


TEXT_LENGTH = 20_000  # the longest profile text a region may propose


def profile_key(region: Region) -> str:
    """The key of the region's profile text among the report's texts (report/texts.py)."""
    return f"profil-{region.code}"


def propose_text(
    followup: FollowUp, region: Region, lang: str, proposed: str, *, actor: str, reason: str = ""
) -> Feedback:
    """The region's version of its profile's analyst text in one language, for the analyst to
    accept or reject; it remembers the version it changes."""
    if lang not in texts.LANGS:
        raise FactCheckError(_("Välj svenska eller engelska."), field="lang")
    proposed = texts.clean(proposed)
    if not proposed.strip():
        raise FactCheckError(_("Skriv den text du föreslår."), field="proposed_text")
    if len(proposed) > TEXT_LENGTH:
        raise FactCheckError(
            _("Texten får vara högst %(n)d tecken.") % {"n": TEXT_LENGTH}, field="proposed_text"
        )
    current = texts.history(followup, profile_key(region), lang)
    if current and current[0].text == proposed:
        raise FactCheckError(
            _("Texten är densamma som profilens nuvarande text."), field="proposed_text"
        )
    return _feedback(
        followup,
        region,
        FeedbackKind.TEXT,
        actor=actor,
        lang=lang,
        proposed_text=proposed,
        base_version=current[0].version if current else None,
        text=reason.strip(),
    )


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word by word what a proposed text changes: ("same" | "del" | "ins", words), the
    whitespace kept with the words."""
    a, b = re.split(r"(?<=\s)(?=\S)", old), re.split(r"(?<=\s)(?=\S)", new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("ins", "".join(b[j1:j2])))
    return [(op, words) for op, words in out if words]


def approve(followup: FollowUp, region: Region, *, actor: str, text: str = "") -> Feedback:
    return _feedback(followup, region, FeedbackKind.APPROVAL, actor=actor, text=text.strip())


def _correction_csv(feedback: Feedback) -> bytes:
    """The accepted correction as an import file: one cell, with its counts when it has them."""
    where = [feedback.region_id, feedback.period, "T"]
    if feedback.numerator is not None:
        return write_csv(
            ["org", "period", "sex", "numerator", "denominator"],
            [[*where, feedback.numerator, feedback.denominator]],
        ).encode()
    return write_csv(["org", "period", "sex", "value"], [[*where, feedback.value]]).encode()


@transaction.atomic
def decide(
    feedback: Feedback, accept: bool, *, actor: str, note: str = "", user=None
) -> Draft | None:
    """Accept or reject a proposal (an accepted value is imported and a new draft made), or
    note a comment. Returns the new draft when there is one."""

    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.status != FeedbackStatus.OPEN:
        raise FactCheckError(
            _("Synpunkten är redan %(status)s.") % {"status": feedback.get_status_display()}
        )
    if feedback.kind == FeedbackKind.APPROVAL:
        raise FactCheckError(_("Ett godkännande beslutas inte."))
    feedback.decided_at, feedback.decided_by, feedback.decision_note = timezone.now(), actor, note
    draft = None
    followup = feedback.factcheck.followup
    if feedback.kind == FeedbackKind.COMMENT:
        feedback.status = FeedbackStatus.NOTED
    elif not accept:
        if feedback.kind == FeedbackKind.TEXT and not note.strip():
            raise FactCheckError(_("Skriv varför förslaget avvisas."), field="note")
        feedback.status = FeedbackStatus.REJECTED
    elif feedback.kind == FeedbackKind.TEXT:
        feedback.status = FeedbackStatus.ACCEPTED
        _accept_text(followup, feedback, actor)
    else:
        feedback.status = FeedbackStatus.ACCEPTED
        name = f"faktagranskning-{feedback.pk}.csv"
        try:
            import_file(
                name,
                feedback.indicator_id,
                data=_correction_csv(feedback),
                name=name,
                user=user,
                actor=f"{actor}; proposal {feedback.pk} by {feedback.created_by} "
                f"({feedback.region_id}), source: {feedback.source}"[:150],
            )
        except ImportRefused as exc:
            problems = "; ".join(p.message for p in exc.problems)
            raise FactCheckError(
                _("Det föreslagna värdet kan inte sparas: %(why)s") % {"why": problems}
            ) from None
    feedback.save()
    log(
        followup,
        ReportEventKind.DECIDED,
        actor=actor,
        note=f"{feedback.get_kind_display()} {feedback.pk} ({feedback.region_id}): "
        f"{feedback.get_status_display()}" + (f" – {note}" if note else ""),
    )
    if feedback.status == FeedbackStatus.ACCEPTED:
        draft = new_draft(
            followup,
            actor=actor,
            reason=f"förslag {feedback.pk} från {feedback.region_id} godtaget",
        )
    return draft


def _accept_text(followup: FollowUp, feedback: Feedback, actor: str) -> None:
    """The region's text becomes the newest version of its profile text, the analyst its
    author; the log names the region's proposal."""
    key = f"profil-{feedback.region_id}"
    try:
        stored = texts.save(followup, key, feedback.lang, feedback.proposed_text, actor)
    except texts.TextRefused as exc:
        raise FactCheckError(
            _("Texten kan inte sparas: %(why)s") % {"why": "; ".join(exc.problems)}
        ) from None
    version = stored.version if stored else texts.history(followup, key, feedback.lang)[0].version
    log(
        followup,
        ReportEventKind.PROFILE_TEXT,
        actor=actor,
        note=f"{key}.{feedback.lang} version {version} efter förslag {feedback.pk} från "
        f"{feedback.region_id} ({feedback.created_by})"
        + (f", som ändrade version {feedback.base_version}" if feedback.base_version else ""),
    )


def approvals(followup: FollowUp) -> list[Region]:
    """Regions whose latest approval is of the latest draft (or of one no later change
    touched their profile), in code order."""
    latest = latest_draft(followup)
    check = getattr(followup, "factcheck", None)
    if latest is None or check is None:
        return []
    out = []
    for region in Region.objects.order_by("code"):
        approval = (
            check.feedback.filter(region=region, kind=FeedbackKind.APPROVAL)
            .order_by("-draft__version", "-pk")
            .first()
        )
        if approval and _approved_text(approval.draft, region) == _approved_text(latest, region):
            out.append(region)
    return out


@dataclass
class Answers:
    """Where the regions stand in a follow-up's fact-check."""

    approved: list[Region] = field(default_factory=list)  # the latest version of their figures
    approved_earlier: list[Region] = field(default_factory=list)  # their figures changed since
    commented: list[Region] = field(default_factory=list)  # comments or proposals, no approval
    silent: list[Region] = field(default_factory=list)  # nothing at all
    undecided: int = 0  # comments and proposals the analyst has not decided on


def answers(followup: FollowUp) -> Answers:
    out = Answers()
    check = getattr(followup, "factcheck", None)
    if check is None:
        return out
    approved = {r.code for r in approvals(followup)}
    feedback = list(check.feedback.all())
    for region in Region.objects.order_by("code"):
        own = [f for f in feedback if f.region_id == region.code]
        if region.code in approved:
            out.approved.append(region)
        elif any(f.kind == FeedbackKind.APPROVAL for f in own):
            out.approved_earlier.append(region)
        elif own:
            out.commented.append(region)
        else:
            out.silent.append(region)
    out.undecided = sum(
        f.status == FeedbackStatus.OPEN and f.kind != FeedbackKind.APPROVAL for f in feedback
    )
    return out


def publication_blockers(
    followup: FollowUp, *, as_done: bool = False, state: Answers | None = None
) -> list[str]:
    """Why the report should not be published yet, in words (empty: it may be). With
    ``as_done``, as the report's method section tells it afterwards, without the names it
    lists beside; ``state`` is the fact-check's :func:`answers` when already known."""
    check = getattr(followup, "factcheck", None)
    if check is None:
        return [
            _("ingen faktagranskning hade hållits")
            if as_done
            else _("ingen faktagranskning har hållits")
        ]
    out = []
    if check.is_open(timezone.localdate()):
        out.append(
            (
                _("faktagranskningen pågick till och med %(day)s")
                if as_done
                else _("faktagranskningen är öppen till och med %(day)s")
            )
            % {"day": period_label(check.deadline)}
        )
    state = state or answers(followup)
    n = len(state.silent)
    if n and as_done:
        out.append(
            ngettext("%(n)d region inte hade svarat", "%(n)d regioner inte hade svarat", n)
            % {"n": n}
        )
    elif n:
        out.append(
            ngettext(
                "%(n)d region har inte svarat (%(names)s)",
                "%(n)d regioner har inte svarat (%(names)s)",
                n,
            )
            % {"n": n, "names": ", ".join(r.name for r in state.silent)}
        )
    if state.undecided:
        out.append(
            (
                ngettext(
                    "%(n)d synpunkt inte var beslutad",
                    "%(n)d synpunkter inte var beslutade",
                    state.undecided,
                )
                if as_done
                else ngettext(
                    "%(n)d synpunkt är inte beslutad",
                    "%(n)d synpunkter är inte beslutade",
                    state.undecided,
                )
            )
            % {"n": state.undecided}
        )
    return out


def _approved_text(draft: Draft, region: Region) -> list[tuple[str, str]]:
    """What a region's approval covers: its profile without the nation's figures."""
    return [(p.key, p.approved_text) for p in draft.part(region.code)]


def diff(a: Draft, b: Draft, part: str | None = None) -> list[str]:
    """Unified diff of two versions' passages (all parts, or one: a region code or section)."""
    keys = [part] if part else sorted(set(a.passages) | set(b.passages))
    lines = []
    for key in keys:
        old = [f"{p.key}: {p.text}" for p in a.part(key)]
        new = [f"{p.key}: {p.text}" for p in b.part(key)]
        lines += list(
            difflib.unified_diff(
                old, new, f"v{a.version}/{key}", f"v{b.version}/{key}", lineterm="", n=0
            )
        )
    return lines
