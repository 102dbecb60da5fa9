"""Stored qualitative material: collected texts, their sentences, the analysts' coded
passages and the suggested codes waiting for an analyst's decision."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from naravard.core.language import pick
from naravard.qualitative.frame import current_frame
from naravard.refdata.models import Municipality, Region


class TextKind(models.TextChoices):
    STATUS_REPORT = "status_report", _("Nulägesrapport")
    SURVEY_COMMENT = "survey_comment", _("Enkätsvar i fritext")
    DOCUMENT = "document", _("Uppladdat dokument")


class Text(models.Model):
    """One piece of collected free text, written by one region or one municipality: a long
    answer in a submitted status report or survey, or the text of an uploaded document.

    A resubmitted answer whose wording changed makes a new text; the old one is kept with its
    codes and marked as replaced, so no analyst's work is lost."""

    kind = models.CharField(_("slag"), max_length=20, choices=TextKind.choices)
    title = models.CharField(_("rubrik"), max_length=300)
    body = models.TextField(_("text"))
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="texts"
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="texts"
    )
    round = models.ForeignKey(
        "collect.Round", null=True, blank=True, on_delete=models.PROTECT, related_name="texts"
    )
    response = models.ForeignKey(
        "collect.Response", null=True, blank=True, on_delete=models.PROTECT, related_name="texts"
    )
    item_id = models.CharField(
        max_length=160,
        blank=True,
        help_text="The answer's item (a group row: insatser.2.beskrivning).",
    )
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaced_at = models.DateTimeField(null=True, blank=True)

    n_pending: int  # set by the texts page: suggestions waiting for a decision (not stored)

    class Meta:
        ordering = ["region", "municipality", "round", "item_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) ^ Q(municipality__isnull=True),
                name="text_one_organisation",
            ),
            models.UniqueConstraint(
                fields=["response", "item_id"],
                condition=Q(response__isnull=False, replaced_at__isnull=True),
                name="text_one_current_per_answer",
            ),
            models.UniqueConstraint(
                fields=["file_sha256", "region"],
                condition=~Q(file_sha256="") & Q(region__isnull=False),
                name="text_document_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["file_sha256", "municipality"],
                condition=~Q(file_sha256="") & Q(municipality__isnull=False),
                name="text_document_once_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organisation(self) -> Region | Municipality:
        place = self.region or self.municipality
        assert place is not None, "text_one_organisation keeps exactly one of the two"
        return place

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None


class Segment(models.Model):
    """One sentence of a text, by character offsets: the unit of full-text search, of
    suggestions and of the agreement between analysts."""

    text = models.ForeignKey(Text, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    body = models.TextField()

    class Meta:
        ordering = ["text_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["text", "position"], name="segment_unique_position")
        ]

    def __str__(self) -> str:
        return self.body


class Passage(models.Model):
    """A passage of a text that one analyst coded: its span, the quote, the stage, who and
    when, and whether the report may quote it. Its themes are :class:`PassageTheme` rows."""

    text = models.ForeignKey(Text, on_delete=models.CASCADE, related_name="passages")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField(_("citat"))
    stage = models.CharField(_("skede"), max_length=40, blank=True)
    frame_version = models.PositiveIntegerField()
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coded_passages"
    )
    coded_at = models.DateTimeField(default=timezone.now)
    quotable = models.BooleanField(
        _("får citeras"),
        default=False,
        help_text="An analyst marked the passage as a quote the report may print (citat).",
    )

    # set by the coding pages for display (not stored)
    stage_name: str
    theme_names: list[str]

    class Meta:
        ordering = ["text_id", "start", "coder_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="passage_not_empty")
        ]

    def __str__(self) -> str:
        return self.quote[:80]

    @property
    def theme_ids(self) -> list[str]:
        return [t.theme for t in self.themes.all()]


class PassageTheme(models.Model):
    """One theme an analyst gave a passage."""

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=40)

    class Meta:
        ordering = ["passage_id", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["passage", "theme"], name="passage_theme_once")
        ]

    def __str__(self) -> str:
        return self.theme


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("väntar")
    ACCEPTED = "accepted", _("godtagen")
    REJECTED = "rejected", _("avvisad")


