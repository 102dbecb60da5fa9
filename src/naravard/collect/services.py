"""What can be done to rounds and responses, each in one transaction and audited.

Views, the command line and the API all go through these functions, so the
rules (deadlines, locking, conflicts, validation, audit) hold everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from naravard.collect import audit, initiatives, rowids, statusreport
from naravard.collect.definition import FormDefinition, get_form
from naravard.collect.models import (
    STOCKHOLM,
    Answer,
    AuditAction,
    AuditEvent,
    Response,
    ResponseStatus,
    Round,
)
from naravard.collect.signals import response_submitted
from naravard.collect.validation import (
    DRAFT,
    SUBMIT,
    Validation,
    is_blank,
    labelled,
    validate,
)
from naravard.core.dates import period_label
from naravard.core.errors import Refused
from naravard.core.tables import ImportRefused, RowProblem
from naravard.refdata.models import Municipality, Region
from naravard.refdata.resolve import ResolveError, Resolver


class CollectError(Refused):
    """An operation was refused; the message says why."""


class Conflict(CollectError):
    """Someone else saved the response after the version the save was based on."""

    def __init__(self, response: Response, message: str):
        super().__init__(message)
        self.response = response


class NotEditable(CollectError):
    """The response is submitted or its round is locked."""


# ------------------------------------------------------------------ rounds ---


def lock_due_rounds(now: dt.datetime | None = None) -> list[Round]:
    """Lock every round whose deadline has passed (recorded once, as the system)."""
    now = now or timezone.now()
    locked = []
    for rnd in Round.objects.filter(locked_at__isnull=True):
        if rnd.past_deadline(now):
            with transaction.atomic():
                updated = Round.objects.filter(pk=rnd.pk, locked_at__isnull=True).update(
                    locked_at=rnd.closes_at
                )
                if updated:
                    rnd.locked_at = rnd.closes_at
                    event = audit.record(
                        AuditAction.LOCK,
                        rnd,
                        actor="system",
                        note=f"sista svarsdag {period_label(rnd.deadline, 'sv')} "
                        "passerad; registrerat "
                        f"{timezone.localtime():%Y-%m-%d %H:%M}",
                    )
                    AuditEvent.objects.filter(pk=event.pk).update(at=rnd.closes_at)
                    locked.append(rnd)
    return locked


def open_round(
    form_id: str,
    deadline: dt.date,
    *,
    user=None,
    actor: str = "",
    title: str | None = None,
    opened_at: dt.datetime | None = None,
    year: int | None = None,
    historical: bool = False,
) -> Round:
    """Open a round of ``form_id`` for its whole audience, with a response row per organisation.

    ``opened_at`` back-dates a round that records an earlier collection. ``year`` is the year
    the answers describe, which the form's texts name (default: the year the round opens).

    ``historical``: the round records a collection whose deadline has passed (refused if it
    has not). It is locked at once, as of its deadline, so respondents cannot answer; only an
    analyst's import fills it, each answer with the submission date its file gives. Its year
    defaults to the deadline's, and it counts as opened on its deadline day unless
    ``opened_at`` says otherwise (so that it sorts among the rounds by when it was collected).
    """
    if historical:
        if deadline >= timezone.localdate():
            raise CollectError(
                _(
                    "En historisk omgång ska ha en sista svarsdag som har passerat; "
                    "%(d)s har inte passerat."
                )
                % {"d": deadline}
            )
        opened_at = opened_at or dt.datetime.combine(deadline, dt.time(0), tzinfo=STOCKHOLM)
        year = year or deadline.year
    today = timezone.localdate(opened_at) if opened_at else timezone.localdate()
    year = year or today.year
    if not 1900 <= year <= 2200:
        raise CollectError(
            _("Året %(year)s är inte ett rimligt år för en omgång.") % {"year": year}
        )
    form = get_form(form_id, year)
    if deadline < today:
        raise CollectError(_("Sista svarsdag %(d)s har redan passerat.") % {"d": deadline})
    if not opened_at:
        lock_due_rounds()
    if not historical and Round.objects.filter(form_id=form_id, locked_at__isnull=True).exists():
        raise CollectError(_("Det finns redan en öppen omgång för %(form)s.") % {"form": form_id})
    with transaction.atomic():
        rnd = Round(
            form_id=form.id,
            form_version=form.version,
            form_sha256=form.sha256,
            form_source=form.source,
            title=title or form.title["sv"],
            year=year,
            deadline=deadline,
            opened_at=opened_at or timezone.now(),
            opened_by=user if getattr(user, "is_authenticated", False) else None,
            historical=historical,
        )
        if historical:
            rnd.locked_at = rnd.closes_at  # closed at its deadline, before it was recorded
        try:
            rnd.save(force_insert=True)
        except IntegrityError as exc:  # a concurrent open of the same form
            raise CollectError(
                _("Det finns redan en öppen omgång för %(form)s.") % {"form": form_id}
            ) from exc
        if form.audience_level == "municipality":
            Response.objects.bulk_create(
                Response(round=rnd, municipality=m) for m in Municipality.objects.all()
            )
        else:
            Response.objects.bulk_create(
                Response(round=rnd, region=r) for r in Region.objects.all()
            )
        audit.record(
            AuditAction.OPEN,
            rnd,
            user=user,
            actor=actor,
            note=f"{form.id} v{form.version}, avser {year}, sista svarsdag "
            f"{period_label(deadline, 'sv')}, {rnd.responses.count()} organisationer"
            + (", historisk omgång" if historical else ""),
        )
        if historical:
            audit.record(
                AuditAction.LOCK,
                rnd,
                user=user,
                actor=actor,
                note="historisk omgång: låst när den öppnades, eftersom sista svarsdagen "
                f"{period_label(deadline, 'sv')} redan hade passerat; bara analytikers "
                "inläsningar fyller den",
            )
    return rnd


def open_round_for(form_id: str) -> Round:
    """The round of ``form_id`` that is open for answers now."""
    lock_due_rounds()
    rnd = Round.objects.filter(form_id=form_id, locked_at__isnull=True).first()
    if rnd is None:
        raise CollectError(_("Ingen omgång av %(form)s är öppen.") % {"form": form_id})
    return rnd


# --------------------------------------------------------------- responses ---


def stored_answers(response: Response) -> dict[str, Any]:
    return {a.item_id: a.value for a in response.answers.all()}


def stored_overrides(response: Response) -> dict[str, str]:
    return {a.item_id: a.override_reason for a in response.answers.all() if a.override_reason}


def previous_answers(response: Response) -> dict[str, Any]:
    """The organisation's submitted answers in the latest earlier round of the same audience
    (one query: a save at the deadline asks for them every time)."""
    earlier = (
        Response.objects.filter(
            region_id=response.region_id,
            municipality_id=response.municipality_id,
            status=ResponseStatus.SUBMITTED,
            round__opened_at__lt=response.round.opened_at,
        )
        .exclude(round=response.round)
        .order_by("-round__opened_at")
        .values("pk")[:1]
    )
    answers = Answer.objects.filter(response=Subquery(earlier)).values_list("item_id", "value")
    return dict(answers)


def check(
    response: Response,
    raw: dict[str, Any],
    mode: str = SUBMIT,
    *,
    strict_skips: bool = True,
    overrides: dict[str, str] | None = None,
    require: bool = True,
    previous: dict[str, Any] | None = None,
) -> Validation:
    """Validate ``raw`` for this response (``previous``: last round's answers, looked up if None).

    A status report that follows initiatives is checked with the region's initiatives of the
    round before (:mod:`naravard.collect.initiatives`): which ids its rows may carry, and what
    the region must say of each carried initiative."""
    form = response.round.form
    if previous is None:
        previous = previous_answers(response) if form.checks_previous_answers else {}
    follows = statusreport.follows_initiatives(form)
    earlier = initiatives.before(response) if follows else None
    validation = validate(
        form,
        raw,
        mode,
        strict_skips=strict_skips,
        previous=previous,
        overrides=overrides,
        require=require,
        rows=initiatives.row_ids(response, earlier) if earlier is not None else None,
    )
    if earlier is not None:
        validation.errors += [
            labelled(form, p)
            for p in initiatives.findings(form, validation, earlier, mode, require)
        ]
    return validation


@dataclass
class SaveResult:
    """What a save did. ``answers``: the response's answers as they stand after it (None when
    nothing was written: read them from the response)."""

    response: Response
    validation: Validation
    submitted: bool
    changed: list[str] = field(default_factory=list)
    answers: list[Answer] | None = None


def _value_to_store(item_id: str, raw: Any, validation: Validation) -> Any:
    if item_id in validation.clean and not validation.problems_for(item_id):
        return validation.clean[item_id]
    if isinstance(raw, str):
        return raw.strip()
    return raw


def save(
    response: Response,
    raw: dict[str, Any],
    *,
    user=None,
    actor: str = "",
    base_version: int | None = None,
    submit: bool = False,
    strict_skips: bool = False,
    overrides: dict[str, str] | None = None,
    as_analyst: bool = False,
    require: bool = True,
    allow_locked: bool = False,
    previous: dict[str, Any] | None = None,
    validation: Validation | None = None,
    imported: bool = False,
    submitted_at: dt.datetime | None = None,
    locked: bool = False,
) -> SaveResult:
    """Store answers (a draft), and submit them if asked and valid.

    A submit that fails validation still stores what was typed as a draft, so
    nothing is lost. ``base_version`` is the version the person started from;
    if someone saved in between, :class:`Conflict` is raised and nothing is
    stored. Items that skip logic leaves out are dropped (unless
    ``strict_skips``, where they are an error). ``validation``: the result of
    checking these same answers already (an import checks every row first).
    ``imported``: the answers come from a file an analyst imports; the response then records
    when it was imported and, as its submission time, ``submitted_at`` (the date the file
    gives, or none) instead of the moment of the import. ``locked``: ``response`` was read
    with its round in the transaction open now, its row locked (``select_for_update``), so it
    is current and is not read again.
    """
    with transaction.atomic():
        # locks the response's row only ("self"): locking its round too would make every save
        # of the round wait for the one before it (at the deadline, all of them)
        current = (
            response
            if locked
            else Response.objects.select_for_update(of=("self",))
            .select_related("round", "region", "municipality")
            .get(pk=response.pk)
        )
        if base_version is not None and current.version != base_version:
            who = current.updated_by.get_username() if current.updated_by else _("någon annan")
            when = (
                timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
                if current.updated_at
                else ""
            )
            raise Conflict(
                current,
                _(
                    "Svaret har ändrats av %(who)s %(when)s medan du arbetade. Dina ändringar är "
                    "inte sparade. Jämför med det sparade svaret och spara igen."
                )
                % {"who": who, "when": when},
            )
        if current.status == ResponseStatus.SUBMITTED:
            raise NotEditable(_("Svaret är redan inskickat. En analytiker kan återöppna det."))
        if not (current.editable or (as_analyst and (allow_locked or not current.round.is_locked))):
            raise NotEditable(_("Omgången är låst sedan sista svarsdagen passerat."))
        form = current.round.form
        overrides = overrides or {}
        if validation is None:
            validation = check(
                current,
                raw,
                SUBMIT if submit else DRAFT,
                strict_skips=strict_skips,
                overrides=overrides,
                require=require,
                previous=previous,
            )
        if (strict_skips and validation.errors and not submit) or validation.blocked:
            # refused as a whole; a wrong id the system gave is never stored, not even as a draft
            return SaveResult(current, validation, submitted=False)
        new = {}
        for item in form.items:
            value = raw.get(item.id)
            if item.id in validation.not_applicable or is_blank(value):
                continue
            new[item.id] = _value_to_store(item.id, value, validation)
            if item.row_id_field is not None:  # a row stored for the first time gets its id
                new[item.id] = rowids.assign(
                    new[item.id], item.row_id_field, current.org_code, current.round.form_year
                )
        old_answers = {a.item_id: a for a in current.answers.all()}
        changed, to_create, to_update, to_delete, events = [], [], [], [], []
        first = current.status == ResponseStatus.NOT_STARTED
        real_user = user if getattr(user, "is_authenticated", False) else None
        who = actor or audit.actor_name(user)
        for item_id in sorted(set(old_answers) | set(new)):
            stored = old_answers.get(item_id)
            before = stored.value if stored else None
            before_reason = stored.override_reason if stored else ""
            after = new.get(item_id)
            reason = validation.overridden.get(item_id, "") if after is not None else ""
            if before == after and before_reason == reason:
                continue
            if after is None:
                assert stored is not None, "no answer before and none after was skipped above"
                to_delete.append(stored.pk)
            elif stored:
                stored.value, stored.override_reason = after, reason
                to_update.append(stored)
            else:
                to_create.append(
                    Answer(response=current, item_id=item_id, value=after, override_reason=reason)
                )
            changed.append(item_id)
            note = reason if before != after else f"reason: {before_reason!r} -> {reason!r}"
            events.append(
                AuditEvent(
                    action=AuditAction.CREATE if first else AuditAction.CHANGE,
                    round=current.round,
                    response=current,
                    item_id=item_id,
                    old_value=before,
                    new_value=after,
                    note=note,
                    user=real_user,
                    actor=who,
                )
            )
        if to_delete:
            Answer.objects.filter(pk__in=to_delete).delete()
        Answer.objects.bulk_update(to_update, ["value", "override_reason"])
        Answer.objects.bulk_create(to_create)
        will_submit = submit and validation.ok
        if changed or will_submit or first:
            current.version += 1
            current.updated_at = timezone.now()
            current.updated_by = user if getattr(user, "is_authenticated", False) else None
            current.status = ResponseStatus.SUBMITTED if will_submit else ResponseStatus.DRAFT
            if will_submit:
                current.submitted_at = submitted_at if imported else current.updated_at
                current.imported_at = current.updated_at if imported else None
                current.submitted_by = current.updated_by
                current.submitted_answers = new
                current.reopened_at = None
                note = ""
                if imported:
                    note = (
                        f"importerat; inskickat {_day(submitted_at)} enligt filen"
                        if submitted_at
                        else "importerat; filen anger inget inskickningsdatum"
                    )
                events.append(
                    audit.event(
                        AuditAction.SUBMIT,
                        current.round,
                        user=user,
                        actor=actor,
                        response=current,
                        note=note,
                    )
                )
            AuditEvent.objects.bulk_create(events)  # every changed answer and the submit at once
            current.save()
            if will_submit:
                response_submitted.send(sender=Response, response=current, user=user)
        kept = [a for a in old_answers.values() if a.pk not in to_delete]
        answers = sorted(kept + to_create, key=lambda a: a.item_id)
        return SaveResult(
            current, validation, submitted=will_submit, changed=changed, answers=answers
        )


def _day(at: dt.datetime) -> str:
    return timezone.localtime(at).date().isoformat()


def reopen(response: Response, *, user=None, actor: str = "", note: str = "") -> Response:
    """Let one organisation change its response again (also after the deadline)."""
    with transaction.atomic():
        current = Response.objects.select_for_update().get(pk=response.pk)
        current.status = (
            ResponseStatus.DRAFT if current.answers.exists() else ResponseStatus.NOT_STARTED
        )
        current.reopened_at = timezone.now()
        current.version += 1
        current.save()
        audit.record(
            AuditAction.REOPEN, current.round, user=user, actor=actor, response=current, note=note
        )
    return current


# ------------------------------------------------------------------ import ---


@dataclass
class ImportReport:
    stored: int = 0
    unchanged: int = 0
    organisations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportRow:
    """One organisation's answers as read from a file."""

    number: int  # row number in the file, for messages
    org: str  # the organisation as written (code or name)
    answers: dict[str, Any]
    reasons: dict[str, str] = field(default_factory=dict)  # item -> reason for a soft warning
    columns: frozenset[str] | None = None  # items the file has columns for (None: all)
    submitted_at: dt.datetime | None = None  # when it was submitted, as the file says

    def merged_with(self, stored: dict[str, Any]) -> dict[str, Any]:
        """The row's answers, keeping stored answers to items the file has no column for."""
        if self.columns is None:
            return dict(self.answers)
        kept = {k: v for k, v in stored.items() if k not in self.columns}
        return {**kept, **self.answers}


