"""A follow-up round: the year's report and what it is built from."""

from typing import NamedTuple

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naravard.collect.models import AppendOnly, Round


class FollowUp(models.Model):
    """One year's follow-up (e.g. "2020"): which collection rounds and which indicator periods
    its report uses, and the date it is published."""

    name = models.CharField(
        _("namn"), max_length=20, unique=True, help_text="How commands name it, e.g. 2020."
    )
    title_sv = models.CharField(_("titel (svenska)"), max_length=200)
    title_en = models.CharField(_("titel (engelska)"), max_length=200)
    published_on = models.DateField(
        _("publiceringsdag"), help_text="The only date printed in the report."
    )
    data_until = models.DateField(
        _("data till och med"), help_text="Indicator periods ending on or before this day."
    )
    survey_round = models.ForeignKey(
        Round,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kommunenkät"),
    )
    status_round = models.ForeignKey(
        Round,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("nulägesrapporter"),
    )

    class Meta:
        ordering = ["-published_on"]
        verbose_name = _("uppföljningsomgång")
        verbose_name_plural = _("uppföljningsomgångar")

    def __str__(self) -> str:
        return self.name

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_sv


class PublishedReport(models.Model):
    """A built report as published on the public site, in one language; a new publication of
    the same follow-up and language replaces what the site shows (the older rows stay)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="published")
    lang = models.CharField(max_length=2, choices=[("sv", "svenska"), ("en", "English")])
    html = models.TextField()
    pdf = models.BinaryField()
    manifest = models.JSONField()
    published_at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    override_reason = models.TextField(
        blank=True,
        help_text="Why it was published although "
        "the fact-check was open or regions had not answered.",
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publicerad rapport")
        verbose_name_plural = _("publicerade rapporter")

    def __str__(self) -> str:
        return f"{self.followup.name} ({self.lang})"


class Passage(NamedTuple):
    """One passage of a draft: its key, its text, the part of it that is the region's own
    figures (what an approval covers; the nation's figures are context), and the indicator
    and period it shows, if any."""

    key: str
    text: str
    own: str | None = None
    indicator: str = ""
    period: str = ""

    @property
    def approved_text(self) -> str:
        return self.text if self.own is None else self.own


class Draft(models.Model):
    """A numbered version of a follow-up's report as text passages, so that what a region
    read, commented and approved stays known, and two versions can be compared."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="drafts")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    reason = models.CharField(max_length=300, blank=True)
    passages = models.JSONField(
        help_text="{part: [[passage key, text], …]}; part is a region "
        "code for a profile, else a section key."
    )

    class Meta:
        ordering = ["followup", "version"]
        constraints = [
            models.UniqueConstraint(fields=["followup", "version"], name="one_draft_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.followup.name} v{self.version}"

    def part(self, key: str) -> list[Passage]:
        """One part's passages (a region code, a section key or :data:`INDICATORS`)."""
        return [
            Passage(*p) if isinstance(p, list) else Passage(**p) for p in self.passages.get(key, [])
        ]


class FactCheck(models.Model):
    """The regions' review of their profiles in a follow-up's draft report, until a deadline."""

    followup = models.OneToOneField(FollowUp, on_delete=models.CASCADE, related_name="factcheck")
    deadline = models.DateField(_("sista dag"))
    opened_at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="Closed by the analyst before the deadline."
    )

    def __str__(self) -> str:
        return f"{self.followup.name} until {self.deadline}"

    def is_open(self, today) -> bool:
        return self.closed_at is None and today <= self.deadline


class FeedbackKind(models.TextChoices):
    COMMENT = "comment", _("kommentar")
    PROPOSAL = "proposal", _("förslag till rättat värde")
    APPROVAL = "approval", _("godkännande")
    TEXT = "text", _("förslag till ändrad profiltext")


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("öppen")
    ACCEPTED = "accepted", _("godtagen")
    REJECTED = "rejected", _("avvisad")
    NOTED = "noted", _("noterad")


class Feedback(models.Model):
    """A region's comment on a passage, proposed correction, or approval of its profile."""

    factcheck = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="feedback")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    draft = models.ForeignKey(
        Draft,
        on_delete=models.PROTECT,
        related_name="feedback",
        help_text="The version the region read.",
    )
    kind = models.CharField(max_length=10, choices=FeedbackKind.choices)
    passage = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    indicator_id = models.CharField(max_length=80, blank=True)
    period = models.CharField(max_length=20, blank=True)
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=500, blank=True)
    lang = models.CharField(
        max_length=2, blank=True, help_text="For a proposed text: the language of the text."
    )
    proposed_text = models.TextField(
        blank=True, help_text="For a proposed text: the region's version of its profile text."
    )
    base_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a proposed text: the version the region changed."
    )
    status = models.CharField(
        max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.region_id} {self.passage}"


class ReportEventKind(models.TextChoices):
    CREATED = "created", _("uppföljning skapad")
    DRAFT = "draft", _("nytt utkast")
    FACTCHECK_OPENED = "factcheck", _("faktagranskning öppnad")
    DECIDED = "decided", _("synpunkt beslutad")
    PUBLISHED = "published", _("rapport publicerad")
    FACTCHECK_CLOSED = "closed", _("faktagranskning stängd")
    OVERRIDE = "override", _("publicerad trots öppen faktagranskning")
    PROFILE_TEXT = "profiletext", _("profiltext ändrad efter regionens förslag")


class ReportEvent(AppendOnly):
    """The follow-up's audit log: drafts, the fact-check, decisions and publications, with who
    and why. Append-only, like the collection's audit trail."""

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=ReportEventKind.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.followup.name}: {self.get_kind_display()} ({self.actor})"


class MailKind(models.TextChoices):
    OPENED = "opened", _("faktagranskningen öppnad")
    REMINDER = "reminder", _("påminnelse före sista dagen")


class FactCheckMail(models.Model):
    """An e-mail of a fact-check to one region's coordinators, kept so that it goes out once
    per region and kind."""

    factcheck = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="mails")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=MailKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(help_text="The addresses, one a line.")

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["factcheck", "region", "kind"], name="factcheck_mail_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.factcheck} {self.kind} {self.region_id}"


class ReportText(AppendOnly):
    """One version of a text of a follow-up's report, as an analyst wrote it: a chapter's
    Markdown with expressions (``key`` the chapter's key, report/prose.py), a region's profile
    paragraph (``profil-LL``) or the outline (``outline``, YAML, report/outline.py). A change
    is a new version; the newest of each key and language is the one used."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="texts")
    key = models.CharField(max_length=40)
    lang = models.CharField(max_length=2, help_text="sv or en; '' for the outline.")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    author = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key", "lang", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "key", "lang", "version"], name="report_text_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.followup.name} {self.key} {self.lang} v{self.version}"