class Suggestion(models.Model):
    """Codes the system proposes for one uncoded sentence, until an analyst accepts
    (making a :class:`Passage`) or rejects them."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="suggestions")
    themes = models.JSONField(help_text="Suggested theme ids.")
    stage = models.CharField(max_length=40, blank=True)
    evidence = models.JSONField(default=dict, help_text="Code id -> the words that matched.")
    frame_version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    passage = models.OneToOneField(
        Passage, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestion"
    )

    class Meta:
        ordering = ["segment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "frame_version"], name="one_suggestion_per_segment_and_frame"
            )
        ]

    def __str__(self) -> str:
        return f"{', '.join(self.themes)} ({self.status})"


FACTBOX_TITLE_MAX = 120
FACTBOX_TEXT_MAX = 1500


def paragraphs(text: str) -> list[str]:
    """Plain text as paragraphs: split at blank lines, each paragraph's lines joined by a
    space and its white space collapsed."""
    out = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        words = " ".join(block.split())
        if words:
            out.append(words)
    return out


class FactBox(models.Model):
    """An analyst's fact box for the report ("Exempel: …"): a coded passage of a round's text
    with the analyst's own title and plain-text paragraphs, under one theme of the frame."""

    theme = models.CharField(_("tema"), max_length=40)
    round = models.ForeignKey(
        "collect.Round",
        on_delete=models.PROTECT,
        related_name="factboxes",
        verbose_name=_("omgång"),
    )
    passage = models.ForeignKey(
        Passage, on_delete=models.PROTECT, related_name="factboxes", verbose_name=_("passage")
    )
    title = models.CharField(_("rubrik"), max_length=FACTBOX_TITLE_MAX)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="factboxes"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["theme", "round_id", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return paragraphs(self.text)

    def clean_fields(self, exclude=None) -> None:
        """Django's checks of each field, then :meth:`problems` at the field it concerns (the
        pages' form shows it there), leaving out a field already refused or excluded (a
        field the form refused is excluded), so each field says one thing."""
        errors: dict = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        skip = set(exclude or ()) | set(errors)
        for name, message in self.problems().items():
            if name not in skip:
                errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)

    def problems(self) -> dict[str, str]:
        """Field name -> what is wrong with it (Swedish, in the active language)."""
        out: dict[str, str] = {}
        self.title, self.text = self.title.strip(), "\n\n".join(paragraphs(self.text))
        if not self.title:
            out["title"] = gettext("Skriv en rubrik.")
        elif len(self.title) > FACTBOX_TITLE_MAX:
            out["title"] = gettext("Rubriken får vara högst %(max)s tecken; den har %(n)s.") % {
                "max": FACTBOX_TITLE_MAX,
                "n": len(self.title),
            }
        if not self.text:
            out["text"] = gettext("Skriv faktarutans text.")
        elif len(self.text) > FACTBOX_TEXT_MAX:
            out["text"] = gettext("Texten får vara högst %(max)s tecken; den har %(n)s.") % {
                "max": FACTBOX_TEXT_MAX,
                "n": len(self.text),
            }
        frame = current_frame()
        if self.theme not in {t.id for t in frame.all_themes}:
            out["theme"] = gettext("Kodramen har inget tema %(id)s.") % {"id": self.theme}
        if self.passage_id is None or self.round_id is None:
            return out  # the form says that a required field is missing
        passage, text = self.passage, self.passage.text
        if text.round_id != self.round_id:
            out["passage"] = gettext(
                "Passagen kommer från en annan omgång (%(other)s) än faktarutan (%(round)s)."
            ) % {
                "other": text.round.title if text.round else gettext("ingen omgång"),
                "round": self.round.title,
            }
        elif not text.is_current:
            out["passage"] = gettext("Passagen hör till en ersatt version av svaret.")
        elif "theme" not in out and self.theme not in passage.theme_ids:
            out["passage"] = gettext("Passagen är inte kodad med temat %(theme)s.") % {
                "theme": pick(frame.theme(self.theme).name)
            }
        return out