def import_rows(
    rnd: Round,
    rows: Iterable[ImportRow],
    *,
    user=None,
    actor: str = "",
    allowed_orgs: set[str] | None = None,
    as_analyst: bool = True,
    require: bool = True,
    allow_locked: bool = False,
) -> ImportReport:
    """Validate every row, then store all of them as submitted responses, or none.

    ``allowed_orgs`` limits which organisation codes may appear (a respondent's
    own upload). ``require=False`` stores historical responses with their item
    non-response (unanswered required items); everything else is still checked.
    An analyst's import (``as_analyst``) is recorded as imported, with the submission date
    the file gives in its column ``submitted_at`` (or none); a respondent's own upload is
    their submission now and may not give a date. A locked round takes an analyst's import
    when ``allow_locked``, a historical round always (respondents never).
    """

    form: FormDefinition = rnd.form
    allow_locked = allow_locked or rnd.historical  # only imports fill a historical round
    if rnd.is_locked and as_analyst and not allow_locked:
        raise CollectError(_("Omgången %(round)s är låst.") % {"round": rnd.title})
    resolver = Resolver.default()
    responses = {r.org_code: r for r in rnd.responses.select_related("region", "municipality")}
    problems: list[RowProblem] = []
    planned: list[tuple[ImportRow, Response, dict[str, Any], Validation]] = []
    seen: dict[str, int] = {}
    for row in rows:
        row_no, org_text = row.number, row.org
        try:
            code = resolver.resolve(org_text, level=form.audience_level).code
        except ResolveError as exc:
            problems.append(RowProblem(row_no, "org", exc.in_words()))
            continue
        if allowed_orgs is not None and code not in allowed_orgs:
            problems.append(
                RowProblem(
                    row_no,
                    "org",
                    _("du får bara lämna svar för din egen organisation, inte %(code)s")
                    % {"code": code},
                )
            )
            continue
        if code in seen:
            problems.append(
                RowProblem(
                    row_no, "org", _("samma organisation som rad %(row)s") % {"row": seen[code]}
                )
            )
            continue
        seen[code] = row_no
        response = responses.get(code)
        if response is None:
            problems.append(
                RowProblem(
                    row_no, "org", _("%(code)s är inte tillfrågad i omgången") % {"code": code}
                )
            )
            continue
        if row.submitted_at is not None:
            if not as_analyst:
                problems.append(
                    RowProblem(
                        row_no,
                        "submitted_at",
                        _(
                            "inskickningsdatum anges bara när en analytiker läser in tidigare "
                            "insamlade svar; ta bort kolumnen"
                        ),
                    )
                )
                continue
            if row.submitted_at > timezone.now():
                problems.append(
                    RowProblem(
                        row_no,
                        "submitted_at",
                        _("%(day)s har inte inträffat än") % {"day": _day(row.submitted_at)},
                    )
                )
                continue
        if not as_analyst and not response.editable:
            reason = (
                _("svaret är redan inskickat; en analytiker kan återöppna det")
                if response.status == ResponseStatus.SUBMITTED
                else _("omgången är låst sedan sista svarsdagen passerat")
            )
            problems.append(RowProblem(row_no, "org", reason))
            continue
        raw = row.merged_with(stored_answers(response))
        validation = check(
            response, raw, SUBMIT, strict_skips=True, overrides=row.reasons, require=require
        )
        for p in validation.errors + validation.warnings:
            hint = (
                ""
                if p.level == "hard"
                else " "
                + _("(varning: godta den med ett skäl i kolumnen %(col)s)")
                % {"col": f"{p.item_id}.skal"}
            )
            problems.append(RowProblem(row_no, p.where, p.message + hint, p.label))
        planned.append((row, response, raw, validation))
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: (p.row, p.column)))
    report = ImportReport()
    with transaction.atomic():
        for row, response, raw, validation in planned:
            response.refresh_from_db()
            if response.status == ResponseStatus.SUBMITTED:
                if stored_answers(response) == validation.clean:
                    report.unchanged += 1
                    continue
                reopen(response, user=user, actor=actor, note=f"import, rad {row.number}")
                response.refresh_from_db()
            result = save(
                response,
                raw,
                user=user,
                actor=actor,
                submit=True,
                strict_skips=True,
                overrides=row.reasons,
                as_analyst=as_analyst,
                require=require,
                allow_locked=allow_locked,
                validation=validation,
                imported=as_analyst,
                submitted_at=row.submitted_at,
            )
            if not result.submitted:  # validated above; a failure here is a bug
                raise CollectError(f"row {row.number} did not validate on save")
            report.stored += 1
            report.organisations.append(response.org_code)
    return report
