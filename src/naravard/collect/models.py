"""Stored collection: rounds, responses and their answers, queries, reminders and the audit trail."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naravard.collect.definition import FormDefinition, definition_from_source, get_form
from naravard.core.dates import period_label
from naravard.core.language import pick
from naravard.refdata.models import Municipality, Region

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Round(models.Model):
    """One collection of one form from its audience, with a deadline."""

    form_id = models.CharField(_("formulär"), max_length=80)
    form_version = models.PositiveIntegerField(_("version"))
    form_sha256 = models.CharField(max_length=64)
    form_source = models.TextField(
        blank=True,
        help_text="The definition as it was when the "
        "round opened; the round is always read with it.",
    )
    title = models.CharField(_("titel"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("avser år"),
        null=True,
        blank=True,
        help_text="The year the answers describe; the form's texts name it ({year}, "
        "{year_before}). Empty in rounds stored before it existed: the year opened.",
    )
    deadline = models.DateField(_("sista svarsdag"))
    opened_at = models.DateTimeField(_("öppnad"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField(_("låst"), null=True, blank=True)
    historical = models.BooleanField(
        _("historisk"),
        default=False,
        help_text="Opened after its deadline to hold answers collected before: locked at once, "
        "filled only by analysts' imports.",
    )
    is_published = models.BooleanField(_("resultat publicerade"), default=False)
    note_sv = models.TextField(
        _("anmärkning om svaren (svenska)"),
        blank=True,
        help_text="Said wherever the round's answers are shown (its pages, the public pages, "
        "the report's method section), e.g. that they are synthetic.",
    )
    note_en = models.TextField(
        _("anmärkning om svaren (engelska)"),
        blank=True,
        help_text="The note in English (empty: the Swedish note is shown).",
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("insamlingsomgång")
        verbose_name_plural = _("insamlingsomgångar")
        constraints = [
            models.UniqueConstraint(
                fields=["form_id"],
                condition=Q(locked_at__isnull=True),
                name="one_unlocked_round_per_form",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def form_year(self) -> int:
        """The year the round's answers describe (its form's ``{year}``)."""
        if self.year:
            return self.year
        return (
            timezone.localtime(self.opened_at, STOCKHOLM).year
            if self.opened_at
            else timezone.localdate().year
        )

    @property
    def note(self) -> str:
        """What is to be said of the round's answers wherever they are shown, in the active
        language (in Swedish where there is no English note); '' for none."""
        return pick({"sv": self.note_sv, "en": self.note_en or self.note_sv})

    @property
    def form(self) -> FormDefinition:
        """The definition the round was opened with (not a later edit of the file), its texts
        naming the round's own year."""
        if self.form_source:
            return definition_from_source(self.form_source, self.form_year)
        return get_form(self.form_id, self.form_year)

    @property
    def closes_at(self) -> dt.datetime:
        """The end of the deadline day in Swedish time."""
        return dt.datetime.combine(
            self.deadline + dt.timedelta(days=1), dt.time(0), tzinfo=STOCKHOLM
        )

    def past_deadline(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None or self.past_deadline()


class ResponseStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("ej påbörjad")
    DRAFT = "draft", _("utkast")
    SUBMITTED = "submitted", _("inskickad")


class Response(models.Model):
    """One organisation's answer in a round (one per invited organisation)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ResponseStatus.choices,
        default=ResponseStatus.NOT_STARTED,
    )
    version = models.PositiveIntegerField(
        default=0, help_text="Raised by every save; a save based on an older version is a conflict."
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it was "
        "submitted; for imported answers the date the file "
        "gives, or empty when it gives none.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the submitted "
        "answers were imported from a file by an analyst or the "
        "command line (empty when submitted by the organisation).",
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    submitted_answers = models.JSONField(
        null=True,
        blank=True,
        help_text="The answers as last submitted. They count in the "
        "results until a new submit replaces them, also while the response is reopened.",
    )

    contacts: list[str]  # set by the round page: the organisation's e-mail addresses (not stored)

    class Meta:
        ordering = ["round", "region", "municipality"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) ^ Q(municipality__isnull=True),
                name="response_one_organisation",
            ),
            models.UniqueConstraint(
                fields=["round", "region"],
                condition=Q(region__isnull=False),
                name="response_unique_region",
            ),
            models.UniqueConstraint(
                fields=["round", "municipality"],
                condition=Q(municipality__isnull=False),
                name="response_unique_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.organisation}"

    @property
    def organisation(self) -> Region | Municipality:
        place = self.region or self.municipality
        assert place is not None, "response_one_organisation keeps exactly one of the two"
        return place

    @property
    def org_code(self) -> str:
        code = self.region_id or self.municipality_id
        assert code is not None, "response_one_organisation keeps exactly one of the two"
        return code

    @property
    def county_code(self) -> str:
        """The code of the region the response belongs to: its own, or its municipality's."""
        if self.municipality is not None:
            return self.municipality.region_id
        return self.org_code

    @property
    def is_published(self) -> bool:
        return False  # single responses are never public; published results are aggregates

    @property
    def has_submitted(self) -> bool:
        """Submitted at least once (it counts in the response rate)."""
        return self.submitted_answers is not None

    @property
    def editable(self) -> bool:
        """May the organisation change it now?"""
        if self.status == ResponseStatus.SUBMITTED:
            return False
        return self.reopened_at is not None or not self.round.is_locked

    @property
    def closed_unanswered(self) -> bool:
        """The round closed before the organisation submitted (and nobody reopened it)."""
        return (
            self.status != ResponseStatus.SUBMITTED
            and self.reopened_at is None
            and self.round.is_locked
        )

    @property
    def status_text(self) -> str:
        """The status as a person reads it: when it was submitted, or imported (an imported
        answer never shows the import as its submission), or that the round closed without
        it."""

        def day(at):
            return period_label(timezone.localtime(at, STOCKHOLM).date())

        if self.status == ResponseStatus.SUBMITTED:
            if self.imported_at and self.submitted_at:
                return _("inskickad %(day)s (importerad %(imported)s)") % {
                    "day": day(self.submitted_at),
                    "imported": day(self.imported_at),
                }
            if self.imported_at:
                return _("importerad %(day)s") % {"day": day(self.imported_at)}
            if self.submitted_at:
                return _("inskickad %(at)s") % {
                    "at": day(self.submitted_at)
                    + timezone.localtime(self.submitted_at, STOCKHOLM).strftime(" %H:%M")
                }
        if self.closed_unanswered:
            if self.status == ResponseStatus.DRAFT:
                return str(_("stängd med ett utkast som aldrig skickades in"))
            return str(_("stängd utan svar"))
        return str(self.get_status_display())


class Answer(models.Model):
    """The raw answer to one item, as typed or imported (validated at submit)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=120)
    value = models.JSONField()
    override_reason = models.TextField(blank=True, help_text="Why a soft warning was accepted.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item_id"], name="answer_unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value!r}"


class AuditAction(models.TextChoices):
    OPEN = "open", _("omgång öppnad")
    CREATE = "create", _("svar skapat")
    CHANGE = "change", _("svar ändrat")
    SUBMIT = "submit", _("inskickat")
    LOCK = "lock", _("omgång låst")
    REOPEN = "reopen", _("återöppnat")
    IMPORT = "import", _("importerat")
    QUERY = "query", _("fråga till respondent")
    REMIND = "remind", _("påminnelse")
    PUBLISH = "publish", _("resultat publicerade")
    UNPUBLISH = "unpublish", _("publicering återkallad")


class AppendOnly(models.Model):
    """A log row: written once, never changed or deleted by the application."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(f"{self._meta.verbose_name} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.verbose_name} rows cannot be deleted")


class AuditEvent(AppendOnly):
    """An append-only record of one change. Never updated or deleted by the application."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.CharField(
        max_length=150, help_text="Who, also when not a web user (the command line, the API)."
    )
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="audit_events")
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    item_id = models.CharField(max_length=120, blank=True)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.item_id} ({self.actor})"


class QueryStatus(models.TextChoices):
    OPEN = "open", _("öppen")
    ANSWERED = "answered", _("besvarad")
    CLOSED = "closed", _("avslutad")


class Query(models.Model):
    """An analyst's question about one answer, the respondent's reply, and its closing."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="queries")
    item_id = models.CharField(max_length=120)
    text = models.TextField(_("fråga"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    reply = models.TextField(_("svar"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=QueryStatus.choices, default=QueryStatus.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.text[:80]}"

    @property
    def organisation(self):
        return self.response.organisation

    @property
    def region(self):
        return self.response.region

    @property
    def municipality(self):
        return self.response.municipality
